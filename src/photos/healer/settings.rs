//! The healer's tunables, and the two timing rules every decision uses:
//! when a URL is renewed, and when it counts as expired.

use crate::photos::backoff::Backoff;
use lanyard_wire::{PhotoUrl, MAX_PHOTO_BATCH};

/// The healer's tunables.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub backoff: Backoff,
    /// Renew at this fraction of a URL's lifetime (from its signing time).
    pub renew_at: f64,
    /// A failed photo whose URL expires within this long (or a tenth of its
    /// lifetime, if less) counts as expired: refresh at once.
    pub expiry_margin_ms: i64,
    /// No photo is refreshed twice within this long.
    pub min_gap_ms: i64,
    /// The first probe after photos gave up comes this long after (with
    /// "equal jitter": half fixed, half random); later ones double.
    pub probe_base_ms: i64,
    /// The longest pause between probes.
    pub probe_cap_ms: i64,
    /// The most people in one batch request.
    pub max_batch: usize,
}

impl Settings {
    pub const DEFAULT: Self = Self {
        backoff: Backoff::PHOTOS,
        renew_at: lanyard_wire::RENEW_AT_FRACTION,
        expiry_margin_ms: 3_000,
        min_gap_ms: 250,
        probe_base_ms: 4_000,
        probe_cap_ms: 60_000,
        max_batch: MAX_PHOTO_BATCH,
    };
}

impl Default for Settings {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// When a URL should be renewed: `renew_at` of its lifetime after signing.
pub fn renew_time(url: &PhotoUrl, settings: &Settings) -> i64 {
    let lifetime = url.lifetime_ms();
    // `as` saturates; the product is within the lifetime.
    url.signed_at.as_millis() + (lifetime as f64 * settings.renew_at) as i64
}

/// Whether a URL has expired, or will within the margin, at `now`.
pub fn expired_or_nearly(url: &PhotoUrl, now: i64, settings: &Settings) -> bool {
    let margin = settings.expiry_margin_ms.min(url.lifetime_ms() / 10);
    now >= url.expires_at.as_millis() - margin
}
