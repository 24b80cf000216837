//! A rate limit every replica shares: the generic cell rate algorithm
//! (GCRA) kept in the database, one row per key, updated by one statement
//! (the way crates.io keeps its rate limits in PostgreSQL).
//!
//! A quota is `count` events per `per`, up to `burst` at once: events are
//! spaced by the emission interval `T = per / count`; a key's row holds its
//! theoretical arrival time `tat`. Taking `n` moves it to
//! `max(tat, now) + n·T`, allowed when that is at most `burst·T` ahead of
//! now. The upsert's `WHERE` makes the check and the move one atomic step,
//! so replicas taking at once can never let more through than one server
//! would; a refused take changes nothing. Sans-IO apart from the statement:
//! the clock is passed in.

use crate::db::{query, query_each, Db, Exec as _};
use std::time::Duration;

/// So many events per period, so many at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub count: u32,
    pub per: Duration,
    pub burst: u32,
}

impl Quota {
    /// `count` a minute, all of them at once if need be.
    pub fn per_minute(count: u32) -> Self {
        Self {
            count,
            per: Duration::from_secs(60),
            burst: count,
        }
    }

    /// The emission interval, in ms (at least 1).
    fn interval_ms(self) -> i64 {
        let ms = self.per.as_millis() / u128::from(self.count.max(1));
        i64::try_from(ms).unwrap_or(i64::MAX).max(1)
    }

    /// How far ahead of now `tat` may go, in ms.
    fn tolerance_ms(self) -> i64 {
        self.interval_ms().saturating_mul(i64::from(self.burst))
    }

    /// How long to wait before `cost` more fit, for a key at `tat`.
    fn wait(self, tat: i64, cost: u32, now_ms: i64) -> Duration {
        let ready = tat
            .max(now_ms)
            .saturating_add(self.interval_ms().saturating_mul(i64::from(cost)))
            .saturating_sub(self.tolerance_ms());
        Duration::from_millis(
            u64::try_from(ready.saturating_sub(now_ms))
                .unwrap_or(0)
                .max(1),
        )
    }
}

/// Takes `cost` events from `key` at `now_ms`: `Ok(Ok(()))` when allowed,
/// `Ok(Err(wait))` when not (nothing taken).
pub async fn take(
    db: &Db,
    key: &str,
    quota: Quota,
    cost: u32,
    now_ms: i64,
) -> sqlx::Result<Result<(), Duration>> {
    if cost > quota.burst {
        // More than ever fits at once: refused without a write.
        return Ok(Err(quota.per));
    }
    let key = &*stored(key);
    let step = quota.interval_ms().saturating_mul(i64::from(cost));
    let taken: Option<i64> = db
        .optional_scalar(
            query_each(
                "INSERT INTO rate_limits (key, tat) VALUES ($1, $2 + $3) \
                 ON CONFLICT (key) DO UPDATE SET tat = max(rate_limits.tat, $2) + $3 \
                 WHERE max(rate_limits.tat, $2) + $3 - $2 <= $4 RETURNING tat",
                "INSERT INTO rate_limits (key, tat) VALUES ($1, $2 + $3) \
                 ON CONFLICT (key) DO UPDATE SET tat = greatest(rate_limits.tat, $2) + $3 \
                 WHERE greatest(rate_limits.tat, $2) + $3 - $2 <= $4 RETURNING tat",
            )
            .bind(key)
            .bind(now_ms)
            .bind(step)
            .bind(quota.tolerance_ms()),
        )
        .await?;
    if taken.is_some() {
        return Ok(Ok(()));
    }
    Ok(Err(quota.wait(
        tat_of(db, key).await?.unwrap_or(now_ms),
        cost,
        now_ms,
    )))
}

/// Whether one more event would be allowed for `key` now, without taking it.
pub async fn peek(
    db: &Db,
    key: &str,
    quota: Quota,
    now_ms: i64,
) -> sqlx::Result<Result<(), Duration>> {
    let Some(tat) = tat_of(db, key).await? else {
        return Ok(Ok(()));
    };
    let ahead = tat.max(now_ms) + quota.interval_ms() - now_ms;
    if ahead <= quota.tolerance_ms() {
        Ok(Ok(()))
    } else {
        Ok(Err(quota.wait(tat, 1, now_ms)))
    }
}

/// Forgets `key` (a right password forgives that address's failures).
pub async fn forget(db: &Db, key: &str) -> sqlx::Result<()> {
    db.execute(query("DELETE FROM rate_limits WHERE key = $1").bind(&*stored(key)))
        .await?;
    Ok(())
}

/// Deletes the rows that are as good as absent (tat long past).
pub async fn prune(db: &Db, before_ms: i64) -> sqlx::Result<u64> {
    db.execute(query("DELETE FROM rate_limits WHERE tat < $1").bind(before_ms))
        .await
}

/// `key` as stored: PostgreSQL's text cannot hold NUL, and keys carry what
/// people type (an email), so NUL is stored as U+FFFD.
fn stored(key: &str) -> std::borrow::Cow<'_, str> {
    if key.contains('\0') {
        key.replace('\0', "\u{fffd}").into()
    } else {
        key.into()
    }
}

async fn tat_of(db: &Db, key: &str) -> sqlx::Result<Option<i64>> {
    let key = stored(key);
    db.optional_scalar(query("SELECT tat FROM rate_limits WHERE key = $1").bind(&*key))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn db() -> (Db, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("limits.db").display());
        (Db::connect(&url).await.unwrap(), dir)
    }

    #[tokio::test]
    async fn a_burst_passes_then_one_event_per_interval() {
        let (db, _dir) = db().await;
        let quota = Quota {
            count: 60,
            per: Duration::from_secs(60),
            burst: 3,
        };
        let t = 1_000_000;
        for _ in 0..3 {
            assert_eq!(take(&db, "k", quota, 1, t).await.unwrap(), Ok(()));
        }
        let refused = take(&db, "k", quota, 1, t).await.unwrap();
        assert_eq!(refused, Err(Duration::from_millis(1000)));
        assert_eq!(peek(&db, "k", quota, t).await.unwrap(), refused);
        // One interval later, one more.
        assert_eq!(take(&db, "k", quota, 1, t + 1000).await.unwrap(), Ok(()));
        assert!(take(&db, "k", quota, 1, t + 1000).await.unwrap().is_err());
        // Other keys are their own.
        assert_eq!(take(&db, "other", quota, 1, t).await.unwrap(), Ok(()));
    }

    #[tokio::test]
    async fn costs_count_whole_and_a_refusal_takes_nothing() {
        let (db, _dir) = db().await;
        let quota = Quota::per_minute(100);
        let t = 5_000_000;
        assert_eq!(take(&db, "u", quota, 60, t).await.unwrap(), Ok(()));
        assert!(take(&db, "u", quota, 60, t).await.unwrap().is_err());
        assert_eq!(take(&db, "u", quota, 40, t).await.unwrap(), Ok(()));
        assert!(take(&db, "u", quota, 101, t).await.unwrap().is_err());
    }

    #[tokio::test]
    async fn forgetting_and_pruning_clear_keys() {
        let (db, _dir) = db().await;
        let quota = Quota {
            count: 1,
            per: Duration::from_secs(60),
            burst: 1,
        };
        assert!(take(&db, "a", quota, 1, 0).await.unwrap().is_ok());
        assert!(take(&db, "a", quota, 1, 0).await.unwrap().is_err());
        forget(&db, "a").await.unwrap();
        assert!(take(&db, "a", quota, 1, 0).await.unwrap().is_ok());
        assert_eq!(prune(&db, 120_000).await.unwrap(), 1);
    }

    #[tokio::test]
    async fn concurrent_takes_never_pass_more_than_the_burst() {
        let (db, _dir) = db().await;
        let quota = Quota {
            count: 10,
            per: Duration::from_secs(3600),
            burst: 10,
        };
        let takes = (0..50).map(|_| {
            let db = db.clone();
            tokio::spawn(async move { take(&db, "race", quota, 1, 42).await.unwrap().is_ok() })
        });
        let mut passed = 0;
        for t in takes {
            passed += usize::from(t.await.unwrap());
        }
        assert_eq!(passed, 10);
    }
}
