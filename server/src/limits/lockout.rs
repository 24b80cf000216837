//! Failed sign-ins: slow down, then lock. Sans-IO: the caller passes the
//! clock in, so every rule is tested without waiting.
//!
//! Keyed by the email as typed (trimmed, ASCII-lowercased like the
//! database's `COLLATE NOCASE`), whether or not anyone has it: a lock never
//! tells a stranger which emails exist. The state is in memory: a restart
//! clears every lock and count (documented in the README).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// Emails tracked at most. Past that, after pruning, a new email is not
/// tracked (and a warning logged): memory stays bounded whatever is typed.
const MAX_TRACKED: usize = 100_000;
/// The longest key kept: no email is longer than 254 characters.
const MAX_KEY_CHARS: usize = 320;

/// The rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures within `window` that lock the email.
    pub failures: u32,
    pub window: Duration,
    /// How long a lock lasts.
    pub lock_for: Duration,
    /// Each failure before the lock is answered this much later than the
    /// previous one (the first at once).
    pub slowdown: Duration,
}

/// What a failed attempt leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Counted; answer the failure after `delay`.
    Counted { delay: Duration },
    /// This failure locked the email for `lock_for` (once per lock).
    Locked { after: u32, lock_for: Duration },
}

#[derive(Debug, Default)]
struct Record {
    /// Failures within the window, oldest first (at most `failures`).
    failures: VecDeque<Instant>,
    locked_until: Option<Instant>,
}

/// Failed sign-ins per email.
#[derive(Debug)]
pub struct Lockout {
    policy: Policy,
    records: HashMap<String, Record>,
    warned_full: bool,
}

/// The key for a typed email.
pub fn key(email: &str) -> String {
    email
        .trim()
        .chars()
        .take(MAX_KEY_CHARS)
        .collect::<String>()
        .to_ascii_lowercase()
}

impl Lockout {
    pub fn new(policy: Policy) -> Self {
        Self {
            policy,
            records: HashMap::new(),
            warned_full: false,
        }
    }

    /// `Err(wait)` while `email` is locked: refuse without checking the
    /// password (even a right one).
    pub fn check(&mut self, email: &str, now: Instant) -> Result<(), Duration> {
        let key = key(email);
        let Some(record) = self.records.get_mut(&key) else {
            return Ok(());
        };
        match record.locked_until {
            Some(until) if until > now => Err(until - now),
            Some(_) => {
                // The lock is over: a clean slate.
                self.records.remove(&key);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Counts a failed sign-in for `email` at `now`.
    pub fn failed(&mut self, email: &str, now: Instant) -> Failure {
        let key = key(email);
        if !self.records.contains_key(&key) && !self.make_room(now) {
            return Failure::Counted {
                delay: Duration::ZERO,
            };
        }
        let policy = self.policy;
        let record = self.records.entry(key).or_default();
        forget_before(&mut record.failures, now, policy.window);
        record.failures.push_back(now);
        let count = u32::try_from(record.failures.len()).unwrap_or(u32::MAX);
        if count >= policy.failures {
            record.failures.clear();
            record.locked_until = Some(now + policy.lock_for);
            return Failure::Locked {
                after: count,
                lock_for: policy.lock_for,
            };
        }
        Failure::Counted {
            delay: policy.slowdown * (count - 1),
        }
    }

    /// A right password: the failures so far are forgiven.
    pub fn succeeded(&mut self, email: &str) {
        self.records.remove(&key(email));
    }

    /// Forgets what no longer matters: ended locks, failures out of the window.
    pub fn prune(&mut self, now: Instant) {
        let window = self.policy.window;
        self.records.retain(|_, record| {
            forget_before(&mut record.failures, now, window);
            record.locked_until.is_some_and(|until| until > now) || !record.failures.is_empty()
        });
        self.records.shrink_to_fit();
    }

    /// Emails tracked now (for tests and the pruner's log).
    pub fn tracked(&self) -> usize {
        self.records.len()
    }

    /// Whether a new email can be tracked, pruning first when full.
    fn make_room(&mut self, now: Instant) -> bool {
        if self.records.len() < MAX_TRACKED {
            return true;
        }
        self.prune(now);
        if self.records.len() < MAX_TRACKED {
            return true;
        }
        if !std::mem::replace(&mut self.warned_full, true) {
            tracing::warn!(
                tracked = MAX_TRACKED,
                "the sign-in lockout is tracking as many emails as it may; new ones are not counted"
            );
        }
        false
    }
}

fn forget_before(failures: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while failures
        .front()
        .is_some_and(|at| now.saturating_duration_since(*at) >= window)
    {
        failures.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: Policy = Policy {
        failures: 3,
        window: Duration::from_secs(60),
        lock_for: Duration::from_secs(300),
        slowdown: Duration::from_millis(500),
    };

    fn clock() -> impl Fn(u64) -> Instant {
        let start = Instant::now();
        move |secs| start + Duration::from_secs(secs)
    }

    #[test]
    fn failures_slow_down_then_lock_once() {
        let at = clock();
        let mut lockout = Lockout::new(POLICY);
        let counted = |ms| Failure::Counted {
            delay: Duration::from_millis(ms),
        };
        assert_eq!(lockout.failed("a@x", at(0)), counted(0));
        assert_eq!(lockout.failed("a@x", at(1)), counted(500));
        assert_eq!(lockout.check("a@x", at(2)), Ok(()));
        let locked = Failure::Locked {
            after: 3,
            lock_for: POLICY.lock_for,
        };
        assert_eq!(lockout.failed("a@x", at(2)), locked);
        assert_eq!(lockout.check("a@x", at(2)), Err(Duration::from_secs(300)));
        assert_eq!(lockout.check("a@x", at(301)), Err(Duration::from_secs(1)));
        // Other emails are untouched.
        assert_eq!(lockout.check("b@x", at(3)), Ok(()));
    }

    #[test]
    fn a_lock_ends_with_a_clean_slate() {
        let at = clock();
        let mut lockout = Lockout::new(POLICY);
        for s in 0..3 {
            lockout.failed("a@x", at(s));
        }
        assert!(lockout.check("a@x", at(10)).is_err());
        assert_eq!(lockout.check("a@x", at(302)), Ok(()));
        // Counting starts afresh: one failure does not lock again.
        assert!(matches!(
            lockout.failed("a@x", at(303)),
            Failure::Counted { .. }
        ));
        assert_eq!(lockout.check("a@x", at(303)), Ok(()));
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let at = clock();
        let mut lockout = Lockout::new(POLICY);
        lockout.failed("a@x", at(0));
        lockout.failed("a@x", at(30));
        // The first has left the window: this is the second, not the third.
        assert!(matches!(
            lockout.failed("a@x", at(60)),
            Failure::Counted { .. }
        ));
        assert!(matches!(
            lockout.failed("a@x", at(61)),
            Failure::Locked { .. }
        ));
    }

    #[test]
    fn the_typed_email_is_the_key_whatever_its_case_or_spaces() {
        let at = clock();
        let mut lockout = Lockout::new(POLICY);
        lockout.failed("Ann@X.example", at(0));
        lockout.failed("  ann@x.EXAMPLE ", at(0));
        lockout.failed("ann@x.example", at(0));
        assert!(lockout.check("ANN@x.example", at(1)).is_err());
    }

    #[test]
    fn a_success_forgives_earlier_failures() {
        let at = clock();
        let mut lockout = Lockout::new(POLICY);
        lockout.failed("a@x", at(0));
        lockout.failed("a@x", at(1));
        lockout.succeeded("a@x");
        assert!(matches!(
            lockout.failed("a@x", at(2)),
            Failure::Counted { .. }
        ));
    }

    #[test]
    fn pruning_keeps_live_locks_and_recent_failures_only() {
        let at = clock();
        let mut lockout = Lockout::new(POLICY);
        for s in 0..3 {
            lockout.failed("locked@x", at(s));
        }
        lockout.failed("old@x", at(0));
        lockout.failed("recent@x", at(100));
        lockout.prune(at(120));
        assert_eq!(lockout.tracked(), 2);
        assert!(lockout.check("locked@x", at(120)).is_err());
        lockout.prune(at(400));
        assert_eq!(lockout.tracked(), 0);
    }

    #[test]
    fn overlong_emails_are_cut_to_a_bounded_key() {
        let long = "a".repeat(10_000);
        assert_eq!(key(&long).len(), MAX_KEY_CHARS);
    }
}
