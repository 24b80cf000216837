//! The server's clock, as seen from the browser.
//!
//! Photo URLs expire by the server's (and the store's) clock, and a laptop's
//! clock can be minutes off. Every API answer carries the server's time;
//! [`observe`] folds each sample into an offset so [`server_now`] and
//! [`millis_until`] judge expiry by the server's clock. The photo-healing
//! work builds on this; today nothing schedules refreshes yet.
//!
//! The offset is one fact per browser tab, so it lives in a thread-local
//! (wasm is single-threaded) rather than in a reactive context: API calls
//! record it after an `.await`, where no reactive owner is at hand.

use lanyard_wire::Timestamp;
use std::cell::Cell;

/// The estimated `server − browser` clock difference, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClockOffset {
    offset_ms: Option<i64>,
}

impl ClockOffset {
    /// Folds in one sample: the server said `server_ms` when the browser's
    /// clock read `local_ms`. The first sample is taken as is; later ones
    /// move the estimate a quarter of the way, so one slow answer (whose
    /// server time is stale by its latency) cannot swing it.
    #[must_use]
    pub fn observe(self, server_ms: i64, local_ms: i64) -> Self {
        let sample = server_ms.saturating_sub(local_ms);
        let offset_ms = match self.offset_ms {
            None => sample,
            Some(old) => old + (sample - old) / 4,
        };
        Self {
            offset_ms: Some(offset_ms),
        }
    }

    /// The offset; zero until the first answer arrived.
    pub fn offset_ms(self) -> i64 {
        self.offset_ms.unwrap_or(0)
    }

    /// The server's time when the browser's clock reads `local_ms`.
    pub fn server_time(self, local_ms: i64) -> Timestamp {
        Timestamp::from_millis(local_ms.saturating_add(self.offset_ms()))
    }

    /// Milliseconds left until `deadline` (server clock), negative once past.
    pub fn millis_until(self, deadline: Timestamp, local_ms: i64) -> i64 {
        self.server_time(local_ms).millis_until(deadline)
    }
}

thread_local! {
    static OFFSET: Cell<ClockOffset> = Cell::new(ClockOffset::default());
}

/// The browser's clock, in Unix milliseconds.
pub fn local_now_ms() -> i64 {
    // f64 milliseconds fit an i64 exactly for the next few hundred millennia.
    js_sys::Date::now() as i64
}

/// Records the server's time from an answer that just arrived.
pub fn observe(server_ms: i64) {
    let local = local_now_ms();
    OFFSET.with(|o| o.set(o.get().observe(server_ms, local)));
}

/// The current offset estimate.
pub fn offset() -> ClockOffset {
    OFFSET.with(Cell::get)
}

/// Now, by the server's clock.
pub fn server_now() -> Timestamp {
    offset().server_time(local_now_ms())
}

/// Milliseconds until `deadline` by the server's clock (e.g. a photo URL's
/// `expires_at`), negative once it has passed.
pub fn millis_until(deadline: Timestamp) -> i64 {
    offset().millis_until(deadline, local_now_ms())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_sample_means_no_correction() {
        let clock = ClockOffset::default();
        assert_eq!(clock.server_time(1_000).as_millis(), 1_000);
    }

    #[test]
    fn first_sample_sets_the_offset() {
        // The browser runs 90 s slow.
        let clock = ClockOffset::default().observe(100_000, 10_000);
        assert_eq!(clock.offset_ms(), 90_000);
        assert_eq!(clock.server_time(20_000).as_millis(), 110_000);
    }

    #[test]
    fn later_samples_move_the_estimate_gently() {
        let clock = ClockOffset::default().observe(1_000, 0).observe(5_000, 0);
        assert_eq!(clock.offset_ms(), 2_000);
    }

    #[test]
    fn expiry_is_judged_by_the_server_clock() {
        // Browser is 60 s fast: its "now" is already past a URL the server
        // still considers valid for 30 s.
        let clock = ClockOffset::default().observe(1_000_000, 1_060_000);
        let expires_at = Timestamp::from_millis(1_030_000);
        assert_eq!(clock.millis_until(expires_at, 1_060_000), 30_000);
    }
}
