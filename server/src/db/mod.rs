//! The database, SQLite or PostgreSQL: opening and migrating it, and running
//! statements on it ([`Db`], [`Tx`], [`Exec`]).
//!
//! This is the only place that names a driver's pool or connection. Each
//! domain (the directory, accounts, uploads, the audit log, …) owns its SQL,
//! both dialects side by side, and runs it through [`Exec`]; routes and
//! services hold a [`Db`]. SQLite is the embedded default
//! (`sqlite://<data>/lanyard.db`); `LANYARD_DATABASE_URL=postgres://…`
//! runs every feature on PostgreSQL 15 or later.
//!
//! Writes that read before they write go in [`Db::begin`]'s transaction.
//! On SQLite that takes the database's one write lock at once (`BEGIN
//! IMMEDIATE`), which serializes every such transaction. PostgreSQL runs
//! transactions side by side, so they take row or advisory locks for what
//! they must see unchanged until they commit: [`Tx::lock_person`] and
//! [`Tx::lock_directory`]. On SQLite both do nothing, the write lock already
//! being held.

/// Copying a whole deployment's database to another (`lanyard copy-database`).
pub mod copy;
/// Running statements on either database.
mod exec;
/// Applying each dialect's migrations.
pub mod migrate;
/// The session store for each backend.
pub mod sessions;
/// Database URLs: which database, and how to print one without its password.
mod url;
/// One bound argument for either driver.
mod value;

pub use exec::{query, query_each, query_with, Args, Exec, Record, Scalar, Statement};
pub use url::{redact, DatabaseUrl};
pub use value::Value;

use anyhow::Context as _;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Connection as _;
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// The oldest PostgreSQL Lanyard runs on (`server_version_num`).
const MIN_POSTGRES: i32 = 150_000;
/// Connections a PostgreSQL pool opens at most, per replica.
const POSTGRES_CONNECTIONS: u32 = 16;
/// Connections to the SQLite file; readers share it, one writer at a time.
const SQLITE_CONNECTIONS: u32 = 8;

/// Which SQL a database speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The test that the boolean `column` is true. SQLite stores booleans
    /// as 0 and 1, and uses a partial index (`WHERE active = 1`) only for a
    /// query that says exactly `= 1`; PostgreSQL's column is a `boolean`.
    pub fn is_true(self, column: &str) -> String {
        match self {
            Self::Sqlite => format!("{column} = 1"),
            Self::Postgres => column.to_owned(),
        }
    }

    /// `column` compared by code point whatever the database's collation
    /// (SQLite's default; PostgreSQL's follows the cluster's locale), so
    /// both order text alike.
    pub fn by_code_point(self, column: &str) -> String {
        match self {
            Self::Sqlite => column.to_owned(),
            Self::Postgres => format!("{column} COLLATE \"C\""),
        }
    }

    /// The test that the boolean `column` is false.
    pub fn is_false(self, column: &str) -> String {
        match self {
            Self::Sqlite => format!("{column} = 0"),
            Self::Postgres => format!("NOT {column}"),
        }
    }
}

/// The database. Cheap to clone (a pool).
#[derive(Debug, Clone)]
pub struct Db {
    pool: Pool,
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A write transaction; dropped without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub struct Tx {
    inner: TxInner,
}

#[derive(Debug)]
enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// `text` as the database compares emails and orders names: ASCII letters
/// lowercased, every other character as it is. That is SQLite's `COLLATE
/// NOCASE`, and what PostgreSQL's `email_key` and `name_key` columns hold;
/// bind this to compare with them.
pub fn nocase(text: &str) -> String {
    text.to_ascii_lowercase()
}

impl Db {
    /// Opens the database at `url` (creating an SQLite file if missing),
    /// checks the server and brings its schema up to date. Every error is
    /// one line that names `LANYARD_DATABASE_URL` and what is wrong.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let parsed =
            DatabaseUrl::parse(url).map_err(|e| anyhow::anyhow!("LANYARD_DATABASE_URL: {e}"))?;
        let db = Self::open(&parsed, true)
            .await
            .context("LANYARD_DATABASE_URL")?;
        migrate::run(&db).await.with_context(|| {
            format!(
                "LANYARD_DATABASE_URL: could not migrate {}",
                parsed.redacted()
            )
        })?;
        Ok(db)
    }

    /// Opens the database without migrating it (`copy-database` reads a
    /// source as it is); an SQLite file is created only with `create`.
    pub async fn open(url: &DatabaseUrl, create: bool) -> anyhow::Result<Self> {
        match url {
            DatabaseUrl::Sqlite(raw) => open_sqlite(raw, create).await,
            DatabaseUrl::Postgres(raw) => open_postgres(raw).await,
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self.pool {
            Pool::Sqlite(_) => Dialect::Sqlite,
            Pool::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Starts a write transaction (on SQLite, holding the write lock from
    /// its first statement; see the module docs).
    pub async fn begin(&self) -> sqlx::Result<Tx> {
        let inner = match &self.pool {
            Pool::Sqlite(pool) => TxInner::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(pool) => TxInner::Postgres(pool.begin().await?),
        };
        Ok(Tx { inner })
    }

    /// Waits for connections in use to be returned, then closes them all
    /// (on SQLite this also checkpoints the write-ahead log into the file).
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }

    /// Whether the database answers a trivial query (the readiness check).
    pub async fn ping(&self) -> sqlx::Result<()> {
        self.scalar::<i64>(query("SELECT CAST(1 AS BIGINT)"))
            .await
            .map(drop)
    }
}

impl Tx {
    pub fn dialect(&self) -> Dialect {
        match self.inner {
            TxInner::Sqlite(_) => Dialect::Sqlite,
            TxInner::Postgres(_) => Dialect::Postgres,
        }
    }

    pub async fn commit(self) -> sqlx::Result<()> {
        match self.inner {
            TxInner::Sqlite(tx) => tx.commit().await,
            TxInner::Postgres(tx) => tx.commit().await,
        }
    }

    /// Holds the person's row until commit, so every transaction that
    /// changes one person's photos (uploads, completion, review decisions,
    /// erasure) runs one after the other, as SQLite's write lock makes them.
    /// `false` when there is no such person.
    pub async fn lock_person(&mut self, employee: i64) -> sqlx::Result<bool> {
        let locked: Option<i64> = self
            .optional_scalar(
                query_each(
                    "SELECT id FROM employees WHERE id = $1",
                    "SELECT id FROM employees WHERE id = $1 FOR UPDATE",
                )
                .bind(employee),
            )
            .await?;
        Ok(locked.is_some())
    }

    /// After rows were inserted into `table` with their ids given: on
    /// PostgreSQL, its identity sequence then continues after the largest
    /// id (SQLite's rowid does so by itself).
    pub async fn sync_identity(&mut self, table: &str) -> sqlx::Result<()> {
        assert!(
            table.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "a table name from the code, not from input"
        );
        if self.dialect() == Dialect::Postgres {
            self.execute(query(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 COALESCE(MAX(id), 0) + 1, false) FROM {table}"
            )))
            .await?;
        }
        Ok(())
    }

    /// Serializes changes to the directory's structure (who reports to
    /// whom, whose email is whose: HR's edits, imports, provisioning) until
    /// commit, so two of them cannot together make a loop the check of
    /// each alone would have refused.
    pub async fn lock_directory(&mut self) -> sqlx::Result<()> {
        if self.dialect() == Dialect::Postgres {
            // An arbitrary constant naming this lock ("LANYARD" in ASCII).
            self.execute(query("SELECT pg_advisory_xact_lock(76657833828268)"))
                .await?;
        }
        Ok(())
    }
}

async fn open_sqlite(url: &str, create: bool) -> anyhow::Result<Db> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| anyhow::anyhow!("{} is not a valid SQLite URL: {e}", redact(url)))?
        .create_if_missing(create)
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL is durable in WAL mode except for the last transactions
        // before a power cut, and much faster for the seed's bulk inserts.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(SQLITE_CONNECTIONS)
        .connect_with(options)
        .await
        .map_err(|e| anyhow::anyhow!("could not open {}: {e}", redact(url)))?;
    Ok(Db {
        pool: Pool::Sqlite(pool),
    })
}

async fn open_postgres(url: &str) -> anyhow::Result<Db> {
    let shown = redact(url);
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| anyhow::anyhow!("{shown} is not a valid PostgreSQL URL: {e}"))?;
    // One connection first: a pool that cannot connect only says it timed
    // out, where this says why (refused, unknown host, wrong password…).
    let probe = PgConnection::connect_with(&options)
        .await
        .map_err(|e| anyhow::anyhow!("could not connect to {shown}: {e}"))?;
    probe.close().await.ok();
    let pool = PgPoolOptions::new()
        .max_connections(POSTGRES_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|e| anyhow::anyhow!("could not connect to {shown}: {e}"))?;
    let version: String = sqlx::query_scalar("SELECT current_setting('server_version_num')")
        .fetch_one(&pool)
        .await
        .map_err(|e| anyhow::anyhow!("{shown} did not say its version: {e}"))?;
    let number: i32 = version.trim().parse().unwrap_or(0);
    if number < MIN_POSTGRES {
        anyhow::bail!(
            "{shown} runs PostgreSQL {}.{}; Lanyard needs 15 or later",
            number / 10_000,
            number % 10_000 / 100,
        );
    }
    Ok(Db {
        pool: Pool::Postgres(pool),
    })
}
