//! HR's review of pending photos: the queue, approval and rejection.
//!
//! A decision is one `BEGIN IMMEDIATE` transaction: the version's new
//! state, the person's approved photo, the rows that go, the objects
//! queued for deletion and the audit entry commit together or not at all.
//! Two decisions on one version are serialized by SQLite's write lock: the
//! second finds it no longer pending and answers 409.

use super::versions::{self, VersionRow};
use super::Uploads;
use crate::audit::{self, Entry, Subject};
use crate::error::{AppError, AppResult};
use crate::extract::to_timestamp;
use crate::storage::keys;
use lanyard_wire::{AuditAction, MAX_REASON_CHARS};
use sqlx::SqliteConnection;
use std::time::SystemTime;

/// Pending versions one queue answer lists at most (oldest first).
pub const MAX_QUEUE: i64 = 200;

/// One pending version in the queue, of an active person.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingRow {
    pub version_id: String,
    pub employee_id: i64,
    pub name: String,
    pub title: String,
    pub department: String,
    pub created_at: i64,
    /// The approved version everyone sees today.
    pub current_version: Option<String>,
}

/// Who decides, for the audit entry.
#[derive(Debug, Clone)]
pub struct Reviewer {
    pub id: i64,
    pub ip: Option<String>,
}

/// The version to decide on and whose it is.
#[derive(Debug, sqlx::FromRow)]
struct Candidate {
    employee_id: i64,
    state: String,
    active: bool,
    photo_version_id: Option<String>,
}

/// A rejection reason as stored: trimmed, non-empty, at most
/// [`MAX_REASON_CHARS`] characters, no control characters.
pub fn check_reason(reason: &str) -> Result<&str, String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err("Give a reason: the employee sees it.".to_owned());
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(format!(
            "The reason may be at most {MAX_REASON_CHARS} characters."
        ));
    }
    if reason.chars().any(char::is_control) {
        return Err("The reason may not contain control characters or line breaks.".to_owned());
    }
    Ok(reason)
}

impl Uploads {
    /// Pending versions of active people, oldest first.
    pub async fn review_queue(&self) -> AppResult<Vec<PendingRow>> {
        let rows = sqlx::query_as(
            "SELECT pv.id AS version_id, e.id AS employee_id, e.name, e.title, e.department, \
                    pv.created_at, \
                    (SELECT c.id FROM photo_versions c \
                      WHERE c.id = e.photo_version_id AND c.state = 'approved') AS current_version \
             FROM photo_versions pv JOIN employees e ON e.id = pv.employee_id \
             WHERE pv.state = 'pending' AND e.active = 1 \
             ORDER BY pv.created_at, pv.id LIMIT ?",
        )
        .bind(MAX_QUEUE)
        .fetch_all(&self.db)
        .await?;
        Ok(rows)
    }

    /// Makes pending `version` its owner's photo; the previous approved
    /// version's row and objects go.
    pub async fn approve(&self, version: &str, by: &Reviewer, now: SystemTime) -> AppResult<()> {
        let now_ms = to_timestamp(now).0;
        let mut tx = self.write_tx().await?;
        let candidate = pending(&mut tx, version).await?;
        let employee = candidate.employee_id;
        sqlx::query(
            "UPDATE photo_versions SET state = 'approved', decided_at = ? \
             WHERE id = ? AND state = 'pending'",
        )
        .bind(now_ms)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE employees SET photo_version_id = ? WHERE id = ?")
            .bind(version)
            .bind(employee)
            .execute(&mut *tx)
            .await?;
        let mut doomed = Vec::new();
        let previous = candidate.photo_version_id.filter(|p| p != version);
        if let Some(previous) = &previous {
            let rows = versions::all_of(&mut tx, employee).await?;
            for row in rows.iter().filter(|r| &r.id == previous) {
                if versions::delete_in_state(&mut tx, &row.id, &row.state).await? {
                    doomed.extend(self.queue_version(&mut tx, row, now_ms).await?);
                }
            }
        }
        let detail = match &previous {
            Some(previous) => format!("Approved photo version {version}, replacing {previous}."),
            None => format!("Approved photo version {version}."),
        };
        let entry = decision(by, AuditAction::PhotoApproved, employee, version, detail);
        audit::append(&mut tx, to_timestamp(now), &entry).await?;
        tx.commit().await?;
        self.purge(&doomed, now).await;
        tracing::info!(employee, version, reviewer = by.id, "photo approved");
        Ok(())
    }

    /// Rejects pending `version` with `reason` (shown to its owner); its
    /// objects go, its row stays to carry the reason.
    pub async fn reject(
        &self,
        version: &str,
        reason: &str,
        by: &Reviewer,
        now: SystemTime,
    ) -> AppResult<()> {
        let reason = check_reason(reason).map_err(AppError::BadRequest)?;
        let now_ms = to_timestamp(now).0;
        let mut tx = self.write_tx().await?;
        let candidate = pending(&mut tx, version).await?;
        let employee = candidate.employee_id;
        let rows = versions::all_of(&mut tx, employee).await?;
        let row: VersionRow = rows
            .into_iter()
            .find(|r| r.id == version)
            .ok_or_else(|| anyhow::anyhow!("version {version} vanished inside its transaction"))?;
        sqlx::query(
            "UPDATE photo_versions SET state = 'rejected', reason = ?, decided_at = ? \
             WHERE id = ? AND state = 'pending'",
        )
        .bind(reason)
        .bind(now_ms)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        let doomed = self.queue_version(&mut tx, &row, now_ms).await?;
        let entry = decision(
            by,
            AuditAction::PhotoRejected,
            employee,
            version,
            reason.to_owned(),
        );
        audit::append(&mut tx, to_timestamp(now), &entry).await?;
        tx.commit().await?;
        self.purge(&doomed, now).await;
        tracing::info!(employee, version, reviewer = by.id, "photo rejected");
        Ok(())
    }
}

fn decision(
    by: &Reviewer,
    action: AuditAction,
    employee: i64,
    version: &str,
    detail: String,
) -> Entry {
    Entry {
        actor: Some(by.id),
        action,
        subjects: vec![Subject {
            employee_id: employee,
            photo_version_id: Some(version.to_owned()),
        }],
        detail,
        ip: by.ip.clone(),
    }
}

/// `version`, if it is pending and its owner active: 404 for an id that
/// never existed, 409 for one decided, replaced, withdrawn or whose owner
/// has left.
async fn pending(tx: &mut SqliteConnection, version: &str) -> AppResult<Candidate> {
    keys::parse_version_id(version).map_err(|_| AppError::NotFound)?;
    let found: Option<Candidate> = sqlx::query_as(
        "SELECT pv.employee_id, pv.state, e.active != 0 AS active, e.photo_version_id \
         FROM photo_versions pv JOIN employees e ON e.id = pv.employee_id WHERE pv.id = ?",
    )
    .bind(version)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(candidate) = found else {
        let retired: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM retired_photo_versions WHERE id = ?")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?;
        return match retired {
            Some(_) => Err(AppError::Conflict(
                "This photo is no longer pending review: its owner replaced or withdrew it.".into(),
            )),
            None => Err(AppError::NotFound),
        };
    };
    match candidate.state.as_str() {
        "pending" if candidate.active => Ok(candidate),
        "pending" => Err(AppError::Conflict(
            "This person has left the directory; their photo cannot be approved or rejected."
                .into(),
        )),
        "approved" | "rejected" => Err(AppError::Conflict(format!(
            "This photo has been {} already.",
            candidate.state
        ))),
        _ => Err(AppError::Conflict(
            "This photo is still being uploaded; it is not ready for review.".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_trimmed_and_required() {
        assert_eq!(check_reason("  Blurry.  "), Ok("Blurry."));
        assert!(check_reason("").is_err());
        assert!(check_reason(" \t ").is_err());
    }

    #[test]
    fn reasons_have_a_length_limit_in_characters() {
        let longest = "é".repeat(MAX_REASON_CHARS);
        assert!(check_reason(&longest).is_ok());
        assert!(check_reason(&format!("{longest}é")).is_err());
    }

    #[test]
    fn reasons_refuse_control_characters() {
        for bad in ["bad\u{0}", "two\nlines", "esc\u{1b}[31m"] {
            assert!(check_reason(bad).is_err(), "{bad:?}");
        }
    }
}
