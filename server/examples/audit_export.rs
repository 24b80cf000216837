//! Memory of the audit CSV export as the log grows: fills a fresh database
//! with N entries (each naming two people), streams the export the way
//! `GET /api/hr/audit.csv` does, and prints the CSV's size, the time and
//! the process's peak memory while exporting (VmHWM, reset just before).
//!
//! cargo run -p lanyard-server --profile server --example audit_export [N…]
//!   (default 1000 1000000; on PostgreSQL with LANYARD_BENCH_POSTGRES set to
//!   a database URL of a server that may create databases)

use futures_util::TryStreamExt as _;
use lanyard_server::audit::export::csv_stream;
use lanyard_server::audit::query::Filter;
use lanyard_server::db::{query, Db, Exec as _};
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let sizes: Vec<u64> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let sizes = if sizes.is_empty() {
        vec![1_000, 1_000_000]
    } else {
        sizes
    };
    let dir = tempfile::tempdir()?;
    for (n, entries) in sizes.into_iter().enumerate() {
        let url = match std::env::var("LANYARD_BENCH_POSTGRES") {
            Ok(admin) => fresh_postgres(&admin, n).await?,
            Err(_) => format!(
                "sqlite://{}",
                dir.path().join(format!("audit{n}.db")).display()
            ),
        };
        let db = Db::connect(&url).await?;
        fill(&db, entries).await?;
        reset_peak_memory();
        let started = Instant::now();
        let bytes = csv_stream(db.clone(), Filter::default())
            .try_fold(
                0usize,
                |total, chunk| async move { Ok(total + chunk.len()) },
            )
            .await?;
        let took = started.elapsed();
        println!(
            "{:<10} {entries:>9} entries: {:>7.1} MB of CSV in {:>6.2} s, peak memory while exporting {:>6.1} MiB",
            match db.dialect() {
                lanyard_server::db::Dialect::Sqlite => "SQLite",
                lanyard_server::db::Dialect::Postgres => "PostgreSQL",
            },
            bytes as f64 / 1e6,
            took.as_secs_f64(),
            peak_memory_kib() as f64 / 1024.0,
        );
        db.close().await;
    }
    Ok(())
}

/// `entries` sign-ins of employee 1, each naming employees 2 and 3.
async fn fill(db: &Db, entries: u64) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    tx.execute(query(
        "INSERT INTO employees (id, name, email, title, department, location, phone, created_at) \
         VALUES (1, 'Ada', 'ada@x.example', 'Chief', 'Ops', 'Oslo', '', 0), \
                (2, 'Bo', 'bo@x.example', 'Dev', 'Eng', 'Oslo', '', 0), \
                (3, 'Cy', 'cy@x.example', 'Dev', 'Eng', 'Oslo', '', 0)",
    ))
    .await?;
    tx.execute(
        query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
             INSERT INTO audit_log (at, actor_id, action, detail, ip) \
             SELECT 1700000000000 + i, 1, 'urls_granted', '2 photo URLs of 2 people for the directory', '10.0.0.1' FROM n",
        )
        .bind(i64::try_from(entries)?),
    )
    .await?;
    tx.execute(query(
        "INSERT INTO audit_subjects (entry_id, employee_id) \
         SELECT id, 2 FROM audit_log UNION ALL SELECT id, 3 FROM audit_log",
    ))
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn fresh_postgres(admin: &str, n: usize) -> anyhow::Result<String> {
    use sqlx::Connection as _;
    let name = format!("lanyard_audit_bench_{}_{n}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    let base = admin.rsplit_once('/').map_or(admin, |(server, _)| server);
    Ok(format!("{base}/{name}"))
}

/// Resets the kernel's record of this process's peak resident memory.
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory since the last reset, in KiB (Linux's VmHWM).
fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
