//! Scraping detection: a person granted photos of more than `people`
//! distinct people within a sliding `window` is flagged, once per window.
//! Sans-IO: the caller passes the clock in.
//!
//! Memory stays bounded: per person, at most `people + 1` others are
//! remembered (with when each was last granted); past that the person is
//! over the line already and nobody more needs remembering. People idle
//! for a window are forgotten by [`Scraping::prune`].

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// More distinct people than this within `window` is flagged.
    pub people: usize,
    pub window: Duration,
}

/// A flag raised: more than `limit` distinct people within `window`,
/// the earliest of them granted `span` ago.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    pub limit: usize,
    pub span: Duration,
    pub window: Duration,
}

impl Flag {
    /// The audit entry's detail: how many, over what time.
    pub fn detail(&self) -> String {
        format!(
            "Granted photos of more than {} distinct people in {} (flagged above {} within {}).",
            self.limit,
            human(self.span),
            self.limit,
            human(self.window),
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

#[derive(Debug)]
struct Seen {
    /// Person → when their photo was last granted to this user.
    people: HashMap<i64, Instant>,
    flagged_at: Option<Instant>,
    last: Instant,
}

/// Distinct people granted, per user.
#[derive(Debug)]
pub struct Scraping {
    policy: Policy,
    users: HashMap<i64, Seen>,
}

impl Scraping {
    pub fn new(policy: Policy) -> Self {
        Self {
            policy,
            users: HashMap::new(),
        }
    }

    /// Notes that `user` was granted photos of `people` at `now`; a flag
    /// when this crosses the line (at most once per window).
    pub fn note(
        &mut self,
        user: i64,
        people: impl IntoIterator<Item = i64>,
        now: Instant,
    ) -> Option<Flag> {
        let Policy {
            people: limit,
            window,
        } = self.policy;
        let seen = self.users.entry(user).or_insert_with(|| Seen {
            people: HashMap::new(),
            flagged_at: None,
            last: now,
        });
        seen.last = now;
        let cap = limit + 1;
        let mut pruned = false;
        for person in people {
            if let Some(at) = seen.people.get_mut(&person) {
                *at = now;
                continue;
            }
            if seen.people.len() >= cap && !pruned {
                forget_before(&mut seen.people, now, window);
                pruned = true;
            }
            if seen.people.len() < cap {
                seen.people.insert(person, now);
            }
        }
        if seen.people.len() < cap {
            return None;
        }
        if !pruned {
            forget_before(&mut seen.people, now, window);
        }
        let over = seen.people.len() >= cap;
        let due = seen
            .flagged_at
            .is_none_or(|at| now.saturating_duration_since(at) >= window);
        if !(over && due) {
            return None;
        }
        seen.flagged_at = Some(now);
        let earliest = seen.people.values().min().copied().unwrap_or(now);
        Some(Flag {
            limit,
            span: now.saturating_duration_since(earliest),
            window,
        })
    }

    /// Forgets users idle for a whole window.
    pub fn prune(&mut self, now: Instant) {
        let window = self.policy.window;
        self.users
            .retain(|_, seen| now.saturating_duration_since(seen.last) < window);
        self.users.shrink_to_fit();
    }

    /// Users tracked now.
    pub fn tracked(&self) -> usize {
        self.users.len()
    }
}

fn forget_before(people: &mut HashMap<i64, Instant>, now: Instant, window: Duration) {
    people.retain(|_, at| now.saturating_duration_since(*at) < window);
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: Policy = Policy {
        people: 10,
        window: Duration::from_secs(600),
    };

    fn clock() -> impl Fn(u64) -> Instant {
        let start = Instant::now();
        move |secs| start + Duration::from_secs(secs)
    }

    #[test]
    fn more_than_the_limit_within_the_window_is_flagged_once() {
        let at = clock();
        let mut scraping = Scraping::new(POLICY);
        assert_eq!(scraping.note(1, 0..10, at(0)), None);
        // The same people again are not new people.
        assert_eq!(scraping.note(1, 0..10, at(1)), None);
        let flag = scraping
            .note(1, [10], at(60))
            .expect("the 11th person flags");
        assert_eq!(flag.limit, 10);
        assert_eq!(flag.span, Duration::from_secs(59));
        assert_eq!(
            flag.detail(),
            "Granted photos of more than 10 distinct people in 59 s (flagged above 10 within 10 min)."
        );
        // Once per window, however much more.
        assert_eq!(scraping.note(1, 11..500, at(61)), None);
        assert_eq!(scraping.note(1, 500..600, at(659)), None);
        assert!(scraping.note(1, 600..700, at(661)).is_some());
    }

    #[test]
    fn people_spread_over_more_than_a_window_are_not_flagged() {
        let at = clock();
        let mut scraping = Scraping::new(POLICY);
        assert_eq!(scraping.note(1, 0..8, at(0)), None);
        // 8 + 8 = 16 people, but never more than 10 within 10 minutes.
        assert_eq!(scraping.note(1, 100..108, at(600)), None);
        assert_eq!(scraping.note(1, 200..202, at(601)), None);
    }

    #[test]
    fn users_are_counted_apart() {
        let at = clock();
        let mut scraping = Scraping::new(POLICY);
        assert_eq!(scraping.note(1, 0..6, at(0)), None);
        assert_eq!(scraping.note(2, 6..12, at(0)), None);
    }

    #[test]
    fn memory_per_user_is_capped() {
        let at = clock();
        let mut scraping = Scraping::new(POLICY);
        assert!(scraping.note(1, 0..100_000, at(0)).is_some());
        assert_eq!(scraping.users[&1].people.len(), POLICY.people + 1);
    }

    #[test]
    fn idle_users_are_forgotten() {
        let at = clock();
        let mut scraping = Scraping::new(POLICY);
        scraping.note(1, 0..3, at(0));
        scraping.note(2, 0..3, at(500));
        scraping.prune(at(650));
        assert_eq!(scraping.tracked(), 1);
    }

    #[test]
    fn durations_read_as_minutes_and_seconds() {
        assert_eq!(human(Duration::from_secs(59)), "59 s");
        assert_eq!(human(Duration::from_secs(600)), "10 min");
        assert_eq!(human(Duration::from_secs(252)), "4 min 12 s");
    }
}
