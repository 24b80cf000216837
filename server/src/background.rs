//! Background work that must run once however many replicas there are:
//! the sweeper (abandoned uploads and queued object deletions, expired
//! sessions, stale rate-limit rows). Each pass takes a lease in the
//! database first: the replica holding it sweeps, the others skip; a
//! replica that dies stops renewing, and after [`lease_for`] another takes
//! over. Every step of a pass is a transaction or idempotent (a queued
//! object stays queued until its delete is confirmed), so a pass killed
//! halfway leaves nothing half-done for the next.

use crate::auth::Sessions;
use crate::db::{query, query_each, Db, Exec as _};
use crate::extract::to_timestamp;
use crate::limits::metrics::Metrics;
use crate::limits::shared;
use crate::uploads::{sweeper, Uploads};
use std::time::{Duration, SystemTime};
use tokio::task::JoinHandle;
use tower_sessions::ExpiredDeletion as _;

/// The sweeper's lease.
pub const SWEEPER: &str = "sweeper";
/// Rate-limit rows idle this long are deleted (longer than any quota's
/// period: a row is only "as good as absent" once its tat is past).
const RATE_ROWS_KEPT: Duration = Duration::from_secs(2 * 3600);

/// How long a lease lasts without renewal: three passes.
pub fn lease_for(every: Duration) -> Duration {
    every * 3
}

/// Takes or renews the lease `name` for `holder` until `now + ttl`: whether
/// `holder` has it. One statement, so two replicas asking at once cannot
/// both get it.
pub async fn take_lease(
    db: &Db,
    name: &str,
    holder: &str,
    ttl: Duration,
    now: SystemTime,
) -> sqlx::Result<bool> {
    let now_ms = to_timestamp(now).0;
    let until = now_ms.saturating_add(i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX));
    let held: Option<String> = db
        .optional_scalar(
            query(
                "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
                 expires_at = excluded.expires_at \
                 WHERE leases.expires_at < $4 OR leases.holder = excluded.holder \
                 RETURNING holder",
            )
            .bind(name)
            .bind(holder)
            .bind(until)
            .bind(now_ms),
        )
        .await?;
    Ok(held.as_deref() == Some(holder))
}

/// Gives the lease `name` up if `holder` has it, so another replica takes
/// over at its next pass instead of after the lease runs out.
pub async fn release_lease(db: &Db, name: &str, holder: &str) -> sqlx::Result<()> {
    db.execute(
        query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder),
    )
    .await
    .map(drop)
}

/// Who holds `name` now, if anyone does.
pub async fn lease_holder(db: &Db, name: &str, now: SystemTime) -> sqlx::Result<Option<String>> {
    db.optional_scalar(
        query_each(
            "SELECT holder FROM leases WHERE name = $1 AND expires_at >= $2",
            "SELECT holder FROM leases WHERE name = $1 AND expires_at >= $2",
        )
        .bind(name)
        .bind(to_timestamp(now).0),
    )
    .await
}

/// What the sweeper needs.
#[derive(Clone)]
pub struct Sweeper {
    pub db: Db,
    pub uploads: Uploads,
    pub sessions: Sessions,
    pub metrics: Metrics,
    /// This process, as the lease names it.
    pub holder: String,
    /// Scraping sightings older than this are deleted (the scraping window
    /// and the lag a sighting may have).
    pub sightings_kept: Duration,
}

impl Sweeper {
    /// One pass at `now` if this replica holds (or takes) the lease;
    /// whether it swept.
    pub async fn pass(&self, now: SystemTime) -> anyhow::Result<bool> {
        let every = sweeper::interval(self.uploads.settings().sweep_after);
        if !take_lease(&self.db, SWEEPER, &self.holder, lease_for(every), now).await? {
            return Ok(false);
        }
        let report = self.uploads.sweep(now).await?;
        self.sessions.delete_expired().await?;
        let before = to_timestamp(now).0 - i64::try_from(RATE_ROWS_KEPT.as_millis()).unwrap_or(0);
        shared::prune(&self.db, before).await?;
        let kept = i64::try_from(self.sightings_kept.as_millis()).unwrap_or(i64::MAX);
        crate::limits::scraping::prune_seen(&self.db, to_timestamp(now).0.saturating_sub(kept))
            .await?;
        self.metrics.swept();
        tracing::debug!(holder = %self.holder, ?report, "swept");
        Ok(true)
    }

    /// Sweeps every interval until stopped (on shutdown) or dropped.
    pub fn spawn(self) -> Running {
        let every = sweeper::interval(self.uploads.settings().sweep_after);
        let (db, holder) = (self.db.clone(), self.holder.clone());
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if let Err(error) = self.pass(SystemTime::now()).await {
                    tracing::error!(error = format!("{error:#}"), "sweeping failed");
                }
            }
        });
        Running { task, db, holder }
    }
}

/// The running sweeper. Dropping it stops the task; [`Running::stop`] also
/// gives the lease up, so during a rolling restart the next replica sweeps
/// at once rather than after [`lease_for`].
pub struct Running {
    task: JoinHandle<()>,
    db: Db,
    holder: String,
}

impl Running {
    /// Stops sweeping (safe mid-pass: see the module's comment) and
    /// releases the lease.
    pub async fn stop(self) {
        self.task.abort();
        if let Err(error) = release_lease(&self.db, SWEEPER, &self.holder).await {
            tracing::warn!(%error, "could not release the sweeper's lease");
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[tokio::test]
    async fn one_holder_at_a_time_until_the_lease_runs_out() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}", dir.path().join("l.db").display()))
            .await
            .unwrap();
        let at = |s| UNIX_EPOCH + Duration::from_secs(s);
        let ttl = Duration::from_secs(30);
        assert!(take_lease(&db, "w", "a", ttl, at(1000)).await.unwrap());
        assert!(!take_lease(&db, "w", "b", ttl, at(1010)).await.unwrap());
        // The holder renews.
        assert!(take_lease(&db, "w", "a", ttl, at(1020)).await.unwrap());
        assert!(!take_lease(&db, "w", "b", ttl, at(1049)).await.unwrap());
        assert_eq!(
            lease_holder(&db, "w", at(1049)).await.unwrap().as_deref(),
            Some("a")
        );
        // "a" died: after the lease runs out, "b" takes over.
        assert!(take_lease(&db, "w", "b", ttl, at(1051)).await.unwrap());
        assert!(!take_lease(&db, "w", "a", ttl, at(1052)).await.unwrap());
        // "b" stops and gives the lease up: "a" takes it at once.
        release_lease(&db, "w", "a").await.unwrap();
        assert!(!take_lease(&db, "w", "a", ttl, at(1053)).await.unwrap());
        release_lease(&db, "w", "b").await.unwrap();
        assert!(take_lease(&db, "w", "a", ttl, at(1054)).await.unwrap());
    }
}
