//! Own-photo uploads: a person replaces their own photo by sending the bytes
//! straight to the store through a presigned PUT; the server decides who may
//! upload what, and checks what arrived before anyone sees it.
//!
//! The life of an upload (a `photo_versions` row, keyed by a fresh 128-bit
//! id that is also the only thing its object keys are built from):
//! 1. [`Uploads::begin`] records it as `uploading` and signs a PUT binding
//!    `uploads/{id}`, the content type and the exact length, for
//!    `LANYARD_UPLOAD_TTL`; [`Uploads::renew`] signs a fresh one;
//! 2. the browser PUTs; the store refuses any other key, type or length;
//! 3. [`Uploads::complete`] reads the object, checks and derives the
//!    renditions ([`image`]), writes them, then in one transaction marks the
//!    version `pending` (and drops any older pending one), then deletes the
//!    raw upload. A refused file loses its row and its object at once.
//!
//! Objects are never deleted *before* the rows pointing at them are gone:
//! the transaction that drops a row queues its keys in `object_deletions`,
//! and they are deleted right after and, should that fail or a crash
//! intervene, by the [`sweeper`]. A raw upload's key stays queued until its
//! last URL has been expired for `LANYARD_UPLOAD_SWEEP_AFTER`, so a PUT
//! still in flight when an upload is cancelled or refused cannot leave an
//! object behind either.

/// Deleting every version of a person's photo (the owner's, or HR's erasure).
mod erase;
/// Checking an upload and deriving its renditions (pure).
pub mod image;
/// HR's review of pending photos: the queue, approval, rejection.
pub mod review;
/// What uploads may be, from the configuration.
mod settings;
/// The background task that deletes abandoned uploads and queued objects.
pub mod sweeper;
/// The SQL.
mod versions;
/// `GET /api/me/photo`'s view of one's own versions.
mod view;

use self::image::{check_and_derive, Refusal};
use crate::db::{Db, Tx};
use crate::error::{AppError, AppResult};
use crate::extract::to_timestamp;
use crate::storage::{keys, ObjectStore};
use anyhow::Context as _;
use bytes::Bytes;
use http::Method;
use lanyard_wire::{PhotoState, SignedHeader, UploadRequest, UploadTicket};
pub use settings::UploadSettings;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::Semaphore;
use versions::{NewUpload, VersionRow};

/// Photos checked at once. Each holds the raw file and its decoded pixels
/// (about 40 MB for a 12-MP photo) and keeps a core busy for a while; the
/// rest wait their turn instead of exhausting memory.
const PARALLEL_CHECKS: usize = 2;

/// Uploads of one's own photo: the operations behind `/api/me/photo`.
/// Cheap to clone.
#[derive(Clone)]
pub struct Uploads {
    db: Db,
    store: Arc<ObjectStore>,
    settings: Arc<UploadSettings>,
    checks: Arc<Semaphore>,
}

impl Uploads {
    pub fn new(db: Db, store: Arc<ObjectStore>, settings: UploadSettings) -> Self {
        Self {
            db,
            store,
            settings: Arc::new(settings),
            checks: Arc::new(Semaphore::new(PARALLEL_CHECKS)),
        }
    }

    pub fn settings(&self) -> &UploadSettings {
        &self.settings
    }

    /// The store (tests read objects back through it).
    pub fn store(&self) -> &ObjectStore {
        &self.store
    }

    /// Starts an upload: records it and signs its PUT. The person's other
    /// unfinished uploads are cancelled (one upload at a time).
    pub async fn begin(
        &self,
        employee: i64,
        request: &UploadRequest,
        now: SystemTime,
    ) -> AppResult<UploadTicket> {
        self.settings
            .check_request(request)
            .map_err(AppError::BadRequest)?;
        let id = keys::new_version_id();
        let ticket = self.ticket(&id, &request.content_type, request.content_length, now);
        let now_ms = to_timestamp(now).0;

        let mut tx = self.write_tx(employee).await?;
        let others = versions::in_state(&mut tx, employee, PhotoState::Uploading, &id).await?;
        let mut doomed = Vec::new();
        for other in &others {
            if versions::delete_in_state(&mut tx, &other.id, PhotoState::Uploading).await? {
                doomed.extend(self.queue_version(&mut tx, other, now_ms).await?);
            }
        }
        versions::insert_upload(
            &mut tx,
            &NewUpload {
                id: &id,
                employee,
                content_type: &request.content_type,
                content_length: request.content_length,
                created_at: now_ms,
                expires_at: ticket.expires_at.0,
            },
        )
        .await?;
        tx.commit().await?;
        self.purge(&doomed, now).await;
        tracing::info!(employee, upload = %id, bytes = request.content_length, "upload started");
        Ok(ticket)
    }

    /// A fresh URL for an upload whose URL expired before the bytes were sent.
    pub async fn renew(&self, employee: i64, id: &str, now: SystemTime) -> AppResult<UploadTicket> {
        let row = self.own_version(employee, id).await?;
        if row.state != PhotoState::Uploading {
            return Err(AppError::Conflict(
                "This upload is finished; start a new one to send another file.".into(),
            ));
        }
        let (Some(content_type), Some(length)) = (
            row.upload_content_type.as_deref(),
            row.upload_content_length
                .and_then(|l| u64::try_from(l).ok()),
        ) else {
            return Err(anyhow::anyhow!("upload {id} lacks its content type or length").into());
        };
        let ticket = self.ticket(&row.id, content_type, length, now);
        if !versions::extend_upload(&self.db, employee, &row.id, ticket.expires_at.0).await? {
            return Err(AppError::Conflict(
                "This upload is finished; start a new one to send another file.".into(),
            ));
        }
        Ok(ticket)
    }

    /// Checks the uploaded file and turns it into a version pending review.
    /// Completing a version that is pending or approved already does nothing.
    pub async fn complete(&self, employee: i64, id: &str, now: SystemTime) -> AppResult<()> {
        let row = self.own_version(employee, id).await?;
        match row.state {
            PhotoState::Pending | PhotoState::Approved => return Ok(()),
            PhotoState::Uploading => {}
            PhotoState::Rejected | PhotoState::None => {
                return Err(AppError::Conflict(
                    "This photo has been reviewed already; upload a new one.".into(),
                ))
            }
        }
        let permit = self
            .checks
            .acquire()
            .await
            .context("the photo check queue is closed")?;
        let raw_key = keys::upload_key(&row.id);
        let Some(raw) = self
            .store
            .get(&raw_key)
            .await
            .context("could not read the upload")?
        else {
            // A simultaneous completion may have finished (and deleted the
            // raw upload) since the row was read.
            let now_state = versions::find(&self.db, employee, &row.id).await?;
            if now_state
                .is_some_and(|r| matches!(r.state, PhotoState::Pending | PhotoState::Approved))
            {
                return Ok(());
            }
            return Err(AppError::Conflict(
                "The file has not arrived yet. Send it, then try again.".into(),
            ));
        };
        let checked = self.check(raw).await?;
        drop(permit);
        let derived = match checked {
            Ok(derived) => derived,
            Err(refusal) => {
                self.discard(employee, &row, now).await?;
                tracing::info!(employee, upload = %row.id, %refusal, "upload refused");
                return Err(AppError::InvalidImage(refusal.to_string()));
            }
        };

        // The renditions first: a version is never pending without them.
        let (thumb_key, profile_key) = (keys::thumb_key(&row.id), keys::profile_key(&row.id));
        for (key, body) in [(&thumb_key, derived.thumb), (&profile_key, derived.profile)] {
            self.store
                .put(key, Bytes::from(body), "image/jpeg")
                .await
                .context("could not store a photo rendition")?;
        }

        let now_ms = to_timestamp(now).0;
        let mut tx = self.write_tx(employee).await?;
        if !versions::mark_pending(&mut tx, employee, &row.id).await? {
            if versions::state_of(&mut tx, &row.id).await?.is_some() {
                // A simultaneous completion of the same upload won (same
                // bytes, same renditions): nothing left to do.
                return Ok(());
            }
            // Cancelled (or swept) while being checked: what was just
            // written goes the way of the rest of it.
            let doomed = self.queue_version(&mut tx, &row, now_ms).await?;
            tx.commit().await?;
            self.purge(&doomed, now).await;
            return Err(AppError::Conflict("This upload was cancelled.".into()));
        }
        let mut doomed = vec![raw_key.clone()];
        versions::queue_deletion(
            &mut tx,
            &raw_key,
            self.settings.raw_delete_after(&row, now_ms),
        )
        .await?;
        for older in versions::in_state(&mut tx, employee, PhotoState::Pending, &row.id).await? {
            if versions::delete_in_state(&mut tx, &older.id, PhotoState::Pending).await? {
                doomed.extend(self.queue_version(&mut tx, &older, now_ms).await?);
            }
        }
        tx.commit().await?;
        self.purge(&doomed, now).await;
        tracing::info!(
            employee,
            upload = %row.id,
            format = ?derived.format,
            width = derived.width,
            height = derived.height,
            "photo pending review"
        );
        Ok(())
    }

    /// Cancels an unfinished upload: its row and any object go.
    pub async fn cancel(&self, employee: i64, id: &str, now: SystemTime) -> AppResult<()> {
        let row = self.own_version(employee, id).await?;
        if row.state != PhotoState::Uploading {
            return Err(AppError::Conflict(
                "This upload is finished; delete the photo instead.".into(),
            ));
        }
        self.discard(employee, &row, now).await
    }

    /// A transaction that changes `employee`'s photos, after every other
    /// one that does ([`Tx::lock_person`]; on SQLite the write lock, taken
    /// at once: a deferred transaction that reads and then writes fails
    /// outright with `SQLITE_BUSY` when another writer committed in between).
    async fn write_tx(&self, employee: i64) -> sqlx::Result<Tx> {
        let mut tx = self.db.begin().await?;
        tx.lock_person(employee).await?;
        Ok(tx)
    }

    /// The person's version `id`; 404 for a malformed, unknown or someone
    /// else's id alike.
    async fn own_version(&self, employee: i64, id: &str) -> AppResult<VersionRow> {
        let id = keys::parse_version_id(id).map_err(|_| AppError::NotFound)?;
        versions::find(&self.db, employee, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The check and derivation, on a blocking thread (it is CPU-bound).
    async fn check(&self, raw: Bytes) -> AppResult<Result<image::Derived, Refusal>> {
        let max_bytes = self.settings.max_bytes;
        if u64::try_from(raw.len()).unwrap_or(u64::MAX) > max_bytes {
            return Ok(Err(Refusal::TooManyBytes { max_bytes }));
        }
        let rules = self.settings.rules;
        let outcome = tokio::task::spawn_blocking(move || check_and_derive(&raw, rules))
            .await
            .context("the photo check failed")?;
        Ok(outcome)
    }

    /// Drops `employee`'s `uploading` row and its objects.
    async fn discard(&self, employee: i64, row: &VersionRow, now: SystemTime) -> AppResult<()> {
        let now_ms = to_timestamp(now).0;
        let mut tx = self.write_tx(employee).await?;
        let mut doomed = Vec::new();
        if versions::delete_in_state(&mut tx, &row.id, PhotoState::Uploading).await? {
            doomed = self.queue_version(&mut tx, row, now_ms).await?;
        }
        tx.commit().await?;
        self.purge(&doomed, now).await;
        Ok(())
    }

    /// Queues every key of a version whose row is being dropped in `tx`.
    async fn queue_version(
        &self,
        tx: &mut Tx,
        row: &VersionRow,
        now_ms: i64,
    ) -> AppResult<Vec<String>> {
        let keys = versions::keys_of(&row.id);
        let raw_after = self.settings.raw_delete_after(row, now_ms);
        for (i, key) in keys.iter().enumerate() {
            let after = if i == 0 { raw_after } else { now_ms };
            versions::queue_deletion(tx, key, after).await?;
        }
        Ok(keys.into())
    }

    /// Deletes queued objects now; what fails stays queued for the sweeper.
    async fn purge(&self, doomed: &[String], now: SystemTime) {
        let now_ms = to_timestamp(now).0;
        for key in doomed {
            match self.store.delete(key).await {
                Ok(()) => {
                    if let Err(error) = versions::deletion_done(&self.db, key, now_ms).await {
                        tracing::warn!(%error, key, "could not unqueue a deleted object");
                    }
                }
                Err(error) => {
                    tracing::warn!(error = %error, key, "could not delete an object; the sweeper will retry");
                }
            }
        }
    }

    /// A presigned PUT for `uploads/{id}`, and what the browser must send with it.
    fn ticket(&self, id: &str, content_type: &str, length: u64, now: SystemTime) -> UploadTicket {
        let length_text = length.to_string();
        let mut signed = vec![
            ("content-type", content_type),
            ("content-length", length_text.as_str()),
        ];
        let mut headers = vec![SignedHeader {
            name: "Content-Type".into(),
            value: content_type.into(),
        }];
        if let Some(sse) = self.settings.sse.header_value() {
            signed.push(("x-amz-server-side-encryption", sse));
            headers.push(SignedHeader {
                name: "x-amz-server-side-encryption".into(),
                value: sse.into(),
            });
        }
        let presigned = self.store.browser_presigner().presign(
            Method::PUT,
            &keys::upload_key(id),
            self.settings.url_ttl,
            now,
            &signed,
            &[],
        );
        UploadTicket {
            server_time: to_timestamp(now),
            upload_id: id.to_owned(),
            url: presigned.url,
            headers,
            expires_at: to_timestamp(presigned.expires_at),
        }
    }
}

fn duration_ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests;
