//! `lanyard copy-database --from URL --to URL [--sessions]`: moves a whole
//! deployment from one database to another (SQLite to PostgreSQL, or back).
//!
//! - The source is only read, and must be migrated as far as this release.
//! - The target must be empty: no table of its own, or Lanyard's tables
//!   without a row. Anything else is refused before anything is written.
//! - Everything is copied in one transaction on the target, ids and times
//!   as they are (the audit log's ids included), then read back inside that
//!   transaction: each table's row count and SHA-256 over its rows in key
//!   order must equal the source's, or nothing is committed.
//! - Rows are streamed in key order and inserted in batches, so memory does
//!   not grow with the database.

/// What is copied, table by table.
mod tables;

use super::exec::{Exec as _, Target};
use super::value::Value;
use super::{migrate, query, Args, DatabaseUrl, Db, Dialect};
use anyhow::{bail, Context as _};
use futures_util::stream::BoxStream;
use futures_util::{StreamExt as _, TryStreamExt as _};
use sha2::{Digest as _, Sha256};
use sqlx::{ColumnIndex, Decode, Row, Type};
use std::fmt;
use tables::{Kind, Table, TABLES};

/// Most arguments one INSERT binds (SQLite allows 32766, PostgreSQL 65535).
const MAX_ARGS: usize = 30_000;

/// One table's figures on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    pub table: &'static str,
    pub source_rows: u64,
    pub target_rows: u64,
    pub source_sha256: String,
    pub target_sha256: String,
}

/// What a copy did.
#[derive(Debug, Clone)]
pub struct CopyReport {
    pub from: String,
    pub to: String,
    pub tables: Vec<TableReport>,
}

impl fmt::Display for CopyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Copied {} to {}", self.from, self.to)?;
        writeln!(
            f,
            "{:<24} {:>10} {:>10}  {:<16}  {:<16}",
            "table", "source", "target", "source sha256", "target sha256"
        )?;
        for t in &self.tables {
            let mark = if t.source_rows == t.target_rows && t.source_sha256 == t.target_sha256 {
                "same"
            } else {
                "DIFFERENT"
            };
            writeln!(
                f,
                "{:<24} {:>10} {:>10}  {:<16}  {:<16}  {mark}",
                t.table,
                t.source_rows,
                t.target_rows,
                &t.source_sha256[..16],
                &t.target_sha256[..16],
            )?;
        }
        Ok(())
    }
}

/// Copies everything in `from` to the empty database `to` (sessions only
/// with `sessions`); see the module docs.
pub async fn copy(from: &str, to: &str, sessions: bool) -> anyhow::Result<CopyReport> {
    let (from_url, to_url) = (parse("--from", from)?, parse("--to", to)?);
    if from_url == to_url {
        bail!("--from and --to name the same database");
    }
    let source = Db::open(&from_url, false).await.context("--from")?;
    if !migrate::up_to_date(&source).await? {
        bail!(
            "--from {}: not migrated as far as this release; start this release once on it \
             (or run `lanyard migrate`) first",
            from_url.redacted()
        );
    }
    let target = Db::open(&to_url, true).await.context("--to")?;
    refuse_non_empty(&target).await.with_context(|| {
        format!(
            "--to {} is not empty; nothing was copied",
            to_url.redacted()
        )
    })?;
    migrate::run(&target).await.context("--to: migrating")?;

    let mut tx = target.begin().await?;
    let mut reports = Vec::new();
    for table in TABLES.iter().filter(|t| sessions || !t.sessions) {
        let (source_rows, source_sha256) = copy_table(&source, &mut tx, table).await?;
        let sql = select(table, target.dialect());
        let (target_rows, target_sha256) = sum(read((&mut tx).target(), &sql, table)).await?;
        if table.identity {
            tx.sync_identity(table.name).await?;
        }
        let report = TableReport {
            table: table.name,
            source_rows,
            target_rows,
            source_sha256,
            target_sha256,
        };
        let same = report.source_rows == report.target_rows
            && report.source_sha256 == report.target_sha256;
        reports.push(report);
        if !same {
            let report = CopyReport {
                from: from_url.redacted(),
                to: to_url.redacted(),
                tables: reports,
            };
            bail!(
                "{}: the copy differs from the source; nothing was copied\n{report}",
                table.name
            );
        }
    }
    tx.commit().await.context("committing the copy")?;
    Ok(CopyReport {
        from: from_url.redacted(),
        to: to_url.redacted(),
        tables: reports,
    })
}

fn parse(flag: &str, url: &str) -> anyhow::Result<DatabaseUrl> {
    DatabaseUrl::parse(url).map_err(|e| anyhow::anyhow!("{flag}: {e}"))
}

/// Errors unless `db` has no tables, or only Lanyard's, without rows.
async fn refuse_non_empty(db: &Db) -> anyhow::Result<()> {
    let list = match db.dialect() {
        Dialect::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        Dialect::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
    };
    let names: Vec<String> = db.scalars(query(list)).await?;
    for name in names {
        if tables::is_derived(&name) {
            continue;
        }
        if !TABLES.iter().any(|t| t.name == name) {
            bail!("it has a table Lanyard does not know: {name}");
        }
        let rows: i64 = db
            .scalar(query(format!("SELECT COUNT(*) FROM {name}")))
            .await?;
        if rows > 0 {
            bail!("its table {name} has {rows} row(s)");
        }
    }
    Ok(())
}

/// Streams `table` from `source` into `tx` in batches; the source's row
/// count and checksum.
async fn copy_table(
    source: &Db,
    tx: &mut super::Tx,
    table: &Table,
) -> anyhow::Result<(u64, String)> {
    let per_insert = (MAX_ARGS / table.columns.len()).max(1);
    let sql = select(table, source.dialect());
    let mut rows = read(source.target(), &sql, table);
    let mut hasher = Sha256::new();
    let mut count = 0u64;
    let mut batch = Vec::with_capacity(per_insert);
    while let Some(row) = rows.try_next().await? {
        feed(&mut hasher, &row);
        count += 1;
        batch.push(row);
        if batch.len() == per_insert {
            insert(tx, table, std::mem::take(&mut batch)).await?;
        }
    }
    drop(rows);
    if !batch.is_empty() {
        insert(tx, table, batch).await?;
    }
    Ok((count, hex::encode(hasher.finalize())))
}

async fn insert(tx: &mut super::Tx, table: &Table, rows: Vec<Vec<Value>>) -> anyhow::Result<()> {
    let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let mut args = Args::default();
    let values: Vec<String> = rows
        .into_iter()
        .map(|row| format!("({})", args.list(row)))
        .collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES {}",
        table.name,
        columns.join(", "),
        values.join(", ")
    );
    tx.execute(query(sql).bind_args(args))
        .await
        .with_context(|| format!("writing {}", table.name))?;
    Ok(())
}

/// The row count and SHA-256 of a stream of rows.
async fn sum(mut rows: BoxStream<'_, sqlx::Result<Vec<Value>>>) -> anyhow::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut count = 0u64;
    while let Some(row) = rows.try_next().await? {
        feed(&mut hasher, &row);
        count += 1;
    }
    Ok((count, hex::encode(hasher.finalize())))
}

/// Adds one row to a checksum: each value tagged by kind and
/// length-prefixed, so no two different rows feed the same bytes.
fn feed(hasher: &mut Sha256, row: &[Value]) {
    for value in row {
        let (tag, bytes): (u8, Vec<u8>) = match value {
            Value::Int(Some(v)) => (1, v.to_be_bytes().to_vec()),
            Value::Text(Some(v)) => (2, v.as_bytes().to_vec()),
            Value::Bool(Some(v)) => (3, vec![u8::from(*v)]),
            Value::Float(Some(v)) => (4, v.to_be_bytes().to_vec()),
            Value::Bytes(Some(v)) => (5, v.clone()),
            Value::Time(Some(v)) => {
                let micros = v.unix_timestamp_nanos().div_euclid(1000);
                (6, micros.to_be_bytes().to_vec())
            }
            _ => (0, Vec::new()),
        };
        hasher.update([tag]);
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(&bytes);
    }
}

/// The query reading every row of `table` in key order.
fn select(table: &Table, dialect: Dialect) -> String {
    let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    // Code points on both, whatever PostgreSQL's collation, so both sides
    // read text keys in the same order.
    let key: Vec<String> = table
        .key
        .split(", ")
        .map(|k| match table.columns.iter().find(|(c, _)| *c == k) {
            Some((_, Kind::Text)) => dialect.by_code_point(k),
            _ => k.to_owned(),
        })
        .collect();
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        table.name,
        key.join(", ")
    )
}

/// The rows `sql` (from [`select`]) reads, as values.
fn read<'a>(
    target: Target<'a>,
    sql: &'a str,
    table: &'a Table,
) -> BoxStream<'a, sqlx::Result<Vec<Value>>> {
    match target {
        Target::SqlitePool(pool) => sqlx::query(sql)
            .fetch(pool)
            .map(move |row| row.and_then(|row| values(&row, table)))
            .boxed(),
        Target::SqliteConn(conn) => sqlx::query(sql)
            .fetch(conn)
            .map(move |row| row.and_then(|row| values(&row, table)))
            .boxed(),
        Target::PostgresPool(pool) => sqlx::query(sql)
            .fetch(pool)
            .map(move |row| row.and_then(|row| values(&row, table)))
            .boxed(),
        Target::PostgresConn(conn) => sqlx::query(sql)
            .fetch(conn)
            .map(move |row| row.and_then(|row| values(&row, table)))
            .boxed(),
    }
}

/// A row's values, each read as its column's kind.
fn values<'r, R>(row: &'r R, table: &Table) -> sqlx::Result<Vec<Value>>
where
    R: Row,
    usize: ColumnIndex<R>,
    Option<i64>: Decode<'r, R::Database> + Type<R::Database>,
    Option<String>: Decode<'r, R::Database> + Type<R::Database>,
    Option<bool>: Decode<'r, R::Database> + Type<R::Database>,
    Option<Vec<u8>>: Decode<'r, R::Database> + Type<R::Database>,
    Option<time::OffsetDateTime>: Decode<'r, R::Database> + Type<R::Database>,
{
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            Ok(match kind {
                Kind::Int => Value::Int(row.try_get(i)?),
                Kind::Text => Value::Text(row.try_get(i)?),
                Kind::Bool => Value::Bool(row.try_get(i)?),
                Kind::Bytes => Value::Bytes(row.try_get(i)?),
                Kind::Time => Value::Time(row.try_get(i)?),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
