//! The photo healer's decisions, Sans-IO: which photo URLs to refresh, when,
//! and in which batch.
//!
//! Every photo on screen is one [`PhotoKey`] (a person and a rendition). The
//! healer is told what happens — a photo mounted, came on screen, loaded,
//! failed; a refresh answered or failed — with the time by the server's
//! clock, and answers with batches to send ([`Healer::poll`]) and when to
//! wake up next ([`Healer::next_wakeup`]). It never touches the DOM, timers
//! or the network, so every rule below is pinned by native unit tests:
//!
//! - **Renew before expiry.** An on-screen photo is renewed at 80 % of its
//!   URL's lifetime, counted from the URL's signing time, so photos signed in
//!   the same window fall due together and go in one batch.
//! - **Off screen is idle.** Only photos with a visible subscriber are ever
//!   refreshed.
//! - **Heal on error.** A failed photo whose URL has expired (or nearly) is
//!   refreshed at once; otherwise it is retried with [`Backoff`]. Photos that
//!   fail together share one drawn delay per retry level, so a store outage
//!   costs one batch per level, not one per photo. After the last retry the
//!   photo gives up (placeholder and retry control), and a single *probe*
//!   retries one given-up photo now and then; when any photo loads again,
//!   every given-up photo is retried in one batch.
//! - **Never a loop.** No photo is refreshed twice within
//!   [`Settings::min_gap_ms`], and every failure counts toward giving up.

mod settings;
mod view;

pub use settings::{expired_or_nearly, renew_time, Settings};
pub use view::{Batch, Phase, PhotoKey, PhotoView};

use lanyard_wire::{EmployeeId, PersonPhotoUrl, PhotoUrl};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
struct Entry {
    url: Option<PhotoUrl>,
    phase: Phase,
    /// Failures since the photo last loaded (errors and failed refreshes).
    failures: u32,
    /// When a refresh is due (server clock, ms).
    due: Option<i64>,
    in_flight: bool,
    last_sent: Option<i64>,
    subscribers: u32,
    visible: u32,
}

impl Entry {
    fn new(url: Option<PhotoUrl>, settings: &Settings) -> Self {
        let due = url.as_ref().map(|u| renew_time(u, settings));
        Self {
            phase: if url.is_some() {
                Phase::Usable
            } else {
                Phase::NoPhoto
            },
            url,
            failures: 0,
            due,
            in_flight: false,
            last_sent: None,
            subscribers: 0,
            visible: 0,
        }
    }

    fn view(&self) -> PhotoView {
        PhotoView {
            phase: self.phase,
            url: match self.phase {
                Phase::Usable => self.url.as_ref().map(|u| u.url.clone()),
                _ => None,
            },
        }
    }

    fn wants_refresh(&self) -> bool {
        self.visible > 0 && !self.in_flight && matches!(self.phase, Phase::Usable | Phase::Waiting)
    }
}

/// The healer's whole state. See the module documentation.
#[derive(Debug, Default)]
pub struct Healer {
    settings: Settings,
    entries: HashMap<PhotoKey, Entry>,
    /// Retry level → the shared due time of photos retrying at that level.
    retry_slots: BTreeMap<u32, i64>,
    probe_due: Option<i64>,
    probe_round: u32,
    /// Keys whose [`PhotoView`] may have changed since the last drain.
    changed: Vec<PhotoKey>,
}

impl Healer {
    pub fn new(settings: Settings) -> Self {
        Self {
            settings,
            ..Self::default()
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// What a component should render for `key`.
    pub fn view(&self, key: PhotoKey) -> PhotoView {
        self.entries.get(&key).map_or(
            PhotoView {
                phase: Phase::NoPhoto,
                url: None,
            },
            Entry::view,
        )
    }

    /// The keys whose view may have changed since the last call.
    pub fn take_changes(&mut self) -> Vec<PhotoKey> {
        let mut changed = std::mem::take(&mut self.changed);
        changed.sort_unstable();
        changed.dedup();
        changed
    }

    /// A component showing `key` mounted with the URL its page data carried.
    /// A URL that lives longer than the one already held replaces it.
    pub fn subscribe(&mut self, key: PhotoKey, url: Option<PhotoUrl>) {
        let settings = self.settings;
        let entry = self
            .entries
            .entry(key)
            .or_insert_with(|| Entry::new(None, &settings));
        entry.subscribers += 1;
        if let Some(url) = url {
            let newer = entry
                .url
                .as_ref()
                .is_none_or(|held| url.expires_at > held.expires_at);
            if newer && !entry.in_flight {
                entry.due = Some(renew_time(&url, &settings));
                entry.url = Some(url);
                entry.phase = Phase::Usable;
                entry.failures = 0;
                self.changed.push(key);
            }
        }
    }

    /// A component showing `key` unmounted (`visible`: whether it was on
    /// screen). The last one out forgets the photo.
    pub fn unsubscribe(&mut self, key: PhotoKey, visible: bool) {
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.subscribers = entry.subscribers.saturating_sub(1);
            if visible {
                entry.visible = entry.visible.saturating_sub(1);
            }
            if entry.subscribers == 0 {
                self.entries.remove(&key);
            }
        }
    }

    /// A component showing `key` came on screen (`true`) or left it.
    pub fn set_visible(&mut self, key: PhotoKey, visible: bool, now: i64) {
        let settings = self.settings;
        let Some(entry) = self.entries.get_mut(&key) else {
            return;
        };
        if !visible {
            entry.visible = entry.visible.saturating_sub(1);
            return;
        }
        entry.visible += 1;
        if entry.visible > 1 || entry.phase != Phase::Usable || entry.in_flight {
            return;
        }
        // Coming on screen with a URL past its renewal point: fetch a fresh
        // one first rather than download the photo twice (or get a 403).
        if let Some(url) = &entry.url {
            if now >= renew_time(url, &settings) {
                entry.due = Some(entry.due.map_or(now, |due| due.min(now)));
            }
            if expired_or_nearly(url, now, &settings) {
                entry.phase = Phase::Waiting;
                self.changed.push(key);
            }
        }
    }

    /// The photo at `url` loaded: it is healthy, and so is the store — every
    /// photo that gave up is retried at once, in one batch.
    pub fn loaded(&mut self, key: PhotoKey, url: &str, now: i64) {
        let Some(entry) = self.entries.get_mut(&key) else {
            return;
        };
        if entry.url.as_ref().is_none_or(|u| u.url != url) {
            return;
        }
        entry.failures = 0;
        self.probe_round = 0;
        self.probe_due = None;
        for (key, entry) in &mut self.entries {
            if entry.phase == Phase::GaveUp {
                entry.phase = Phase::Waiting;
                entry.failures = 0;
                entry.due = Some(now);
                self.changed.push(*key);
            }
        }
    }

    /// The photo at `url` failed to load (`random`: a uniform draw in
    /// `[0, 1)` for the backoff jitter).
    pub fn failed(&mut self, key: PhotoKey, url: &str, now: i64, random: f64) {
        let settings = self.settings;
        let Some(entry) = self.entries.get_mut(&key) else {
            return;
        };
        // An error from a URL already replaced says nothing about the new one.
        let Some(current) = entry.url.as_ref().filter(|u| u.url == url) else {
            return;
        };
        if entry.phase != Phase::Usable {
            return;
        }
        let expired = expired_or_nearly(current, now, &settings);
        self.changed.push(key);
        let retry = entry.failures;
        entry.failures += 1;
        let Some(delay) = settings.backoff.delay_ms(retry, random) else {
            entry.phase = Phase::GaveUp;
            entry.due = None;
            self.schedule_probe(now, random);
            return;
        };
        entry.phase = Phase::Waiting;
        entry.due = Some(if expired {
            now
        } else {
            *self
                .retry_slots
                .entry(retry)
                .or_insert(now + i64::from(delay))
        });
    }

    /// Someone pressed the retry control on `key`: try it now. If it loads,
    /// [`Healer::loaded`] brings every other given-up photo back too.
    pub fn retry(&mut self, key: PhotoKey, now: i64) {
        if let Some(entry) = self.entries.get_mut(&key) {
            if entry.phase == Phase::GaveUp {
                entry.phase = Phase::Waiting;
                // One more failure gives up again: a click is one attempt.
                entry.failures = self.settings.backoff.attempts;
                entry.due = Some(now);
                self.changed.push(key);
            }
        }
    }

    /// When [`Healer::poll`] next has something to do, if ever.
    pub fn next_wakeup(&self) -> Option<i64> {
        let refresh = self
            .entries
            .values()
            .filter(|e| e.wants_refresh())
            .filter_map(|e| e.due)
            .min();
        let probe = self.probe_due.filter(|_| self.probe_candidate().is_some());
        match (refresh, probe) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The batches to send now: every on-screen photo whose refresh is due,
    /// grouped by rendition, at most `max_batch` people per batch.
    pub fn poll(&mut self, now: i64) -> Vec<Batch> {
        if self.probe_due.is_some_and(|due| due <= now) {
            if let Some(key) = self.probe_candidate() {
                self.probe_due = None;
                self.probe_round = self.probe_round.saturating_add(1);
                self.retry(key, now);
            }
        }
        self.retry_slots.retain(|_, due| *due > now);

        let min_gap = self.settings.min_gap_ms;
        let mut due: Vec<PhotoKey> = Vec::new();
        for (key, entry) in &mut self.entries {
            if !entry.wants_refresh() || entry.due.is_none_or(|d| d > now) {
                continue;
            }
            // `at.min(now)`: a send stamped by a clock that ran ahead (the
            // browser's was set forward) must not hold the next one back.
            if let Some(gap_end) = entry.last_sent.map(|at| at.min(now) + min_gap) {
                if gap_end > now {
                    entry.due = Some(gap_end);
                    continue;
                }
            }
            due.push(*key);
        }
        // By rendition first: one batch per rendition, people in order.
        due.sort_unstable_by_key(|k| (k.size, k.person));

        let mut batches: Vec<Batch> = Vec::new();
        for key in due {
            let entry = self.entries.get_mut(&key).expect("collected above");
            entry.in_flight = true;
            entry.last_sent = Some(now);
            entry.due = None;
            match batches.last_mut() {
                Some(batch)
                    if batch.size == key.size && batch.people.len() < self.settings.max_batch =>
                {
                    batch.people.push(key.person);
                }
                _ => batches.push(Batch {
                    size: key.size,
                    people: vec![key.person],
                }),
            }
        }
        batches
    }

    /// A batch answered. People left out of the answer (no longer visible
    /// to the viewer) and people answered `null` have no photo any more.
    pub fn answered(&mut self, batch: &Batch, urls: &[PersonPhotoUrl], now: i64) {
        let settings = self.settings;
        let answers: HashMap<EmployeeId, &Option<PhotoUrl>> =
            urls.iter().map(|u| (u.person, &u.photo)).collect();
        for key in self.settle(batch, now) {
            let entry = self.entries.get_mut(&key).expect("settled entries exist");
            match answers.get(&key.person) {
                Some(Some(url)) => {
                    let renew = renew_time(url, &settings);
                    entry.due = Some(renew.max(now + settings.min_gap_ms));
                    if entry.url.as_ref() != Some(url) || entry.phase != Phase::Usable {
                        entry.url = Some(url.clone());
                        entry.phase = Phase::Usable;
                        self.changed.push(key);
                    }
                }
                _ => {
                    entry.url = None;
                    entry.phase = Phase::NoPhoto;
                    entry.due = None;
                    self.changed.push(key);
                }
            }
        }
    }

    /// A batch request failed (network, server). The photos retry together
    /// with backoff; a shown photo stays shown while its renewal retries.
    /// `retry_after_ms`: the server's `Retry-After`, which wins if longer.
    pub fn batch_failed(
        &mut self,
        batch: &Batch,
        now: i64,
        random: f64,
        retry_after_ms: Option<i64>,
    ) {
        let settings = self.settings;
        let mut gave_up = false;
        for key in self.settle(batch, now) {
            let entry = self.entries.get_mut(&key).expect("settled entries exist");
            let retry = entry.failures;
            entry.failures += 1;
            let delay = match settings.backoff.delay_ms(retry, random) {
                Some(delay) => i64::from(delay),
                // A photo on screen keeps showing; its renewal keeps trying
                // at the slowest pace. Nothing shown: give up.
                None if entry.phase == Phase::Usable => {
                    i64::from(settings.backoff.ceiling_ms(retry))
                }
                None => {
                    entry.phase = Phase::GaveUp;
                    entry.due = None;
                    self.changed.push(key);
                    gave_up = true;
                    continue;
                }
            };
            let slot = *self.retry_slots.entry(retry).or_insert(now + delay);
            entry.due = Some(slot.max(now + retry_after_ms.unwrap_or(0)));
        }
        if gave_up {
            self.schedule_probe(now, random);
        }
    }

    /// The photos of a batch that are still shown, no longer in flight. A
    /// send stamped later than `now` came from a clock that ran ahead (the
    /// browser's was set forward; the answer has just put it right): it is
    /// pulled back so the minimum gap does not hold the next refresh back.
    fn settle(&mut self, batch: &Batch, now: i64) -> Vec<PhotoKey> {
        let mut settled = Vec::with_capacity(batch.people.len());
        for &person in &batch.people {
            let key = PhotoKey {
                person,
                size: batch.size,
            };
            if let Some(entry) = self.entries.get_mut(&key) {
                entry.in_flight = false;
                entry.last_sent = entry.last_sent.map(|at| at.min(now));
                settled.push(key);
            }
        }
        settled
    }

    fn schedule_probe(&mut self, now: i64, random: f64) {
        if self.probe_due.is_some() {
            return;
        }
        let ceiling = self
            .settings
            .probe_base_ms
            .saturating_mul(1_i64 << self.probe_round.min(20))
            .min(self.settings.probe_cap_ms);
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.0
        };
        // Equal jitter: a probe never comes right after giving up.
        let delay = ceiling / 2 + (ceiling as f64 / 2.0 * random) as i64;
        self.probe_due = Some(now + delay);
    }

    /// The given-up photo a probe retries: on screen, lowest key first.
    fn probe_candidate(&self) -> Option<PhotoKey> {
        self.entries
            .iter()
            .filter(|(_, e)| e.phase == Phase::GaveUp && e.visible > 0)
            .map(|(key, _)| *key)
            .min()
    }
}

#[cfg(test)]
mod failure_tests;
#[cfg(test)]
mod tests;
