//! The server's clock, as seen from the browser.
//!
//! Photo URLs expire by the server's (and the store's) clock, and a laptop's
//! clock can be minutes off — or be set forward or back while the tab is
//! open. Every API answer carries the server's time; [`observe`] anchors an
//! estimate of the server's clock to the moment the answer arrived, and
//! [`server_now`] / [`millis_until`] count on from that anchor. The photo
//! healer judges expiry and schedules renewals by it.
//!
//! Counting on uses the larger of two local clocks' progress: the wall clock
//! (`Date.now()`) and the monotonic one (`performance.now()`). The monotonic
//! clock is immune to someone setting the wall clock back, but on some
//! systems it stops while the machine sleeps, when the wall clock is right.
//! Taking the larger of the two is right in both cases; only a wall clock set
//! *forward* makes the estimate run ahead, which costs at most one early
//! refresh: that refresh's answer resets the anchor.
//!
//! The estimate is one fact per browser tab, so it lives in a thread-local
//! (wasm is single-threaded) rather than a reactive context: API calls
//! record it after an `.await`, where no reactive owner is at hand.

use lanyard_wire::Timestamp;
use std::cell::Cell;

/// One reading of the browser's two clocks, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalReading {
    /// `Date.now()`: Unix milliseconds by the browser's wall clock.
    pub wall_ms: i64,
    /// `performance.now()`: monotonic milliseconds since the page started.
    pub mono_ms: i64,
}

/// A sample further than this (plus half its round trip) from the estimate
/// means a clock jumped — the server's, or ours while no answer came — and
/// replaces the estimate instead of nudging it.
const JUMP_MS: i64 = 2_000;

/// The estimate of the server's clock: what it read at a local moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServerClock {
    anchor: Option<(i64, LocalReading)>,
}

impl ServerClock {
    /// Folds in one sample: the server said `server_ms` in answer to a
    /// request sent at `sent` and received at `received`. The server spoke
    /// about half-way through the round trip. The first sample is taken as
    /// is; later ones move the estimate a quarter of the way, so one slow
    /// answer cannot swing it — unless it is so far off that a clock must
    /// have jumped, which resets the estimate.
    #[must_use]
    pub fn observe(self, server_ms: i64, sent: LocalReading, received: LocalReading) -> Self {
        let rtt = received.mono_ms.saturating_sub(sent.mono_ms).max(0);
        let sample = server_ms.saturating_add(rtt / 2);
        let server_at_arrival = match self.anchor {
            Some(_) => {
                let estimate = self.server_time(received).as_millis();
                if (sample - estimate).abs() <= JUMP_MS + rtt / 2 {
                    estimate + (sample - estimate) / 4
                } else {
                    sample
                }
            }
            None => sample,
        };
        Self {
            anchor: Some((server_at_arrival, received)),
        }
    }

    /// The server's time at the local moment `now`: the anchor plus the
    /// larger of the two local clocks' progress since (see the module docs).
    /// Before any answer, the browser's wall clock.
    pub fn server_time(self, now: LocalReading) -> Timestamp {
        let Some((server_ms, at)) = self.anchor else {
            return Timestamp::from_millis(now.wall_ms);
        };
        let by_wall = now.wall_ms.saturating_sub(at.wall_ms);
        let by_mono = now.mono_ms.saturating_sub(at.mono_ms);
        Timestamp::from_millis(server_ms.saturating_add(by_wall.max(by_mono)))
    }

    /// Milliseconds left until `deadline` (server clock), negative once past.
    pub fn millis_until(self, deadline: Timestamp, now: LocalReading) -> i64 {
        self.server_time(now).millis_until(deadline)
    }
}

thread_local! {
    static CLOCK: Cell<ServerClock> = Cell::new(ServerClock::default());
}

/// Both of the browser's clocks, now.
pub fn local_now() -> LocalReading {
    // f64 milliseconds fit an i64 exactly for the next few hundred millennia.
    let mono = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now());
    LocalReading {
        wall_ms: js_sys::Date::now() as i64,
        mono_ms: mono as i64,
    }
}

/// Records the server's time from an answer that just arrived to a request
/// sent at `sent` (a [`local_now`] reading).
pub fn observe(server_ms: i64, sent: LocalReading) {
    let received = local_now();
    CLOCK.with(|c| c.set(c.get().observe(server_ms, sent, received)));
}

/// Now, by the server's clock.
pub fn server_now() -> Timestamp {
    CLOCK.with(Cell::get).server_time(local_now())
}

/// Milliseconds until `deadline` by the server's clock (e.g. a photo URL's
/// `expires_at`), negative once it has passed.
pub fn millis_until(deadline: Timestamp) -> i64 {
    CLOCK.with(Cell::get).millis_until(deadline, local_now())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(wall_ms: i64, mono_ms: i64) -> LocalReading {
        LocalReading { wall_ms, mono_ms }
    }

    /// A clock that heard the server say `server_ms` instantly at `local`.
    fn synced(server_ms: i64, local: LocalReading) -> ServerClock {
        ServerClock::default().observe(server_ms, local, local)
    }

    #[test]
    fn no_sample_means_the_wall_clock() {
        let clock = ServerClock::default();
        assert_eq!(clock.server_time(at(1_000, 5)).as_millis(), 1_000);
    }

    #[test]
    fn first_sample_anchors_the_estimate() {
        // The browser's wall clock runs 90 s slow.
        let clock = synced(100_000, at(10_000, 0));
        assert_eq!(clock.server_time(at(20_000, 10_000)).as_millis(), 110_000);
    }

    #[test]
    fn the_server_spoke_half_way_through_the_round_trip() {
        // Sent at 0, answered 200 ms later: the server's 1_100 was 100 ms ago.
        let clock = ServerClock::default().observe(1_100, at(0, 0), at(200, 200));
        assert_eq!(clock.server_time(at(200, 200)).as_millis(), 1_200);
    }

    #[test]
    fn later_samples_move_the_estimate_gently() {
        let clock = synced(1_000, at(0, 0)).observe(2_000, at(0, 0), at(0, 0));
        assert_eq!(clock.server_time(at(0, 0)).as_millis(), 1_250);
    }

    #[test]
    fn a_slow_answer_within_its_round_trip_only_nudges() {
        let clock = synced(10_000, at(10_000, 0));
        // 6 s round trip; the sample is 2.5 s off: within 2 s + 3 s.
        let clock = clock.observe(15_500, at(10_000, 0), at(16_000, 6_000));
        assert_eq!(
            clock.server_time(at(16_000, 6_000)).as_millis(),
            16_000 + 2_500 / 4
        );
    }

    #[test]
    fn a_wall_clock_set_back_does_not_stop_time() {
        // In step with the server, then the wall clock is set 10 minutes
        // back: the monotonic clock keeps the estimate right, with no answer.
        let clock = synced(1_000_000, at(1_000_000, 0));
        let later = at(1_005_000 - 600_000, 5_000);
        assert_eq!(clock.server_time(later).as_millis(), 1_005_000);
    }

    #[test]
    fn a_wall_clock_set_forward_runs_ahead_until_the_next_answer() {
        let clock = synced(1_000_000, at(1_000_000, 0));
        let jumped = at(1_005_000 + 600_000, 5_000);
        assert_eq!(clock.server_time(jumped).as_millis(), 1_605_000);
        // The next answer (1 s round trip) resets the anchor at once.
        let clock = clock.observe(1_005_500, jumped, at(1_606_000, 6_000));
        assert_eq!(
            clock.server_time(at(1_606_000, 6_000)).as_millis(),
            1_006_000
        );
        assert_eq!(
            clock.server_time(at(1_611_000, 11_000)).as_millis(),
            1_011_000
        );
    }

    #[test]
    fn a_machine_that_slept_follows_the_wall_clock() {
        // The monotonic clock stood still for an hour of sleep.
        let clock = synced(1_000_000, at(1_000_000, 0));
        let woke = at(1_000_000 + 3_600_000, 10);
        assert_eq!(clock.server_time(woke).as_millis(), 4_600_000);
    }

    #[test]
    fn expiry_is_judged_by_the_server_clock() {
        // The browser is 60 s fast: its "now" is already past a URL the
        // server still considers valid for 30 s.
        let clock = synced(1_000_000, at(1_060_000, 0));
        let expires_at = Timestamp::from_millis(1_030_000);
        assert_eq!(clock.millis_until(expires_at, at(1_060_000, 0)), 30_000);
    }
}
