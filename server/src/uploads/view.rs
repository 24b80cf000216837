//! `GET /api/me/photo`: the approved photo others see, the newest version
//! after it that is pending review or was rejected, and the upload limits.
//! A pending version is signed here for its owner only; everyone else goes
//! through [`PhotoSigner::sign`], which signs approved versions alone.

use super::versions::{self, VersionRow};
use super::Uploads;
use crate::error::AppResult;
use crate::extract::to_timestamp;
use crate::storage::photo_urls::PhotoSigner;
use lanyard_wire::{MyPhoto, MyPhotoVersion, PhotoSize, PhotoState, Timestamp};
use std::time::SystemTime;

impl Uploads {
    /// The person's own photo as they see it.
    pub async fn my_photo(
        &self,
        employee: i64,
        signer: &PhotoSigner,
        now: SystemTime,
    ) -> AppResult<MyPhoto> {
        let current = versions::current(&self.db, employee).await?;
        let since = current.as_ref().map_or(0, |c| c.created_at);
        let latest = versions::latest_unapproved(&self.db, employee, since).await?;
        let show = |row: VersionRow| owner_view(row, signer, now);
        Ok(MyPhoto {
            server_time: to_timestamp(now),
            current: current.map(show),
            latest: latest.map(show),
            limits: self.settings.limits(),
        })
    }
}

fn owner_view(row: VersionRow, signer: &PhotoSigner, now: SystemTime) -> MyPhotoVersion {
    let state = row.state;
    // A rejected version's renditions are HR's to delete; none is signed.
    let photo = match state {
        PhotoState::Approved | PhotoState::Pending => {
            signer.sign_version(&row.id, PhotoSize::Profile, now)
        }
        _ => None,
    };
    MyPhotoVersion {
        id: row.id,
        state,
        photo,
        reason: row.reason,
        created_at: Timestamp(row.created_at),
        decided_at: row.decided_at.map(Timestamp),
    }
}
