//! The audit log: who did what, to whom, when and from where.
//!
//! Two ways in. Changes (a review decision, an erasure, an admin edit, an
//! import) call [`append`] inside their own transaction, so the change and
//! its record commit together or not at all. URL grants, which happen on
//! nearly every request, go through [`AuditLog::urls_granted`]: buffered
//! and written in batches by a background task, so reading the directory
//! does not wait for a database write.
//!
//! The database refuses any UPDATE or DELETE of the log (triggers in each
//! dialect's `…03_audit.sql`): the application can only append.

/// The log as CSV.
pub mod export;
/// The buffered writer and what one answer granted.
mod log;
/// Reading the log: filters and paging.
pub mod query;

pub use log::{AuditLog, Grants};

use crate::db::{query, Args, Exec as _, Tx};
use lanyard_wire::{AuditAction, Timestamp};

/// One entry to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Who acted (`None`: nobody signed in).
    pub actor: Option<i64>,
    pub action: AuditAction,
    /// Whom it concerns, each with the photo version involved, if any.
    pub subjects: Vec<Subject>,
    /// A sentence for people (never a URL, token or password).
    pub detail: String,
    /// The client's address, when known.
    pub ip: Option<String>,
}

/// A person an entry concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub employee_id: i64,
    pub photo_version_id: Option<String>,
}

/// The wire name of an action, as stored in `audit_log.action`.
pub fn action_name(action: AuditAction) -> String {
    serde_json::to_value(action)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Subjects written by one INSERT at most.
const SUBJECTS_PER_INSERT: usize = 500;

/// Appends `entry` at `at` on `conn` — inside the caller's transaction
/// when it has one, so the change and its record are one commit.
pub async fn append(tx: &mut Tx, at: Timestamp, entry: &Entry) -> sqlx::Result<i64> {
    append_by(tx, at, entry, None).await
}

/// [`append`], naming who acted when it was not a person (`actor_label`,
/// e.g. `SCIM (okta)`).
pub async fn append_by(
    tx: &mut Tx,
    at: Timestamp,
    entry: &Entry,
    actor_label: Option<&str>,
) -> sqlx::Result<i64> {
    let id: i64 = tx
        .scalar(
            query(
                "INSERT INTO audit_log (at, actor_id, action, detail, ip, actor_label) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(at.as_millis())
            .bind(entry.actor)
            .bind(action_name(entry.action))
            .bind(&entry.detail)
            .bind(&entry.ip)
            .bind(actor_label),
        )
        .await?;
    // One statement per chunk of subjects rather than one per subject: each
    // statement is a round trip (to sqlx's SQLite worker thread, or to
    // PostgreSQL), and a page of 100 photos made the directory API ~2x
    // slower (issue 8's benchmark, scripts/bench-directory.sh). 3 arguments
    // a row stay far below SQLite's 32766 and PostgreSQL's 65535.
    for chunk in entry.subjects.chunks(SUBJECTS_PER_INSERT) {
        let mut args = Args::default();
        let entry_id = args.add(id);
        let rows: Vec<String> = chunk
            .iter()
            .map(|subject| {
                format!(
                    "({entry_id}, {}, {})",
                    args.add(subject.employee_id),
                    args.add(&subject.photo_version_id)
                )
            })
            .collect();
        // A person named twice in one entry is one subject.
        let sql = format!(
            "INSERT INTO audit_subjects (entry_id, employee_id, photo_version_id) VALUES {} \
             ON CONFLICT DO NOTHING",
            rows.join(", ")
        );
        tx.execute(query(sql).bind_args(args)).await?;
    }
    Ok(id)
}
