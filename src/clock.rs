//! The server's clock, as seen from the browser.
//!
//! Photo URLs expire by the server's (and the store's) clock, and a laptop's
//! clock can be minutes off — or be set ahead while the tab is open. Every
//! API answer carries the server's time; [`observe`] folds each sample into
//! an offset so [`server_now`] and [`millis_until`] judge expiry (and the
//! photo healer schedules renewals) by the server's clock.
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

/// A sample further than this (plus half its round trip) from the estimate
/// means a clock jumped — the browser's was set, or slept and resynced —
/// and replaces the estimate instead of nudging it.
const JUMP_MS: i64 = 2_000;
/// Round trips longer than this say little about when the server spoke.
const MAX_USEFUL_RTT_MS: i64 = 10_000;

impl ClockOffset {
    /// Folds in one sample: the server said `server_ms` in answer to a
    /// request sent when the browser's clock read `sent_ms`, received at
    /// `received_ms`. The server spoke about half-way through the round trip.
    /// The first sample is taken as is; later ones move the estimate a
    /// quarter of the way, so one slow answer cannot swing it — unless it is
    /// so far off that a clock must have jumped, which resets the estimate.
    #[must_use]
    pub fn observe(self, server_ms: i64, sent_ms: i64, received_ms: i64) -> Self {
        let rtt = received_ms.saturating_sub(sent_ms);
        // A clock that jumped mid-request makes the round trip meaningless
        // (negative or huge): measure from the arrival alone.
        let (local_ms, uncertainty) = if (0..=MAX_USEFUL_RTT_MS).contains(&rtt) {
            (sent_ms + rtt / 2, rtt / 2)
        } else {
            (received_ms, 0)
        };
        let sample = server_ms.saturating_sub(local_ms);
        let offset_ms = match self.offset_ms {
            Some(old) if (sample - old).abs() <= JUMP_MS + uncertainty => old + (sample - old) / 4,
            _ => sample,
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

/// Records the server's time from an answer that just arrived to a request
/// sent at `sent_ms` (from [`local_now_ms`]).
pub fn observe(server_ms: i64, sent_ms: i64) {
    let received = local_now_ms();
    OFFSET.with(|o| o.set(o.get().observe(server_ms, sent_ms, received)));
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
        // The browser runs 90 s slow; the request took no time.
        let clock = ClockOffset::default().observe(100_000, 10_000, 10_000);
        assert_eq!(clock.offset_ms(), 90_000);
        assert_eq!(clock.server_time(20_000).as_millis(), 110_000);
    }

    #[test]
    fn the_server_spoke_half_way_through_the_round_trip() {
        // Sent at 0, answered at 200 (local): the server's 1_100 was at 100.
        let clock = ClockOffset::default().observe(1_100, 0, 200);
        assert_eq!(clock.offset_ms(), 1_000);
    }

    #[test]
    fn later_samples_move_the_estimate_gently() {
        let clock = ClockOffset::default()
            .observe(1_000, 0, 0)
            .observe(2_000, 0, 0);
        assert_eq!(clock.offset_ms(), 1_250);
    }

    #[test]
    fn a_jumped_clock_resets_the_estimate_at_once() {
        // In step with the server, then the browser clock is set 10 minutes
        // ahead: the very next answer puts the estimate right.
        let clock = ClockOffset::default().observe(50_000, 50_000, 50_000);
        let ten_minutes = 600_000;
        let clock = clock.observe(60_000, 60_000 + ten_minutes, 60_000 + ten_minutes);
        assert_eq!(clock.offset_ms(), -ten_minutes);
        assert_eq!(clock.server_time(61_000 + ten_minutes).as_millis(), 61_000);
    }

    #[test]
    fn a_jump_during_the_request_is_measured_from_the_arrival() {
        // Sent before the jump, received after it: a 10-minute "round trip".
        let clock = ClockOffset::default().observe(0, 0, 0);
        let clock = clock.observe(1_000, 500, 601_000);
        assert_eq!(clock.offset_ms(), -600_000);
    }

    #[test]
    fn a_slow_answer_within_its_round_trip_only_nudges() {
        let clock = ClockOffset::default().observe(10_000, 10_000, 10_000);
        // 6 s round trip, sample 2.5 s off: within 2 s + 3 s of uncertainty.
        let clock = clock.observe(15_500, 10_000, 16_000);
        assert_eq!(clock.offset_ms(), 2_500 / 4);
    }

    #[test]
    fn expiry_is_judged_by_the_server_clock() {
        // Browser is 60 s fast: its "now" is already past a URL the server
        // still considers valid for 30 s.
        let clock = ClockOffset::default().observe(1_000_000, 1_060_000, 1_060_000);
        let expires_at = Timestamp::from_millis(1_030_000);
        assert_eq!(clock.millis_until(expires_at, 1_060_000), 30_000);
    }
}
