//! HR's review of pending photos: the queue, approval and rejection.
//!
//! A decision is one transaction: the version's new state, the person's
//! approved photo, the rows that go, the objects queued for deletion and the
//! audit entry commit together or not at all. Two decisions on one version
//! run one after the other (the owner's row is locked first, see
//! [`crate::db::Tx::lock_person`]): the second finds it no longer pending
//! and answers 409, on either database.
//!
//! HR decide on their own photo only when nobody else can: while another
//! active HR member exists, a self-decision answers 409; without one it is
//! allowed, and its audit entry says so.

use super::versions::{self, VersionRow};
use super::Uploads;
use crate::audit::{self, Entry, Subject};
use crate::db::{query, query_with, Exec as _, Tx};
use crate::error::{AppError, AppResult};
use crate::extract::to_timestamp;
use crate::storage::keys;
use lanyard_wire::{AuditAction, PhotoState, MAX_REASON_CHARS};
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
    #[sqlx(try_from = "String")]
    state: PhotoState,
    active: bool,
    photo_version_id: Option<String>,
    /// HR deciding on their own photo, with nobody else in HR to do it.
    #[sqlx(skip)]
    self_review: bool,
}

impl Candidate {
    fn with_self_review_note(&self, detail: String) -> String {
        if self.self_review {
            format!("{detail} (Decided on one's own photo: no other HR member is active.)")
        } else {
            detail
        }
    }
}

/// A rejection reason as stored: trimmed, non-empty, at most
/// [`MAX_REASON_CHARS`] characters, no control characters.
/// Checked as sent, before trimming, as the API document states it.
pub fn check_reason(reason: &str) -> Result<&str, String> {
    if reason.trim().is_empty() {
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
    Ok(reason.trim())
}

impl Uploads {
    /// Pending versions of active people, oldest first.
    pub async fn review_queue(&self) -> AppResult<Vec<PendingRow>> {
        // States written out, not bound: SQLite's partial index
        // `photo_versions_pending` serves only `state = 'pending'`.
        let statement = query_with(|d| {
            format!(
                "SELECT pv.id AS version_id, e.id AS employee_id, e.name, e.title, \
                        e.department, pv.created_at, \
                        (SELECT c.id FROM photo_versions c \
                          WHERE c.id = e.photo_version_id AND c.state = '{approved}') \
                          AS current_version \
                 FROM photo_versions pv JOIN employees e ON e.id = pv.employee_id \
                 WHERE pv.state = '{pending}' AND {active} \
                 ORDER BY pv.created_at, pv.id LIMIT $1",
                approved = PhotoState::Approved,
                pending = PhotoState::Pending,
                active = d.is_true("e.active"),
            )
        });
        Ok(self.db.fetch_all(statement.bind(MAX_QUEUE)).await?)
    }

    /// Makes pending `version` its owner's photo; the previous approved
    /// version's row and objects go.
    pub async fn approve(&self, version: &str, by: &Reviewer, now: SystemTime) -> AppResult<()> {
        let now_ms = to_timestamp(now).0;
        let (mut tx, candidate) = self.decide(version, by).await?;
        let employee = candidate.employee_id;
        tx.execute(
            query("UPDATE photo_versions SET state = $1, decided_at = $2 WHERE id = $3 AND state = $4")
                .bind(PhotoState::Approved.as_str())
                .bind(now_ms)
                .bind(version)
                .bind(PhotoState::Pending.as_str()),
        )
        .await?;
        tx.execute(
            query("UPDATE employees SET photo_version_id = $1 WHERE id = $2")
                .bind(version)
                .bind(employee),
        )
        .await?;
        let mut doomed = Vec::new();
        let previous = candidate.photo_version_id.clone().filter(|p| p != version);
        if let Some(previous) = &previous {
            let rows = versions::all_of(&mut tx, employee).await?;
            for row in rows.iter().filter(|r| &r.id == previous) {
                if versions::delete_in_state(&mut tx, &row.id, row.state).await? {
                    doomed.extend(self.queue_version(&mut tx, row, now_ms).await?);
                }
            }
        }
        let detail = match &previous {
            Some(previous) => format!("Approved photo version {version}, replacing {previous}."),
            None => format!("Approved photo version {version}."),
        };
        let detail = candidate.with_self_review_note(detail);
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
        let (mut tx, candidate) = self.decide(version, by).await?;
        let employee = candidate.employee_id;
        let rows = versions::all_of(&mut tx, employee).await?;
        let row: VersionRow = rows
            .into_iter()
            .find(|r| r.id == version)
            .ok_or_else(|| anyhow::anyhow!("version {version} vanished inside its transaction"))?;
        tx.execute(
            query(
                "UPDATE photo_versions SET state = $1, reason = $2, decided_at = $3 \
                 WHERE id = $4 AND state = $5",
            )
            .bind(PhotoState::Rejected.as_str())
            .bind(reason)
            .bind(now_ms)
            .bind(version)
            .bind(PhotoState::Pending.as_str()),
        )
        .await?;
        let doomed = self.queue_version(&mut tx, &row, now_ms).await?;
        let detail = candidate.with_self_review_note(reason.to_owned());
        let entry = decision(by, AuditAction::PhotoRejected, employee, version, detail);
        audit::append(&mut tx, to_timestamp(now), &entry).await?;
        tx.commit().await?;
        self.purge(&doomed, now).await;
        tracing::info!(employee, version, reviewer = by.id, "photo rejected");
        Ok(())
    }

    /// The transaction a decision on `version` by `by` runs in, holding its
    /// owner's lock, and the version: 404 for an id that never existed, 409
    /// for one decided, replaced, withdrawn or whose owner has left, and
    /// for HR's own photo while another HR member could decide it.
    async fn decide(&self, version: &str, by: &Reviewer) -> AppResult<(Tx, Candidate)> {
        keys::parse_version_id(version).map_err(|_| AppError::NotFound)?;
        // Whose it is never changes: read it before taking their lock.
        let owner: Option<i64> = self
            .db
            .optional_scalar(
                query("SELECT employee_id FROM photo_versions WHERE id = $1").bind(version),
            )
            .await?;
        let mut tx = match owner {
            Some(owner) => self.write_tx(owner).await?,
            None => self.db.begin().await?,
        };
        let mut candidate = pending(&mut tx, version).await?;
        if candidate.employee_id == by.id {
            if other_hr_members(&mut tx, by.id).await? > 0 {
                return Err(AppError::Conflict(
                    "This is your own photo: someone else in HR must approve or reject it.".into(),
                ));
            }
            candidate.self_review = true;
        }
        Ok((tx, candidate))
    }
}

/// How many active HR members there are besides `me`.
async fn other_hr_members(tx: &mut Tx, me: i64) -> sqlx::Result<i64> {
    tx.scalar(
        query_with(|d| {
            format!(
                "SELECT COUNT(*) FROM employees WHERE role = 'hr' AND {} AND id != $1",
                d.is_true("active")
            )
        })
        .bind(me),
    )
    .await
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
async fn pending(tx: &mut Tx, version: &str) -> AppResult<Candidate> {
    let found: Option<Candidate> = tx
        .fetch_optional(
            query(
                "SELECT pv.employee_id, pv.state, e.active, e.photo_version_id \
                 FROM photo_versions pv JOIN employees e ON e.id = pv.employee_id \
                 WHERE pv.id = $1",
            )
            .bind(version),
        )
        .await?;
    let Some(candidate) = found else {
        let retired: Option<i64> = tx
            .optional_scalar(
                query("SELECT employee_id FROM retired_photo_versions WHERE id = $1").bind(version),
            )
            .await?;
        return match retired {
            Some(_) => Err(AppError::Conflict(
                "This photo is no longer pending review: its owner replaced or withdrew it.".into(),
            )),
            None => Err(AppError::NotFound),
        };
    };
    match candidate.state {
        PhotoState::Pending if candidate.active => Ok(candidate),
        PhotoState::Pending => Err(AppError::Conflict(
            "This person has left the directory; their photo cannot be approved or rejected."
                .into(),
        )),
        PhotoState::Approved | PhotoState::Rejected => Err(AppError::Conflict(format!(
            "This photo has been {} already.",
            candidate.state
        ))),
        PhotoState::Uploading | PhotoState::None => Err(AppError::Conflict(
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
