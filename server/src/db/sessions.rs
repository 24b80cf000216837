//! Sessions in the same database as everything else: tower-sessions'
//! `SqliteStore` or `PostgresStore`, whichever the database is, plus the one
//! statement the auth module's session store needs that they lack (update a
//! row only if it still exists). The table is created by the migrations,
//! in the shape each store expects (`tower_sessions`).

use super::{Db, Pool};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// The sessions table, in `public` on PostgreSQL.
const TABLE: &str = "tower_sessions";

/// tower-sessions' store for the database's backend.
#[derive(Debug, Clone)]
pub struct SessionBackend {
    store: Store,
    db: Db,
}

#[derive(Debug, Clone)]
enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

fn backend_error(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

impl SessionBackend {
    pub fn new(db: &Db) -> Self {
        let store = match &db.pool {
            Pool::Sqlite(pool) => Store::Sqlite(
                SqliteStore::new(pool.clone())
                    .with_table_name(TABLE)
                    .expect("a valid table name"),
            ),
            Pool::Postgres(pool) => Store::Postgres(
                PostgresStore::new(pool.clone())
                    .with_schema_name("public")
                    .and_then(|s| s.with_table_name(TABLE))
                    .expect("valid schema and table names"),
            ),
        };
        Self {
            store,
            db: db.clone(),
        }
    }

    /// Writes `record` over its row if the row still exists; `false` when
    /// it does not (the session was deleted meanwhile). Never inserts.
    pub async fn update_existing(&self, record: &Record) -> session_store::Result<bool> {
        // The encoding both stores read back in `load`.
        let data = rmp_serde::to_vec(record)
            .map_err(|err| session_store::Error::Encode(err.to_string()))?;
        let id = record.id.to_string();
        let updated = match &self.db.pool {
            Pool::Sqlite(pool) => sqlx::query(&format!(
                "UPDATE {TABLE} SET data = $1, expiry_date = $2 WHERE id = $3"
            ))
            .bind(data)
            .bind(record.expiry_date)
            .bind(id)
            .execute(pool)
            .await
            .map_err(backend_error)?
            .rows_affected(),
            Pool::Postgres(pool) => sqlx::query(&format!(
                "UPDATE public.{TABLE} SET data = $1, expiry_date = $2 WHERE id = $3"
            ))
            .bind(data)
            .bind(record.expiry_date)
            .bind(id)
            .execute(pool)
            .await
            .map_err(backend_error)?
            .rows_affected(),
        };
        Ok(updated > 0)
    }
}

#[async_trait::async_trait]
impl SessionStore for SessionBackend {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match &self.store {
            Store::Sqlite(store) => store.create(record).await,
            Store::Postgres(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match &self.store {
            Store::Sqlite(store) => store.save(record).await,
            Store::Postgres(store) => store.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match &self.store {
            Store::Sqlite(store) => store.load(id).await,
            Store::Postgres(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match &self.store {
            Store::Sqlite(store) => store.delete(id).await,
            Store::Postgres(store) => store.delete(id).await,
        }
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for SessionBackend {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match &self.store {
            Store::Sqlite(store) => store.delete_expired().await,
            Store::Postgres(store) => store.delete_expired().await,
        }
    }
}
