//! Exponential backoff with full jitter, as a pure policy.
//!
//! The delay before retry `n` (0-based) is drawn uniformly from
//! `[0, min(cap, base × factor^n)]` ("full jitter", as in AWS's
//! "Exponential Backoff and Jitter"): a screenful of photos that failed
//! together does not retry in lockstep. After `attempts` retries the policy
//! gives up. The random draw is passed in, so tests pin every branch.

/// How retries of a failed photo refresh are spaced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The ceiling of the first retry's delay, in milliseconds.
    pub base_ms: u32,
    /// How much the ceiling grows per retry.
    pub factor: u32,
    /// The largest ceiling, in milliseconds.
    pub cap_ms: u32,
    /// Retries before giving up.
    pub attempts: u32,
}

impl Backoff {
    /// What the SPA uses: retries within about 8 s at most (0.5 + 1 + 2 + 4
    /// s ceilings), then the placeholder with a retry control.
    pub const PHOTOS: Self = Self {
        base_ms: 500,
        factor: 2,
        cap_ms: 4_000,
        attempts: 4,
    };

    /// The ceiling of retry `retry`'s delay (before jitter), saturating.
    pub fn ceiling_ms(&self, retry: u32) -> u32 {
        let growth = self.factor.saturating_pow(retry);
        self.base_ms.saturating_mul(growth).min(self.cap_ms)
    }

    /// The delay before retry `retry` (0-based), given a uniform draw
    /// `random` in `[0, 1)`; `None` once `retry` reaches `attempts`.
    pub fn delay_ms(&self, retry: u32, random: f64) -> Option<u32> {
        if retry >= self.attempts {
            return None;
        }
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.0
        };
        // `as` saturates and the product is within [0, ceiling].
        Some((f64::from(self.ceiling_ms(retry)) * random) as u32)
    }

    /// The longest the whole sequence of retries can take.
    pub fn worst_case_ms(&self) -> u64 {
        (0..self.attempts)
            .map(|retry| u64::from(self.ceiling_ms(retry)))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: Backoff = Backoff {
        base_ms: 100,
        factor: 3,
        cap_ms: 1_000,
        attempts: 5,
    };

    #[test]
    fn ceilings_grow_by_the_factor_up_to_the_cap() {
        let ceilings: Vec<u32> = (0..6).map(|n| POLICY.ceiling_ms(n)).collect();
        assert_eq!(ceilings, [100, 300, 900, 1_000, 1_000, 1_000]);
    }

    #[test]
    fn full_jitter_spans_zero_to_the_ceiling() {
        assert_eq!(POLICY.delay_ms(2, 0.0), Some(0));
        assert_eq!(POLICY.delay_ms(2, 0.5), Some(450));
        assert_eq!(POLICY.delay_ms(2, 0.999_999), Some(899));
        // Out-of-range draws are clamped, never beyond the ceiling.
        assert_eq!(POLICY.delay_ms(2, 7.0), Some(900));
        assert_eq!(POLICY.delay_ms(2, -1.0), Some(0));
        assert_eq!(POLICY.delay_ms(2, f64::NAN), Some(0));
    }

    #[test]
    fn it_gives_up_after_the_last_attempt() {
        assert!(POLICY.delay_ms(4, 0.5).is_some());
        assert_eq!(POLICY.delay_ms(5, 0.5), None);
        assert_eq!(POLICY.delay_ms(u32::MAX, 0.5), None);
    }

    #[test]
    fn huge_exponents_saturate_instead_of_overflowing() {
        let policy = Backoff {
            attempts: u32::MAX,
            ..POLICY
        };
        assert_eq!(policy.ceiling_ms(1_000), 1_000);
        assert_eq!(policy.delay_ms(1_000, 1.0), Some(1_000));
    }

    #[test]
    fn the_photo_policy_settles_within_seconds() {
        assert_eq!(Backoff::PHOTOS.worst_case_ms(), 500 + 1_000 + 2_000 + 4_000);
    }

    #[test]
    fn a_thousand_draws_stay_inside_the_ceiling_and_spread() {
        // A simple LCG stands in for Math.random: deterministic, uniform enough.
        let mut state: u64 = 42;
        let mut draws = Vec::new();
        for _ in 0..1_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let random = (state >> 11) as f64 / (1u64 << 53) as f64;
            draws.push(POLICY.delay_ms(1, random).unwrap());
        }
        assert!(draws.iter().all(|&d| d <= 300));
        let low = draws.iter().filter(|&&d| d < 150).count();
        assert!((400..600).contains(&low), "{low} of 1000 in the lower half");
    }
}
