//! Deleting every version of a person's photo: the owner deleting their own
//! (`DELETE /api/me/photo`) or HR answering an erasure request
//! (`DELETE /api/hr/people/{id}/photo`). The rows and the audit entry
//! commit together; the objects are queued in the same transaction and
//! deleted right after (or by the sweeper), so nothing is half-done.

use super::versions;
use super::Uploads;
use crate::audit::{self, Entry, Subject};
use crate::db::{query, Exec as _};
use crate::error::{AppError, AppResult};
use crate::extract::to_timestamp;
use std::time::SystemTime;

impl Uploads {
    /// Deletes every version of `employee`'s photo, approved one included,
    /// and records `entry` (its subject is filled in here: the person, with
    /// the approved version if there was one). 404 for an unknown person.
    pub async fn delete_all(
        &self,
        employee: i64,
        mut entry: Entry,
        now: SystemTime,
    ) -> AppResult<()> {
        let now_ms = to_timestamp(now).0;
        let mut tx = self.write_tx(employee).await?;
        let current: Option<Option<String>> = tx
            .optional_scalar(
                query("SELECT photo_version_id FROM employees WHERE id = $1").bind(employee),
            )
            .await?;
        let Some(current) = current else {
            return Err(AppError::NotFound);
        };
        let rows = versions::all_of(&mut tx, employee).await?;
        versions::delete_all_of(&mut tx, employee).await?;
        let mut doomed = Vec::new();
        for row in &rows {
            doomed.extend(self.queue_version(&mut tx, row, now_ms).await?);
        }
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        entry.subjects = vec![Subject {
            employee_id: employee,
            photo_version_id: current,
        }];
        entry.detail = match ids.len() {
            0 => "No photo to delete.".to_owned(),
            n => format!("{n} photo version(s) deleted: {}.", ids.join(", ")),
        };
        audit::append(&mut tx, to_timestamp(now), &entry).await?;
        tx.commit().await?;
        self.purge(&doomed, now).await;
        tracing::info!(employee, versions = rows.len(), action = ?entry.action, "photo deleted");
        Ok(())
    }
}
