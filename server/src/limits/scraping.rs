//! Scraping detection: a person granted photos of more than `people`
//! distinct people within a sliding `window` is flagged (an audit entry and
//! a metric), once per window.
//!
//! Judged from `scraping_seen`, shared by every replica: one row per
//! (person, person whose photo they were granted) with the last time, so a
//! person spreading their requests over several replicas is seen whole, and
//! a count reads at most the limit's number of index rows however fast the
//! person reads. (Counting from the audit log read every grant in the
//! window: a person reading fast made each count slower, and the directory
//! API lost 76 % of its throughput in scripts/bench-replicas.sh.)
//!
//! Each replica writes a sighting at most once per [`NOTE_EVERY`] per pair
//! ([`Scraping::fresh`]), so a reader going over the same people writes
//! nothing; `last_at` may lag by that much, so the window is counted up to
//! [`NOTE_EVERY`] wide. The count runs for a person once they have been
//! granted a twentieth of the limit more photos here (at most
//! [`CHECK_EVERY_PEOPLE`]), or at least [`CHECK_EVERY`] after the last count
//! while they keep being granted some ([`Scraping::due`]). Sans-IO apart
//! from the two statements: the clock is passed in.

use crate::db::{query, query_each, Args, Db, Exec as _};
use crate::extract::Now;
use lanyard_wire::AuditAction;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A count is due after at most this many more photos granted to one
/// person here.
pub const CHECK_EVERY_PEOPLE: u64 = 100;
/// …or this long after the last count.
pub const CHECK_EVERY: Duration = Duration::from_secs(60);
/// A replica writes one (person, person seen) sighting at most this often.
pub const NOTE_EVERY: Duration = Duration::from_secs(60);
/// Sightings written by one statement at most (3 arguments each).
const SIGHTINGS_PER_INSERT: usize = 500;

/// The rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// More distinct people than this within `window` is flagged.
    pub people: u64,
    pub window: Duration,
}

/// A flag raised: at least `seen` distinct people within `window` (the
/// count stops one past the limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    pub seen: u64,
    pub limit: u64,
    pub window: Duration,
}

impl Flag {
    /// The audit entry's detail: how many, over what time.
    pub fn detail(&self) -> String {
        format!(
            "Granted photos of at least {} distinct people within {} (flagged above {}).",
            self.seen,
            human(self.window),
            self.limit,
        )
    }
}

/// `90 s` → "1 min 30 s".
fn human(duration: Duration) -> String {
    let secs = duration.as_secs();
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// Per person: photos granted here since the last count, and when that was.
#[derive(Debug)]
struct Since {
    granted: u64,
    counted: Instant,
}

/// When to count, per person, in this replica, and which sightings it has
/// written lately.
#[derive(Debug)]
pub struct Scraping {
    policy: Policy,
    people: HashMap<i64, Since>,
    noted: HashMap<(i64, i64), Instant>,
}

impl Scraping {
    pub fn new(policy: Policy) -> Self {
        Self {
            policy,
            people: HashMap::new(),
            noted: HashMap::new(),
        }
    }

    /// Of `seen`, the people `user` was granted whose sighting this replica
    /// has not written within [`NOTE_EVERY`]; marks them written at `now`.
    pub fn fresh(&mut self, user: i64, seen: &[i64], now: Instant) -> Vec<i64> {
        seen.iter()
            .copied()
            .filter(|&person| match self.noted.get(&(user, person)) {
                Some(at) if now.duration_since(*at) < NOTE_EVERY => false,
                _ => {
                    self.noted.insert((user, person), now);
                    true
                }
            })
            .collect()
    }

    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// Notes `granted` photos for `user` at `now`; whether to count now.
    pub fn due(&mut self, user: i64, granted: usize, now: Instant) -> bool {
        let since = self.people.entry(user).or_insert(Since {
            granted: 0,
            counted: now,
        });
        since.granted += granted as u64;
        let every = (self.policy.people / 20).clamp(1, CHECK_EVERY_PEOPLE);
        let due = since.granted >= every
            || (granted > 0 && now.duration_since(since.counted) >= CHECK_EVERY);
        if due {
            *since = Since {
                granted: 0,
                counted: now,
            };
        }
        due
    }

    /// Forgets people not counted for a window (memory stays bounded by
    /// the people active in the last window).
    pub fn prune(&mut self, now: Instant) {
        let window = self.policy.window.max(CHECK_EVERY);
        self.people
            .retain(|_, since| now.duration_since(since.counted) < window);
        self.noted
            .retain(|_, at| now.duration_since(*at) < NOTE_EVERY);
    }
}

/// Writes that `user` was granted photos of `people` at `now_ms`.
pub async fn note(db: &Db, user: i64, people: &[i64], now_ms: i64) -> sqlx::Result<()> {
    for chunk in people.chunks(SIGHTINGS_PER_INSERT) {
        let mut args = Args::default();
        let (actor, at) = (args.add(user), args.add(now_ms));
        let rows: Vec<String> = chunk
            .iter()
            .map(|&person| format!("({actor}, {}, {at})", args.add(person)))
            .collect();
        let rows = rows.join(", ");
        db.execute(
            query_each(
                format!(
                    "INSERT INTO scraping_seen (actor_id, employee_id, last_at) VALUES {rows} \
                     ON CONFLICT (actor_id, employee_id) DO UPDATE \
                     SET last_at = max(scraping_seen.last_at, excluded.last_at)"
                ),
                format!(
                    "INSERT INTO scraping_seen (actor_id, employee_id, last_at) VALUES {rows} \
                     ON CONFLICT (actor_id, employee_id) DO UPDATE \
                     SET last_at = greatest(scraping_seen.last_at, excluded.last_at)"
                ),
            )
            .bind_args(args),
        )
        .await?;
    }
    Ok(())
}

/// Deletes the sightings older than `before_ms` (the sweeper's pass).
pub async fn prune_seen(db: &Db, before_ms: i64) -> sqlx::Result<u64> {
    db.execute(query("DELETE FROM scraping_seen WHERE last_at < $1").bind(before_ms))
        .await
}

/// Counts the distinct people `user` was granted within the window (up to
/// one past the limit: that decides); a flag when over the line and not
/// flagged in the window yet.
pub async fn judge(db: &Db, policy: Policy, user: i64, now: Now) -> sqlx::Result<Option<Flag>> {
    let window_ms = i64::try_from(policy.window.as_millis()).unwrap_or(i64::MAX);
    let since = now.timestamp().0.saturating_sub(window_ms);
    let seen: i64 = db
        .scalar(
            query(
                "SELECT COUNT(*) FROM (SELECT 1 FROM scraping_seen \
                 WHERE actor_id = $1 AND last_at >= $2 LIMIT $3) AS seen",
            )
            .bind(user)
            .bind(since)
            .bind(i64::try_from(policy.people).unwrap_or(i64::MAX - 1) + 1),
        )
        .await?;
    let seen = u64::try_from(seen).unwrap_or(0);
    if seen <= policy.people {
        return Ok(None);
    }
    let flagged: Option<i64> = db
        .optional_scalar(
            query(
                "SELECT id FROM audit_log WHERE actor_id = $1 AND action = $2 AND at >= $3 LIMIT 1",
            )
            .bind(user)
            .bind(crate::audit::action_name(AuditAction::ScrapingFlagged))
            .bind(since),
        )
        .await?;
    Ok(flagged.is_none().then_some(Flag {
        seen,
        limit: policy.people,
        window: policy.window,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scraping() -> Scraping {
        Scraping::new(Policy {
            people: 2000,
            window: Duration::from_secs(600),
        })
    }

    #[test]
    fn a_sighting_is_written_once_a_minute_per_pair() {
        let mut s = scraping();
        let now = Instant::now();
        assert_eq!(s.fresh(1, &[10, 11], now), [10, 11]);
        assert_eq!(
            s.fresh(1, &[10, 11, 12], now + Duration::from_secs(30)),
            [12]
        );
        assert_eq!(s.fresh(2, &[10], now), [10], "people are noted apart");
        let later = now + NOTE_EVERY;
        assert_eq!(s.fresh(1, &[10, 12], later), [10]);
        s.prune(later + NOTE_EVERY);
        assert_eq!(
            s.fresh(1, &[12], later + NOTE_EVERY),
            [12],
            "pruned: written again"
        );
    }

    #[test]
    fn a_count_is_due_every_hundred_photos() {
        let mut s = scraping();
        let now = Instant::now();
        assert!(!s.due(1, 60, now));
        assert!(s.due(1, 40, now));
        assert!(!s.due(1, 99, now));
        assert!(!s.due(2, 99, now), "people are counted apart");
    }

    #[test]
    fn a_count_is_due_a_minute_later_while_photos_keep_coming() {
        let mut s = scraping();
        let now = Instant::now();
        assert!(!s.due(1, 1, now));
        assert!(!s.due(1, 0, now + CHECK_EVERY));
        assert!(s.due(1, 1, now + CHECK_EVERY));
    }

    #[test]
    fn idle_people_are_forgotten() {
        let mut s = scraping();
        let now = Instant::now();
        s.due(1, 1, now);
        s.prune(now + Duration::from_secs(601));
        assert!(s.people.is_empty());
    }

    #[test]
    fn the_detail_says_how_many_and_over_what_time() {
        let flag = Flag {
            seen: 2001,
            limit: 2000,
            window: Duration::from_secs(600),
        };
        assert_eq!(
            flag.detail(),
            "Granted photos of at least 2001 distinct people within 10 min (flagged above 2000)."
        );
    }
}
