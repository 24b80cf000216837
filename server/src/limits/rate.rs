//! One keyed rate limit: `governor`'s GCRA, one state per key (a person, an
//! email, an address), "so many per minute, and that many at once".

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::hash::Hash;
use std::num::NonZeroU32;
use std::time::Duration;

/// A limit on cells (requests, URLs) per key.
pub struct Rate<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
    clock: DefaultClock,
    burst: NonZeroU32,
}

impl<K: Hash + Eq + Clone> Rate<K> {
    /// `per_minute` cells a minute, all of them at once if need be (0 is
    /// taken as 1; the configuration refuses it anyway).
    pub fn per_minute(per_minute: u32) -> Self {
        Self::per_minute_at_most(per_minute, per_minute)
    }

    /// `per_minute` cells a minute, no more than `burst` of them at once.
    pub fn per_minute_at_most(per_minute: u32, burst: u32) -> Self {
        let rate = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst.min(per_minute)).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: DefaultKeyedRateLimiter::dashmap(Quota::per_minute(rate).allow_burst(burst)),
            clock: DefaultClock::default(),
            burst,
        }
    }

    /// Takes `cells` for `key`, or says how long until they would be there.
    /// More cells than the limit holds at once are taken as the whole limit
    /// (a profile with more reports than a minute's URLs is still answered,
    /// once a minute).
    pub fn take(&self, key: &K, cells: usize) -> Result<(), Duration> {
        let Some(cells) = u32::try_from(cells).ok().and_then(NonZeroU32::new) else {
            return if cells == 0 {
                Ok(())
            } else {
                self.take(key, self.burst.get() as usize)
            };
        };
        let cells = cells.min(self.burst);
        match self.limiter.check_key_n(key, cells) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => Err(not_until.wait_time_from(self.clock.now())),
            // `cells` is at most the burst, so this cannot happen; refuse
            // for a minute rather than let it through.
            Err(_) => Err(Duration::from_secs(60)),
        }
    }

    /// Forgets keys whose state is as good as new.
    pub fn prune(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    /// Keys tracked now.
    pub fn tracked(&self) -> usize {
        self.limiter.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_burst_then_waits_while_others_go_on() {
        // 6 a minute: a cell refills every 10 s, far longer than this test.
        let rate = Rate::per_minute(6);
        assert_eq!(rate.take(&1, 6), Ok(()));
        let wait = rate.take(&1, 1).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(10),
            "{wait:?}"
        );
        let wait = rate.take(&1, 3).unwrap_err();
        assert!(
            wait > Duration::from_secs(10) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert_eq!(rate.take(&2, 6), Ok(()));
    }

    #[test]
    fn nothing_taken_is_always_fine_and_too_much_is_the_whole_limit() {
        let rate = Rate::per_minute(10);
        assert_eq!(rate.take(&1, 0), Ok(()));
        assert_eq!(rate.take(&1, 1_000), Ok(()));
        assert!(rate.take(&1, 1).is_err());
        assert_eq!(rate.take(&1, 0), Ok(()));
    }
}
