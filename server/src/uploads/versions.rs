//! The SQL behind own-photo uploads: `photo_versions` rows of one person
//! and the `object_deletions` queue, the same text on both databases. Every
//! query that takes an id also takes the employee, so nobody can reach
//! another person's version.

use crate::db::{query, query_each, Exec, Tx};
use crate::storage::keys;
use lanyard_wire::PhotoState;

/// One of a person's photo versions.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VersionRow {
    pub id: String,
    pub employee_id: i64,
    /// An unknown name in the table is an error, never a guess.
    #[sqlx(try_from = "String")]
    pub state: PhotoState,
    pub reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub upload_content_type: Option<String>,
    pub upload_content_length: Option<i64>,
    pub upload_expires_at: Option<i64>,
}

const VERSION_COLUMNS: &str = "id, employee_id, state, reason, created_at, decided_at, \
     upload_content_type, upload_content_length, upload_expires_at";

/// A new upload and the URL handed out for it.
pub struct NewUpload<'a> {
    pub id: &'a str,
    pub employee: i64,
    pub content_type: &'a str,
    pub content_length: u64,
    pub created_at: i64,
    pub expires_at: i64,
}

/// The person's version `id`, or `None` (unknown, or someone else's).
pub async fn find(ex: impl Exec, employee: i64, id: &str) -> sqlx::Result<Option<VersionRow>> {
    ex.fetch_optional(
        query(format!(
            "SELECT {VERSION_COLUMNS} FROM photo_versions WHERE id = $1 AND employee_id = $2"
        ))
        .bind(id)
        .bind(employee),
    )
    .await
}

/// The approved version others see (`employees.photo_version_id`).
pub async fn current(ex: impl Exec, employee: i64) -> sqlx::Result<Option<VersionRow>> {
    ex.fetch_optional(
        query(format!(
            "SELECT {VERSION_COLUMNS} FROM photo_versions \
             WHERE id = (SELECT photo_version_id FROM employees WHERE id = $1) AND state = $2"
        ))
        .bind(employee)
        .bind(PhotoState::Approved.as_str()),
    )
    .await
}

/// The newest pending or rejected version created after `since` (unix ms).
/// (Two versions of one person created in the same millisecond are told
/// apart by id, which is random: either may be "newest", on both databases.)
pub async fn latest_unapproved(
    ex: impl Exec,
    employee: i64,
    since: i64,
) -> sqlx::Result<Option<VersionRow>> {
    ex.fetch_optional(
        query(format!(
            "SELECT {VERSION_COLUMNS} FROM photo_versions \
             WHERE employee_id = $1 AND state IN ($2, $3) AND created_at >= $4 \
             ORDER BY created_at DESC, id DESC LIMIT 1"
        ))
        .bind(employee)
        .bind(PhotoState::Pending.as_str())
        .bind(PhotoState::Rejected.as_str())
        .bind(since),
    )
    .await
}

/// Records an upload in state `uploading`.
pub async fn insert_upload(tx: &mut Tx, upload: &NewUpload<'_>) -> sqlx::Result<()> {
    tx.execute(
        query(
            "INSERT INTO photo_versions (id, employee_id, state, created_at, \
             upload_content_type, upload_content_length, upload_expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(upload.id)
        .bind(upload.employee)
        .bind(PhotoState::Uploading.as_str())
        .bind(upload.created_at)
        .bind(upload.content_type)
        .bind(i64::try_from(upload.content_length).unwrap_or(i64::MAX))
        .bind(upload.expires_at),
    )
    .await?;
    Ok(())
}

/// Moves the expiry of an upload's URL on (a fresh URL was handed out).
pub async fn extend_upload(
    ex: impl Exec,
    employee: i64,
    id: &str,
    expires_at: i64,
) -> sqlx::Result<bool> {
    let changed = ex
        .execute(
            query_each(
                "UPDATE photo_versions SET upload_expires_at = max(coalesce(upload_expires_at, 0), $1) \
                 WHERE id = $2 AND employee_id = $3 AND state = $4",
                "UPDATE photo_versions SET upload_expires_at = greatest(upload_expires_at, $1) \
                 WHERE id = $2 AND employee_id = $3 AND state = $4",
            )
            .bind(expires_at)
            .bind(id)
            .bind(employee)
            .bind(PhotoState::Uploading.as_str()),
        )
        .await?;
    Ok(changed == 1)
}

/// The person's versions in `state`, other than `except`.
pub async fn in_state(
    tx: &mut Tx,
    employee: i64,
    state: PhotoState,
    except: &str,
) -> sqlx::Result<Vec<VersionRow>> {
    tx.fetch_all(
        query(format!(
            "SELECT {VERSION_COLUMNS} FROM photo_versions \
             WHERE employee_id = $1 AND state = $2 AND id != $3"
        ))
        .bind(employee)
        .bind(state.as_str())
        .bind(except),
    )
    .await
}

/// Every version of the person.
pub async fn all_of(tx: &mut Tx, employee: i64) -> sqlx::Result<Vec<VersionRow>> {
    tx.fetch_all(
        query(format!(
            "SELECT {VERSION_COLUMNS} FROM photo_versions WHERE employee_id = $1"
        ))
        .bind(employee),
    )
    .await
}

/// Marks an upload pending review; `false` if it is no longer uploading
/// (cancelled or swept meanwhile).
pub async fn mark_pending(tx: &mut Tx, employee: i64, id: &str) -> sqlx::Result<bool> {
    let changed = tx
        .execute(
            query(
                "UPDATE photo_versions SET state = $1 \
                 WHERE id = $2 AND employee_id = $3 AND state = $4",
            )
            .bind(PhotoState::Pending.as_str())
            .bind(id)
            .bind(employee)
            .bind(PhotoState::Uploading.as_str()),
        )
        .await?;
    Ok(changed == 1)
}

/// The state of version `id`, or `None` once its row is gone.
pub async fn state_of(tx: &mut Tx, id: &str) -> sqlx::Result<Option<PhotoState>> {
    let state: Option<String> = tx
        .optional_scalar(query("SELECT state FROM photo_versions WHERE id = $1").bind(id))
        .await?;
    state
        .map(|name| name.parse().map_err(|e| sqlx::Error::Decode(Box::new(e))))
        .transpose()
}

/// Deletes the version row if it is in `state`; `false` if it was not.
pub async fn delete_in_state(tx: &mut Tx, id: &str, state: PhotoState) -> sqlx::Result<bool> {
    let deleted = tx
        .execute(
            query("DELETE FROM photo_versions WHERE id = $1 AND state = $2")
                .bind(id)
                .bind(state.as_str()),
        )
        .await?;
    Ok(deleted == 1)
}

/// Forgets every version of the person, the approved one included.
pub async fn delete_all_of(tx: &mut Tx, employee: i64) -> sqlx::Result<()> {
    tx.execute(query("UPDATE employees SET photo_version_id = NULL WHERE id = $1").bind(employee))
        .await?;
    tx.execute(query("DELETE FROM photo_versions WHERE employee_id = $1").bind(employee))
        .await?;
    Ok(())
}

/// Uploads whose last URL expired at or before `cutoff` (unix ms).
pub async fn abandoned_uploads(
    ex: impl Exec,
    cutoff: i64,
    limit: i64,
) -> sqlx::Result<Vec<VersionRow>> {
    ex.fetch_all(
        // The state is written out, not bound: only then does SQLite use
        // the partial index `photo_versions_uploading`.
        query(format!(
            "SELECT {VERSION_COLUMNS} FROM photo_versions \
             WHERE state = '{}' AND coalesce(upload_expires_at, created_at) <= $1 \
             ORDER BY upload_expires_at LIMIT $2",
            PhotoState::Uploading
        ))
        .bind(cutoff)
        .bind(limit),
    )
    .await
}

/// Every key a version can have in the store.
pub fn keys_of(id: &str) -> [String; 3] {
    [
        keys::upload_key(id),
        keys::thumb_key(id),
        keys::profile_key(id),
    ]
}

/// Queues `key` for deletion at or after `delete_after` (unix ms); a key
/// queued already keeps the later of the two times.
pub async fn queue_deletion(tx: &mut Tx, key: &str, delete_after: i64) -> sqlx::Result<()> {
    tx.execute(
        query_each(
            "INSERT INTO object_deletions (key, delete_after) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET delete_after = max(delete_after, excluded.delete_after)",
            "INSERT INTO object_deletions (key, delete_after) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE \
             SET delete_after = greatest(object_deletions.delete_after, excluded.delete_after)",
        )
        .bind(key)
        .bind(delete_after),
    )
    .await?;
    Ok(())
}

/// Queued keys due at `now` (unix ms), oldest first.
pub async fn due_deletions(ex: impl Exec, now: i64, limit: i64) -> sqlx::Result<Vec<String>> {
    ex.scalars(
        query(
            "SELECT key FROM object_deletions WHERE delete_after <= $1 \
             ORDER BY delete_after LIMIT $2",
        )
        .bind(now)
        .bind(limit),
    )
    .await
}

/// Forgets a queued key once the store deleted it at or after its time.
pub async fn deletion_done(ex: impl Exec, key: &str, now: i64) -> sqlx::Result<()> {
    ex.execute(
        query("DELETE FROM object_deletions WHERE key = $1 AND delete_after <= $2")
            .bind(key)
            .bind(now),
    )
    .await?;
    Ok(())
}
