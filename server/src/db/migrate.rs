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
use sqlx::PgPool;
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
            if !up_to_date(pool).await? {
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

/// Whether every migration this binary has is applied, unchanged.
async fn up_to_date(pool: &PgPool) -> sqlx::Result<bool> {
    let exists: bool =
        sqlx::query_scalar("SELECT to_regclass('public._sqlx_migrations') IS NOT NULL")
            .fetch_one(pool)
            .await?;
    if !exists {
        return Ok(false);
    }
    let applied: HashMap<i64, Vec<u8>> =
        sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success")
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    Ok(postgres()
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .all(|m| {
            applied
                .get(&m.version)
                .is_some_and(|sum| **sum == *m.checksum)
        }))
}
