//! Who may see which photo, and the presigned URLs that let them.
//!
//! The server presigns on demand, after authorization, never in advance:
//! only an **approved** photo of an **active** person is ever signed for
//! another person ([`PhotoFacts::visible_version`]). Each purpose has its own
//! URL lifetime from configuration (grid thumbnail, profile photo).
//!
//! Signing is pure: the clock reading comes from the caller. The signing time
//! is rounded down to a window (a configured fraction of the lifetime, an
//! eighth by default), so every request in that window gets the
//! byte-identical URL for the same object and the browser's HTTP cache hits
//! instead of downloading the photo again. The `expires_at` handed out is the
//! URL's true expiry, always at least (1 − fraction) of the lifetime away.
//!
//! Photo objects never change (a new photo is a new version under a new
//! key), so the URL also carries signed `response-cache-control` and
//! `response-expires` overrides: the store answers `Cache-Control: private,
//! immutable` (a browser may keep it, a shared cache may not) and `Expires:`
//! the URL's own expiry, so the browser reuses the photo for exactly as long
//! as the URL that fetched it lives — not a second longer, because after that
//! the URL no longer proves the holder may see it.

use super::{keys, ObjectStore};
use crate::config::DEFAULT_WINDOW_FRACTION;
use crate::extract::to_timestamp;
use lanyard_wire::{PhotoSize, PhotoState, PhotoUrl};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What the database knows about one person's current photo.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct PhotoFacts {
    /// Whether the person is still in the directory.
    pub active: bool,
    /// `employees.photo_version_id`.
    pub photo_version_id: Option<String>,
    /// That version's state (`approved` for a photo others may see).
    pub photo_state: Option<String>,
}

impl PhotoFacts {
    /// The version others may see: approved, of an active person.
    pub fn visible_version(&self) -> Option<&str> {
        match (self.active, self.photo_state.as_deref()) {
            (true, Some(state)) if state == PhotoState::Approved.as_str() => {
                self.photo_version_id.as_deref()
            }
            _ => None,
        }
    }
}

/// The store's caching answer for a photo: browsers only, never changing.
const PHOTO_CACHE_CONTROL: &str = "private, immutable";

/// Signs photo URLs for browsers, with one lifetime per purpose.
#[derive(Clone)]
pub struct PhotoSigner {
    store: Arc<ObjectStore>,
    thumb_ttl: Duration,
    profile_ttl: Duration,
    window_fraction: f64,
}

impl PhotoSigner {
    pub fn new(store: Arc<ObjectStore>, thumb_ttl: Duration, profile_ttl: Duration) -> Self {
        Self {
            store,
            thumb_ttl,
            profile_ttl,
            window_fraction: DEFAULT_WINDOW_FRACTION,
        }
    }

    /// Signs at the start of windows `fraction` of each lifetime long
    /// (validated by the configuration: 0 < fraction <= 0.5).
    #[must_use]
    pub fn with_window_fraction(mut self, fraction: f64) -> Self {
        self.window_fraction = fraction;
        self
    }

    /// How long a URL for this purpose lives.
    pub fn ttl(&self, size: PhotoSize) -> Duration {
        match size {
            PhotoSize::Thumb => self.thumb_ttl,
            PhotoSize::Profile => self.profile_ttl,
        }
    }

    /// A presigned GET for the person's photo at `size`, or `None` when there
    /// is no photo the caller may see.
    pub fn sign(&self, facts: &PhotoFacts, size: PhotoSize, now: SystemTime) -> Option<PhotoUrl> {
        self.sign_version(facts.visible_version()?, size, now)
    }

    /// A presigned GET for `version` at `size`, whatever its state. Only for
    /// the version's owner (their own pending photo): the caller has checked
    /// whose it is. Everyone else goes through [`PhotoSigner::sign`].
    pub fn sign_version(
        &self,
        version: &str,
        size: PhotoSize,
        now: SystemTime,
    ) -> Option<PhotoUrl> {
        // The database's CHECK constraint already guarantees the shape; this
        // keeps a bad row from ever turning into a key.
        keys::parse_version_id(version).ok()?;
        let key = match size {
            PhotoSize::Thumb => keys::thumb_key(version),
            PhotoSize::Profile => keys::profile_key(version),
        };
        let ttl = self.ttl(size);
        let signed_at = signing_time(now, ttl, self.window_fraction);
        let presigner = self.store.browser_presigner();
        // What the URL will live (temporary credentials may cut it short):
        // the browser must not keep the photo a second longer.
        let ttl = presigner.lifetime(ttl, signed_at);
        let expires = httpdate::fmt_http_date(signed_at + ttl);
        let presigned = presigner.presign(
            http::Method::GET,
            &key,
            ttl,
            signed_at,
            &[],
            &[
                ("response-cache-control", PHOTO_CACHE_CONTROL),
                ("response-expires", &expires),
            ],
        );
        Some(PhotoUrl {
            url: presigned.url,
            signed_at: to_timestamp(signed_at),
            expires_at: to_timestamp(presigned.expires_at),
        })
    }
}

/// `now` rounded down to a whole multiple of the window, `fraction` of `ttl`
/// (at least a second, SigV4's resolution), so URLs repeat within a window.
pub fn signing_time(now: SystemTime, ttl: Duration, fraction: f64) -> SystemTime {
    // Float to int: `as` saturates, and the fraction is at most 0.5.
    let window = ((ttl.as_secs_f64() * fraction) as u64).max(1);
    match now.duration_since(UNIX_EPOCH) {
        Ok(since) => {
            let secs = since.as_secs();
            UNIX_EPOCH + Duration::from_secs(secs - secs % window)
        }
        Err(_) => now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(active: bool, state: Option<&str>) -> PhotoFacts {
        PhotoFacts {
            active,
            photo_version_id: Some("0123456789abcdef0123456789abcdef".into()),
            photo_state: state.map(str::to_owned),
        }
    }

    #[test]
    fn only_approved_photos_of_active_people_are_visible() {
        assert!(facts(true, Some("approved")).visible_version().is_some());
        assert!(facts(false, Some("approved")).visible_version().is_none());
        for state in ["uploading", "pending", "rejected"] {
            assert!(
                facts(true, Some(state)).visible_version().is_none(),
                "{state}"
            );
        }
        assert!(facts(true, None).visible_version().is_none());
        assert!(PhotoFacts::default().visible_version().is_none());
    }

    #[test]
    fn signing_time_rounds_down_to_an_eighth_of_the_lifetime() {
        let now = UNIX_EPOCH + Duration::from_millis(1_000_000_999);
        let ttl = Duration::from_secs(3600); // window: 450 s
        let at = signing_time(now, ttl, 0.125);
        let secs = at.duration_since(UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(secs % 450, 0);
        assert!(at <= now);
        assert!(now.duration_since(at).unwrap() < Duration::from_secs(450));
    }

    #[test]
    fn signing_time_of_a_short_lifetime_is_whole_seconds() {
        let now = UNIX_EPOCH + Duration::from_millis(5_500);
        assert_eq!(
            signing_time(now, Duration::from_secs(2), 0.125),
            UNIX_EPOCH + Duration::from_secs(5)
        );
    }

    #[test]
    fn requests_in_one_window_sign_the_same_time() {
        let ttl = Duration::from_secs(1200); // window: 150 s
        let a = UNIX_EPOCH + Duration::from_secs(1_500_000_010);
        let b = a + Duration::from_secs(100);
        assert_eq!(signing_time(a, ttl, 0.125), signing_time(b, ttl, 0.125));
    }

    #[test]
    fn the_window_follows_the_configured_fraction() {
        let ttl = Duration::from_secs(1000);
        let now = UNIX_EPOCH + Duration::from_secs(1_500_000_499);
        // A quarter: 250 s windows.
        let at = signing_time(now, ttl, 0.25);
        assert_eq!(at, UNIX_EPOCH + Duration::from_secs(1_500_000_250));
        // A half: 500 s windows.
        let at = signing_time(now, ttl, 0.5);
        assert_eq!(at, UNIX_EPOCH + Duration::from_secs(1_500_000_000));
    }
}
