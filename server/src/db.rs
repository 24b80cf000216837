//! The SQLite database: opening it, migrating it, and the rows the rest of
//! the server reads.
//!
//! Queries live in [`crate::directory`], not in handlers. WAL mode lets the
//! directory's readers run while a writer (the seed, later: uploads and
//! reviews) holds the write lock; foreign keys are off in SQLite unless asked.

use anyhow::Context as _;
use sqlx::sqlite::SqliteSynchronous;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// Opens (creating if missing) the database at `url` and brings its schema
/// up to date.
pub async fn connect(url: &str) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("invalid database URL {url:?}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL is durable in WAL mode except for the last transactions
        // before a power cut, and much faster for the seed's bulk inserts.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("could not open the database {url}"))?;
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .context("could not migrate the database")?;
    Ok(pool)
}

/// Whether the directory has nobody in it yet (a fresh database).
pub async fn is_empty(pool: &SqlitePool) -> sqlx::Result<bool> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM employees")
        .fetch_one(pool)
        .await?;
    Ok(count == 0)
}
