//! Scraping detection: a person granted photos of more than `people`
//! distinct people within a sliding `window` is flagged (an audit entry and
//! a metric), once per window.
//!
//! Judged from the audit log, which every replica writes before it answers:
//! a person spreading their requests over several replicas is seen whole.
//! The count costs a query, so each replica runs it for a person only once
//! they have been granted a twentieth of the limit more photos here (at
//! most [`CHECK_EVERY_PEOPLE`]), or at least [`CHECK_EVERY`] after the last
//! count while they keep being granted some ([`Scraping::due`], Sans-IO:
//! the clock is passed in). However the requests spread over replicas, a
//! person over the line is counted within that many more photos.

use crate::db::{query, Db, Exec as _};
use crate::extract::Now;
use lanyard_wire::AuditAction;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A count is due after at most this many more photos granted to one
/// person here.
pub const CHECK_EVERY_PEOPLE: u64 = 100;
/// …or this long after the last count.
pub const CHECK_EVERY: Duration = Duration::from_secs(60);

/// The rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// More distinct people than this within `window` is flagged.
    pub people: u64,
    pub window: Duration,
}

/// A flag raised: `seen` distinct people within `window`.
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
            "Granted photos of {} distinct people within {} (flagged above {}).",
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

/// When to count, per person, in this replica.
#[derive(Debug)]
pub struct Scraping {
    policy: Policy,
    people: HashMap<i64, Since>,
}

impl Scraping {
    pub fn new(policy: Policy) -> Self {
        Self {
            policy,
            people: HashMap::new(),
        }
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
    }
}

/// Counts the distinct people `user` was granted within the window, from
/// the audit log; a flag when over the line and not flagged in the window yet.
pub async fn judge(db: &Db, policy: Policy, user: i64, now: Now) -> sqlx::Result<Option<Flag>> {
    let window_ms = i64::try_from(policy.window.as_millis()).unwrap_or(i64::MAX);
    let since = now.timestamp().0.saturating_sub(window_ms);
    let seen: i64 = db
        .scalar(
            query(
                "SELECT COUNT(DISTINCT s.employee_id) FROM audit_log l \
                 JOIN audit_subjects s ON s.entry_id = l.id \
                 WHERE l.actor_id = $1 AND l.action = $2 AND l.at >= $3",
            )
            .bind(user)
            .bind(crate::audit::action_name(AuditAction::UrlsGranted))
            .bind(since),
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
            "Granted photos of 2001 distinct people within 10 min (flagged above 2000)."
        );
    }
}
