//! Photo URLs and photo states.

use crate::{EmployeeId, Timestamp};
use serde::{Deserialize, Serialize};

/// The most people one `POST /api/photos/urls` may ask about.
pub const MAX_PHOTO_BATCH: usize = 200;

/// The contract between the server's signing window and the SPA's renewal,
/// stated once. The server hands out, within one window, the URL signed at
/// the window's start, so a URL may be up to `window × lifetime` old when it
/// arrives (`LANYARD_URL_WINDOW_FRACTION`, at most this). The SPA renews a
/// URL [`RENEW_AT_FRACTION`] of its lifetime after its signing time: beyond
/// every allowed window, so a renewal always lands in a later window and
/// gets a fresh URL, and every URL is used for a while before it is renewed.
pub const MAX_URL_WINDOW_FRACTION: f64 = 0.5;

/// When the SPA renews a photo URL, as a fraction of its lifetime after
/// signing (see [`MAX_URL_WINDOW_FRACTION`]).
pub const RENEW_AT_FRACTION: f64 = 0.8;

// The contract's order, checked whenever the crate compiles.
const _: () = assert!(
    MAX_URL_WINDOW_FRACTION > 0.0
        && MAX_URL_WINDOW_FRACTION < RENEW_AT_FRACTION
        && RENEW_AT_FRACTION < 1.0
);

/// Which derived image a URL points at; each has its own URL lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PhotoSize {
    /// The small square shown in the directory grid.
    Thumb,
    /// The larger square shown on a profile page.
    Profile,
}

/// A photo version's place in its lifecycle:
/// `none → uploading → pending → approved | rejected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PhotoState {
    None,
    Uploading,
    Pending,
    Approved,
    Rejected,
}

impl PhotoState {
    /// Every state, in lifecycle order.
    pub const ALL: [Self; 5] = [
        Self::None,
        Self::Uploading,
        Self::Pending,
        Self::Approved,
        Self::Rejected,
    ];

    /// The state's name: its JSON string, and what the server's database
    /// stores in `photo_versions.state`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Uploading => "uploading",
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }
}

impl std::fmt::Display for PhotoState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is no [`PhotoState`]'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPhotoState(pub String);

impl std::fmt::Display for UnknownPhotoState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} is not a photo state", self.0)
    }
}

impl std::error::Error for UnknownPhotoState {}

impl std::str::FromStr for PhotoState {
    type Err = UnknownPhotoState;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == name)
            .ok_or_else(|| UnknownPhotoState(name.to_owned()))
    }
}

impl TryFrom<String> for PhotoState {
    type Error = UnknownPhotoState;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        name.parse()
    }
}

/// A short-lived presigned GET URL. It is a credential: whoever holds it can
/// fetch the photo until `expires_at`.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoUrl {
    pub url: String,
    /// When the URL was signed: the start of its lifetime, by the server's
    /// clock. Every request in one signing window gets the same URL, so this
    /// can be earlier than the answer that carried it.
    pub signed_at: Timestamp,
    /// When the store stops honouring `url`, by the server's clock.
    pub expires_at: Timestamp,
}

impl PhotoUrl {
    /// How long the URL lives in all, from signing to expiry.
    pub fn lifetime_ms(&self) -> i64 {
        self.signed_at.millis_until(self.expires_at).max(0)
    }
}

// Hand-written: the signature is a credential and must not reach a log.
impl std::fmt::Debug for PhotoUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = crate::redact_url(&self.url);
        f.debug_struct("PhotoUrl")
            .field("url", &redacted)
            .field("signed_at", &self.signed_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// `POST /api/photos/urls`: fresh URLs for these people's approved photos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoUrlsRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::photo_batch))]
    pub people: Vec<EmployeeId>,
    pub size: PhotoSize,
}

/// One person's answer in a batch; `photo` is `None` when there is no photo
/// the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonPhotoUrl {
    pub person: EmployeeId,
    pub photo: Option<PhotoUrl>,
}

/// The answer to [`PhotoUrlsRequest`]: one entry per visible requested person,
/// in no particular order. People the caller may not see are left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoUrlsResponse {
    pub server_time: Timestamp,
    pub urls: Vec<PersonPhotoUrl>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_state_names_are_their_json_strings() {
        for state in PhotoState::ALL {
            let json = serde_json::to_value(state).unwrap();
            assert_eq!(json, state.as_str(), "{state:?}");
            assert_eq!(state.as_str().parse::<PhotoState>(), Ok(state));
        }
    }

    #[test]
    fn an_unknown_photo_state_is_an_error_not_a_guess() {
        // Regression: the server read any unknown state as `uploading`.
        assert_eq!(
            "archived".parse::<PhotoState>(),
            Err(UnknownPhotoState("archived".into()))
        );
        assert!(PhotoState::try_from("Pending".to_owned()).is_err());
    }

    #[test]
    fn renewal_lands_beyond_every_allowed_signing_window() {
        // A URL handed out at the very end of the widest window still has
        // time before its renewal, and that renewal is in a later window.
        let (lifetime, window) = (3_600_000_f64, MAX_URL_WINDOW_FRACTION);
        let oldest_on_arrival = window * lifetime;
        let renewal = RENEW_AT_FRACTION * lifetime;
        assert!(renewal - oldest_on_arrival >= 0.25 * lifetime);
    }

    #[test]
    fn debug_redacts_the_signature() {
        let url = PhotoUrl {
            url: "http://s3/b/k?X-Amz-Expires=60&X-Amz-Signature=deadbeef".into(),
            signed_at: Timestamp(0),
            expires_at: Timestamp(1),
        };
        let shown = format!("{url:?}");
        assert!(!shown.contains("deadbeef"), "{shown}");
        assert!(shown.contains("X-Amz-Expires=60"));
    }

    #[test]
    fn photo_url_round_trips() {
        let url = PhotoUrl {
            url: "http://x/y".into(),
            signed_at: Timestamp(1_699_999_000_000),
            expires_at: Timestamp(1_700_000_000_000),
        };
        let json = serde_json::to_string(&url).unwrap();
        assert_eq!(
            json,
            r#"{"url":"http://x/y","signed_at":1699999000000,"expires_at":1700000000000}"#
        );
        assert_eq!(serde_json::from_str::<PhotoUrl>(&json).unwrap(), url);
        assert_eq!(url.lifetime_ms(), 1_000_000);
    }
}
