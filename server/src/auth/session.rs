//! The session: server-side in the database (tower-sessions, through
//! [`super::session_store::Sessions`]); the browser holds only a random id
//! in the `lanyard_session` cookie (HttpOnly, SameSite=Lax; over TLS
//! `Secure` and named `__Host-lanyard_session`, which browsers accept only
//! from a secure origin, for the whole host, never set by a subdomain).
//!
//! A session ends after a period without requests, and at the latest
//! [`SessionMaxAge`] after signing in, however busy. Signing in cycles the
//! id (no session fixation); signing out deletes the session from the store.

use super::session_store::Sessions;
use crate::error::AppResult;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "lanyard_session";
/// Its name when `Secure`: the `__Host-` prefix makes browsers refuse it
/// unless it is `Secure`, `Path=/` and has no `Domain`.
pub const SECURE_SESSION_COOKIE: &str = "__Host-lanyard_session";
/// The session's key holding the signed-in employee's id.
pub(super) const USER_ID_KEY: &str = "user_id";
/// The session's key holding when it began, in seconds since the Unix epoch.
pub(super) const SIGNED_IN_AT_KEY: &str = "signed_in_at";

/// How long a session lasts after signing in, however busy (the
/// inactivity expiry is the session layer's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionMaxAge(pub Duration);

impl Default for SessionMaxAge {
    fn default() -> Self {
        Self(Duration::from_secs(7 * 24 * 3600))
    }
}

/// The session layer: server-side sessions in `store`, expiring after
/// `idle` without a request.
pub fn session_layer(
    store: Sessions,
    secure: bool,
    idle: time::Duration,
) -> SessionManagerLayer<Sessions> {
    let name = if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    };
    SessionManagerLayer::new(store)
        .with_name(name)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle))
        // Saving on every request is what makes the expiry slide with use;
        // `Sessions::save` makes sure it never revives a signed-out session.
        .with_always_save(true)
}

/// Starts a session for `account_id` under a fresh session id.
pub async fn begin_session(session: &Session, account_id: i64) -> AppResult<()> {
    // A new id on every sign-in: an id planted before sign-in is worthless.
    session.cycle_id().await?;
    session.insert(USER_ID_KEY, account_id).await?;
    session
        .insert(SIGNED_IN_AT_KEY, unix_seconds(SystemTime::now()))
        .await?;
    Ok(())
}

/// Ends the session: deleted from the store, cookie cleared.
pub async fn end_session(session: &Session) -> AppResult<()> {
    session.flush().await?;
    Ok(())
}

fn unix_seconds(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Whether a session that began at `signed_in_at` (Unix seconds) is over
/// at `now`. A session without the time (from before it was recorded) is.
pub fn outlived(signed_in_at: Option<i64>, now: SystemTime, max_age: SessionMaxAge) -> bool {
    let Some(signed_in_at) = signed_in_at else {
        return true;
    };
    let max = i64::try_from(max_age.0.as_secs()).unwrap_or(i64::MAX);
    unix_seconds(now).saturating_sub(signed_in_at) >= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_lasts_its_maximum_age_and_no_longer() {
        let max = SessionMaxAge(Duration::from_secs(3600));
        let began = 1_700_000_000;
        let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
        assert!(!outlived(Some(began), at(1_700_000_000), max));
        assert!(!outlived(Some(began), at(1_700_003_599), max));
        assert!(outlived(Some(began), at(1_700_003_600), max));
        // A clock set back does not end it early; a missing time ends it.
        assert!(!outlived(Some(began), at(1_600_000_000), max));
        assert!(outlived(None, at(1_700_000_000), max));
    }
}
