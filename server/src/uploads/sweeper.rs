//! The sweeper: deletes uploads never completed, and the objects queued for
//! deletion that could not be deleted at once (store down, a crash, a raw
//! upload whose URL might still have been in use).
//!
//! [`Uploads::sweep`] does one pass for a clock reading passed in, so tests
//! drive it directly; `crate::background` runs it periodically, on one
//! replica at a time.

use super::{duration_ms, versions, Uploads};
use crate::extract::to_timestamp;
use lanyard_wire::PhotoState;
use std::time::{Duration, SystemTime};

/// Rows and objects handled per pass; the next pass takes the rest.
const BATCH: i64 = 500;
/// The most time between passes; a shorter sweep age sweeps more often.
const MAX_INTERVAL: Duration = Duration::from_secs(60);

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Unfinished uploads whose rows were dropped.
    pub abandoned_uploads: usize,
    /// Objects the store confirmed deleted.
    pub deleted_objects: usize,
    /// Deletes that failed (they stay queued).
    pub failed_deletes: usize,
}

/// The newest "last URL expired at" (unix ms) an upload may have and still
/// be abandoned at `now`.
pub fn abandoned_before(now: SystemTime, sweep_after: Duration) -> i64 {
    to_timestamp(now).0.saturating_sub(duration_ms(sweep_after))
}

/// Time between passes: a quarter of the sweep age, 1 s to a minute.
pub fn interval(sweep_after: Duration) -> Duration {
    (sweep_after / 4).clamp(Duration::from_secs(1), MAX_INTERVAL)
}

impl Uploads {
    /// One pass at `now`: drops abandoned uploads (queueing their objects,
    /// renditions of a completion that died half-way included), then
    /// deletes every queued object that is due.
    pub async fn sweep(&self, now: SystemTime) -> anyhow::Result<SweepReport> {
        let mut report = SweepReport::default();
        let now_ms = to_timestamp(now).0;
        let cutoff = abandoned_before(now, self.settings.sweep_after);
        for row in versions::abandoned_uploads(&self.db, cutoff, BATCH).await? {
            let mut tx = self.write_tx(row.employee_id).await?;
            // Still uploading? A completion may have won the race.
            if versions::delete_in_state(&mut tx, &row.id, PhotoState::Uploading).await? {
                self.queue_version(&mut tx, &row, now_ms).await?;
                report.abandoned_uploads += 1;
            }
            tx.commit().await?;
        }
        for key in versions::due_deletions(&self.db, now_ms, BATCH).await? {
            match self.store.delete(&key).await {
                Ok(()) => {
                    versions::deletion_done(&self.db, &key, now_ms).await?;
                    report.deleted_objects += 1;
                }
                Err(error) => {
                    tracing::warn!(%error, key, "sweeper could not delete an object");
                    report.failed_deletes += 1;
                }
            }
        }
        if report.abandoned_uploads > 0 {
            tracing::info!(?report, "swept abandoned uploads");
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn uploads_are_abandoned_a_sweep_age_after_their_url_expired() {
        let now = UNIX_EPOCH + Duration::from_secs(10_000);
        assert_eq!(abandoned_before(now, Duration::from_secs(3600)), 6_400_000);
        assert_eq!(abandoned_before(UNIX_EPOCH, Duration::from_secs(1)), -1000);
    }

    #[test]
    fn passes_run_four_times_a_sweep_age_within_bounds() {
        assert_eq!(interval(Duration::from_secs(3600)), MAX_INTERVAL);
        assert_eq!(interval(Duration::from_secs(20)), Duration::from_secs(5));
        assert_eq!(interval(Duration::from_secs(1)), Duration::from_secs(1));
    }
}
