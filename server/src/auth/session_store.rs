//! Where sessions live: tower-sessions' store for the database
//! ([`SessionBackend`]), except that saving a session never brings back one
//! that was deleted, and an expiry that only slid a little is not written.
//!
//! The session layer saves every session at the end of every request (that
//! is what makes the inactivity expiry slide, see [`crate::auth`]), and
//! the stores' `save` is an upsert. So a request still in flight when
//! `DELETE /api/session` (sign-out) deletes the session would write it back
//! when it finished, and sign-out would silently not have happened. Here
//! `save` only updates a row that still exists; new sessions come through
//! `create`, which tower-sessions calls for every new or cycled id.
//!
//! Writing the row on every request made every API request a database
//! write (on SQLite a WAL commit, under its single write lock). So the store
//! remembers what the table holds for each session (its data and expiry) and
//! skips a save whose data is unchanged and whose expiry moved forward by
//! less than the slack ([`Sessions::with_idle_expiry`]: an eighth of the
//! idle time, at most a minute). The table's expiry is then up to the slack
//! behind the latest request: a session ends after between (idle − slack)
//! and idle without use. Skipping never writes, so it cannot revive a
//! deleted session; loads still read the table, so a deleted session is
//! gone at once, wherever it was deleted from: by another replica too, at
//! its very next request (nothing here caches a load).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::db::sessions::SessionBackend;
use crate::db::Db;
use time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
/// The most an expiry may lag behind in the table.
const MAX_SLACK: Duration = Duration::minutes(1);

/// A session store whose `save` updates and never inserts.
#[derive(Debug, Clone)]
pub struct Sessions {
    inner: SessionBackend,
    /// Forward moves of the expiry smaller than this are not written.
    slack: Duration,
    /// What the table holds, as far as this process last wrote or read it.
    stored: Arc<Mutex<HashMap<Id, Stored>>>,
    /// Benchmarks only: loads answered from `stored` when it has the
    /// session (`LANYARD_BENCH_RELAXED`).
    relaxed: bool,
}

/// One session's row as last written or read.
#[derive(Debug, Clone)]
struct Stored {
    data: HashMap<String, serde_json::Value>,
    expiry_date: OffsetDateTime,
}

impl Sessions {
    /// A store that writes every save (no slack).
    pub fn new(db: &Db) -> Self {
        Self {
            inner: SessionBackend::new(db),
            slack: Duration::ZERO,
            stored: Arc::default(),
            relaxed: false,
        }
    }

    /// Benchmarks only: a session this process has seen is not read again
    /// (so a sign-out elsewhere goes unnoticed here).
    #[must_use]
    pub fn relaxed(mut self, relaxed: bool) -> Self {
        self.relaxed = relaxed;
        self
    }

    /// Lets the expiry of sessions that end after `idle` without use lag
    /// behind by an eighth of `idle`, at most a minute (see the module docs).
    #[must_use]
    pub fn with_idle_expiry(mut self, idle: Duration) -> Self {
        self.slack = slack_for(idle);
        self
    }

    fn stored(&self) -> std::sync::MutexGuard<'_, HashMap<Id, Stored>> {
        // Nothing panics while the lock is held; a poisoned map is still right.
        self.stored.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn remember(&self, record: &Record) {
        let stored = Stored {
            data: record.data.clone(),
            expiry_date: record.expiry_date,
        };
        self.stored().insert(record.id, stored);
    }

    /// Whether the table already holds `record` but for an expiry that
    /// moved forward by less than the slack.
    fn is_stored(&self, record: &Record) -> bool {
        self.stored().get(&record.id).is_some_and(|stored| {
            let moved = record.expiry_date - stored.expiry_date;
            stored.data == record.data && moved >= Duration::ZERO && moved < self.slack
        })
    }
}

/// An eighth of `idle`, at most [`MAX_SLACK`]: a session used more often
/// than that never reaches its stored expiry.
fn slack_for(idle: Duration) -> Duration {
    (idle / 8_i32).clamp(Duration::ZERO, MAX_SLACK)
}

#[async_trait::async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        self.inner.create(record).await?;
        self.remember(record);
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        if self.is_stored(record) {
            return Ok(());
        }
        if !self.inner.update_existing(record).await? {
            // Deleted meanwhile: nothing to remember.
            self.stored().remove(&record.id);
        } else {
            // (If a sign-out deletes the row right after this update, the
            // entry stays until the sweep; it only ever skips writes, and
            // loads still find no row.)
            self.remember(record);
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        if self.relaxed {
            if let Some(stored) = self.stored().get(id) {
                return Ok(Some(Record {
                    id: *id,
                    data: stored.data.clone(),
                    expiry_date: stored.expiry_date,
                }));
            }
        }
        let record = self.inner.load(id).await?;
        match &record {
            Some(record) => self.remember(record),
            None => {
                self.stored().remove(id);
            }
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.inner.delete(id).await?;
        self.stored().remove(id);
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for Sessions {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.inner.delete_expired().await?;
        let now = OffsetDateTime::now_utc();
        self.stored().retain(|_, stored| stored.expiry_date > now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{query, Exec as _};
    use std::collections::HashMap;
    use time::{Duration, OffsetDateTime};

    /// A store on a fresh database file (kept until the test ends).
    async fn store() -> (Sessions, Db, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
        let db = Db::connect(&url).await.unwrap();
        (Sessions::new(&db), db, dir)
    }

    /// A store whose sessions end after an hour idle: a minute of slack.
    async fn store_with_slack() -> (Sessions, Db, tempfile::TempDir) {
        let (store, db, dir) = store().await;
        (store.with_idle_expiry(Duration::hours(1)), db, dir)
    }

    /// The expiry the table holds for `id`.
    async fn stored_expiry(db: &Db, id: &Id) -> Option<OffsetDateTime> {
        db.optional_scalar(
            query("SELECT expiry_date FROM tower_sessions WHERE id = $1").bind(id.to_string()),
        )
        .await
        .unwrap()
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
        let (store, _db, _dir) = store().await;
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
        let (store, _db, _dir) = store().await;
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
        let (store, _db, _dir) = store().await;
        let rec = record("1");
        store.save(&rec).await.unwrap();
        assert!(store.load(&rec.id).await.unwrap().is_none());
    }

    #[test]
    fn the_slack_is_an_eighth_of_the_idle_time_and_at_most_a_minute() {
        assert_eq!(slack_for(Duration::minutes(4)), Duration::seconds(30));
        assert_eq!(slack_for(Duration::hours(8)), MAX_SLACK);
    }

    #[tokio::test]
    async fn an_expiry_that_slid_less_than_the_slack_is_not_written() {
        let (store, db, _dir) = store_with_slack().await;
        let mut rec = record("1");
        store.create(&mut rec).await.unwrap();
        let created = stored_expiry(&db, &rec.id).await.unwrap();

        rec.expiry_date += Duration::seconds(59);
        store.save(&rec).await.unwrap();

        assert_eq!(stored_expiry(&db, &rec.id).await, Some(created));
    }

    #[tokio::test]
    async fn an_expiry_that_slid_by_the_slack_is_written() {
        let (store, db, _dir) = store_with_slack().await;
        let mut rec = record("1");
        store.create(&mut rec).await.unwrap();

        rec.expiry_date += Duration::seconds(30);
        store.save(&rec).await.unwrap(); // skipped
        rec.expiry_date += Duration::seconds(30);
        store.save(&rec).await.unwrap(); // a minute since the write

        assert_eq!(stored_expiry(&db, &rec.id).await, Some(rec.expiry_date));
    }

    #[tokio::test]
    async fn changed_data_is_always_written() {
        let (store, _db, _dir) = store_with_slack().await;
        let mut rec = record("1");
        store.create(&mut rec).await.unwrap();

        rec.data.insert("user_id".into(), serde_json::json!("2"));
        store.save(&rec).await.unwrap();

        let loaded = store.load(&rec.id).await.unwrap().unwrap();
        assert_eq!(loaded.data["user_id"], serde_json::json!("2"));
    }

    #[tokio::test]
    async fn an_earlier_expiry_is_written() {
        let (store, db, _dir) = store_with_slack().await;
        let mut rec = record("1");
        store.create(&mut rec).await.unwrap();

        rec.expiry_date -= Duration::seconds(1);
        store.save(&rec).await.unwrap();

        assert_eq!(stored_expiry(&db, &rec.id).await, Some(rec.expiry_date));
    }

    #[tokio::test]
    async fn a_skipped_save_does_not_bring_back_a_deleted_session() {
        // Arrange: a session the store remembers, deleted by sign-out.
        let (store, db, _dir) = store_with_slack().await;
        let mut rec = record("1");
        store.create(&mut rec).await.unwrap();
        store.save(&rec).await.unwrap();
        store.delete(&rec.id).await.unwrap();
        // Act: in-flight requests end, one with data unchanged, one changed.
        store.save(&rec).await.unwrap();
        rec.data.insert("user_id".into(), serde_json::json!("2"));
        store.save(&rec).await.unwrap();
        // Assert
        assert!(store.load(&rec.id).await.unwrap().is_none());
        assert_eq!(stored_expiry(&db, &rec.id).await, None);
    }

    #[tokio::test]
    async fn a_session_deleted_elsewhere_is_gone_at_once() {
        // Another process (or store) deletes the row this one remembers.
        let (store, db, _dir) = store_with_slack().await;
        let mut rec = record("1");
        store.create(&mut rec).await.unwrap();
        let elsewhere = Sessions::new(&db);
        elsewhere.delete(&rec.id).await.unwrap();

        assert!(store.load(&rec.id).await.unwrap().is_none());
        store.save(&rec).await.unwrap();
        assert!(store.load(&rec.id).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn sweeping_forgets_expired_sessions() {
        let (store, _db, _dir) = store_with_slack().await;
        let mut rec = record("1");
        rec.expiry_date = OffsetDateTime::now_utc() - Duration::seconds(1);
        store.create(&mut rec).await.unwrap();
        store.delete_expired().await.unwrap();
        assert!(store.stored().is_empty());
    }
}
