//! Each dialect's migrations (`server/migrations/sqlite`,
//! `server/migrations/postgres`), embedded in the binary.
//!
//! Two rules make rolling upgrades and a least-privilege role work:
//! - a database already migrated further than this binary knows is fine
//!   (`ignore_missing`): the previous release keeps running while the next
//!   one has migrated, so every migration must keep the previous release
//!   working (docs/production.md, "Rolling upgrades");
//! - on PostgreSQL, a database whose every migration is applied is not
//!   touched at all, so the application's role needs no right to create
//!   tables: the owner runs `lanyard migrate` once per release.

use super::{Db, Pool};
use sqlx::migrate::Migrator;
use std::collections::HashMap;

fn sqlite() -> Migrator {
    tolerant(sqlx::migrate!("./migrations/sqlite"))
}

fn postgres() -> Migrator {
    tolerant(sqlx::migrate!("./migrations/postgres"))
}

fn tolerant(mut migrator: Migrator) -> Migrator {
    migrator.set_ignore_missing(true);
    migrator
}

/// Applies the migrations `db` lacks.
pub async fn run(db: &Db) -> anyhow::Result<()> {
    match &db.pool {
        Pool::Sqlite(pool) => {
            sqlite().run(pool).await?;
        }
        Pool::Postgres(pool) => {
            if !up_to_date(db).await? {
                postgres().run(pool).await.map_err(|e| {
                    anyhow::anyhow!(
                        "{e} (if the role lacks the right to change the schema, run \
                         `lanyard migrate` as the database's owner first)"
                    )
                })?;
            }
        }
    }
    Ok(())
}

const APPLIED: &str = "SELECT version, checksum FROM _sqlx_migrations WHERE success";

/// Whether every migration this binary has is applied to `db`, unchanged.
pub async fn up_to_date(db: &Db) -> sqlx::Result<bool> {
    match &db.pool {
        Pool::Sqlite(pool) => {
            let exists: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = '_sqlx_migrations')",
            )
            .fetch_one(pool)
            .await?;
            if !exists {
                return Ok(false);
            }
            let applied = sqlx::query_as(APPLIED).fetch_all(pool).await?;
            Ok(all_applied(&sqlite(), applied))
        }
        Pool::Postgres(pool) => {
            let exists: bool =
                sqlx::query_scalar("SELECT to_regclass('public._sqlx_migrations') IS NOT NULL")
                    .fetch_one(pool)
                    .await?;
            if !exists {
                return Ok(false);
            }
            let applied = sqlx::query_as(APPLIED).fetch_all(pool).await?;
            Ok(all_applied(&postgres(), applied))
        }
    }
}

fn all_applied(migrator: &Migrator, applied: Vec<(i64, Vec<u8>)>) -> bool {
    let applied: HashMap<i64, Vec<u8>> = applied.into_iter().collect();
    migrator
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .all(|m| {
            applied
                .get(&m.version)
                .is_some_and(|sum| **sum == *m.checksum)
        })
}
