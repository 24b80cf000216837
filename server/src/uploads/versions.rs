//! The SQL behind own-photo uploads: `photo_versions` rows of one person
//! and the `object_deletions` queue. Every query that takes an id also takes
//! the employee, so nobody can reach another person's version.

use crate::storage::keys;
use sqlx::{SqliteConnection, SqlitePool};

/// One of a person's photo versions.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VersionRow {
    pub id: String,
    pub state: String,
    pub reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub upload_content_type: Option<String>,
    pub upload_content_length: Option<i64>,
    pub upload_expires_at: Option<i64>,
}

const VERSION_COLUMNS: &str = "id, state, reason, created_at, decided_at, \
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
pub async fn find(
    db: &SqlitePool,
    employee: i64,
    id: &str,
) -> Result<Option<VersionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM photo_versions WHERE id = ? AND employee_id = ?"
    ))
    .bind(id)
    .bind(employee)
    .fetch_optional(db)
    .await
}

/// The approved version others see (`employees.photo_version_id`).
pub async fn current(db: &SqlitePool, employee: i64) -> Result<Option<VersionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM photo_versions \
         WHERE id = (SELECT photo_version_id FROM employees WHERE id = ?) AND state = 'approved'"
    ))
    .bind(employee)
    .fetch_optional(db)
    .await
}

/// The newest pending or rejected version created after `since` (unix ms).
pub async fn latest_unapproved(
    db: &SqlitePool,
    employee: i64,
    since: i64,
) -> Result<Option<VersionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM photo_versions \
         WHERE employee_id = ? AND state IN ('pending', 'rejected') AND created_at >= ? \
         ORDER BY created_at DESC, rowid DESC LIMIT 1"
    ))
    .bind(employee)
    .bind(since)
    .fetch_optional(db)
    .await
}

/// Records an upload in state `uploading`.
pub async fn insert_upload(
    conn: &mut SqliteConnection,
    upload: &NewUpload<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO photo_versions \
         (id, employee_id, state, created_at, upload_content_type, upload_content_length, upload_expires_at) \
         VALUES (?, ?, 'uploading', ?, ?, ?, ?)",
    )
    .bind(upload.id)
    .bind(upload.employee)
    .bind(upload.created_at)
    .bind(upload.content_type)
    .bind(i64::try_from(upload.content_length).unwrap_or(i64::MAX))
    .bind(upload.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves the expiry of an upload's URL on (a fresh URL was handed out).
pub async fn extend_upload(
    db: &SqlitePool,
    employee: i64,
    id: &str,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE photo_versions SET upload_expires_at = max(coalesce(upload_expires_at, 0), ?) \
         WHERE id = ? AND employee_id = ? AND state = 'uploading'",
    )
    .bind(expires_at)
    .bind(id)
    .bind(employee)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The person's versions in `state`, other than `except`.
pub async fn in_state(
    conn: &mut SqliteConnection,
    employee: i64,
    state: &str,
    except: &str,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM photo_versions \
         WHERE employee_id = ? AND state = ? AND id != ?"
    ))
    .bind(employee)
    .bind(state)
    .bind(except)
    .fetch_all(conn)
    .await
}

/// Every version of the person.
pub async fn all_of(
    conn: &mut SqliteConnection,
    employee: i64,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM photo_versions WHERE employee_id = ?"
    ))
    .bind(employee)
    .fetch_all(conn)
    .await
}

/// Marks an upload pending review; `false` if it is no longer uploading
/// (cancelled or swept meanwhile).
pub async fn mark_pending(
    conn: &mut SqliteConnection,
    employee: i64,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE photo_versions SET state = 'pending' \
         WHERE id = ? AND employee_id = ? AND state = 'uploading'",
    )
    .bind(id)
    .bind(employee)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The state of version `id`, or `None` once its row is gone.
pub async fn state_of(
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT state FROM photo_versions WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Deletes the version row if it is in `state`; `false` if it was not.
pub async fn delete_in_state(
    conn: &mut SqliteConnection,
    id: &str,
    state: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM photo_versions WHERE id = ? AND state = ?")
        .bind(id)
        .bind(state)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets every version of the person, the approved one included.
pub async fn delete_all_of(conn: &mut SqliteConnection, employee: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE employees SET photo_version_id = NULL WHERE id = ?")
        .bind(employee)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM photo_versions WHERE employee_id = ?")
        .bind(employee)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Uploads whose last URL expired at or before `cutoff` (unix ms).
pub async fn abandoned_uploads(
    db: &SqlitePool,
    cutoff: i64,
    limit: i64,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM photo_versions \
         WHERE state = 'uploading' AND coalesce(upload_expires_at, created_at) <= ? \
         ORDER BY upload_expires_at LIMIT ?"
    ))
    .bind(cutoff)
    .bind(limit)
    .fetch_all(db)
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
pub async fn queue_deletion(
    conn: &mut SqliteConnection,
    key: &str,
    delete_after: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO object_deletions (key, delete_after) VALUES (?, ?) \
         ON CONFLICT (key) DO UPDATE SET delete_after = max(delete_after, excluded.delete_after)",
    )
    .bind(key)
    .bind(delete_after)
    .execute(conn)
    .await?;
    Ok(())
}

/// Queued keys due at `now` (unix ms), oldest first.
pub async fn due_deletions(
    db: &SqlitePool,
    now: i64,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT key FROM object_deletions WHERE delete_after <= ? ORDER BY delete_after LIMIT ?",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Forgets a queued key once the store deleted it at or after its time.
pub async fn deletion_done(db: &SqlitePool, key: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM object_deletions WHERE key = ? AND delete_after <= ?")
        .bind(key)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}
