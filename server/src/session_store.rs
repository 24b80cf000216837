//! Where sessions live: tower-sessions' SQLite store, except that saving a
//! session never brings back one that was deleted.
//!
//! The session layer saves every session at the end of every request (that
//! is what makes the inactivity expiry slide, see [`crate::auth`]), and
//! `SqliteStore::save` is an upsert. So a request still in flight when
//! `DELETE /api/session` (sign-out) deletes the session would write it back
//! when it finished, and sign-out would silently not have happened. Here
//! `save` only updates a row that still exists; new sessions come through
//! `create`, which tower-sessions calls for every new or cycled id.

use sqlx::SqlitePool;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::SqliteStore;

/// `SqliteStore`'s default table, which [`SqliteStore::migrate`] creates.
const TABLE: &str = "tower_sessions";

/// A session store whose `save` updates and never inserts.
#[derive(Debug, Clone)]
pub struct Sessions {
    inner: SqliteStore,
    pool: SqlitePool,
}

impl Sessions {
    pub fn new(pool: SqlitePool) -> Self {
        Self {
            inner: SqliteStore::new(pool.clone()),
            pool,
        }
    }

    /// Creates the session table if it is missing.
    pub async fn migrate(&self) -> sqlx::Result<()> {
        self.inner.migrate().await
    }
}

#[async_trait::async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        self.inner.create(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        // The same encoding SqliteStore reads back in `load`.
        let data = rmp_serde::to_vec(record)
            .map_err(|err| session_store::Error::Encode(err.to_string()))?;
        sqlx::query(&format!(
            "update {TABLE} set data = ?, expiry_date = ? where id = ?"
        ))
        .bind(data)
        .bind(record.expiry_date)
        .bind(record.id.to_string())
        .execute(&self.pool)
        .await
        .map_err(|err| session_store::Error::Backend(err.to_string()))?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        self.inner.load(id).await
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.inner.delete(id).await
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for Sessions {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.inner.delete_expired().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqlitePoolOptions;
    use std::collections::HashMap;
    use time::{Duration, OffsetDateTime};

    async fn store() -> Sessions {
        // One connection: every connection to `:memory:` is its own database.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        let store = Sessions::new(pool);
        store.migrate().await.unwrap();
        store
    }

    fn record(value: &str) -> Record {
        Record {
            id: Id::default(),
            data: HashMap::from([("user_id".to_owned(), serde_json::json!(value))]),
            expiry_date: OffsetDateTime::now_utc() + Duration::hours(1),
        }
    }

    #[tokio::test]
    async fn a_saved_session_reads_back_with_its_new_data() {
        let store = store().await;
        let mut rec = record("1");
        store.create(&mut rec).await.unwrap();
        rec.data.insert("user_id".into(), serde_json::json!("2"));
        store.save(&rec).await.unwrap();
        let loaded = store.load(&rec.id).await.unwrap().unwrap();
        assert_eq!(loaded.data["user_id"], serde_json::json!("2"));
    }

    #[tokio::test]
    async fn saving_a_deleted_session_does_not_bring_it_back() {
        // Arrange: a session, then sign-out deletes it.
        let store = store().await;
        let mut rec = record("1");
        store.create(&mut rec).await.unwrap();
        store.delete(&rec.id).await.unwrap();
        // Act: a request that started before sign-out saves it as it ends.
        store.save(&rec).await.unwrap();
        // Assert
        assert!(store.load(&rec.id).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn saving_an_unknown_session_creates_nothing() {
        let store = store().await;
        let rec = record("1");
        store.save(&rec).await.unwrap();
        assert!(store.load(&rec.id).await.unwrap().is_none());
    }
}
