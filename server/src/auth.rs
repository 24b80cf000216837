//! Passwords, sessions and the signed-in user.
//!
//! Passwords are hashed with Argon2id (memory-hard, the `argon2` crate's
//! defaults). Sessions live server-side in SQLite (tower-sessions); the
//! browser holds only a random id in the `lanyard_session` cookie (HttpOnly,
//! SameSite=Lax; over TLS `Secure` and named `__Host-lanyard_session`, which
//! browsers accept only from a secure origin, for the whole host, never set
//! by a subdomain). A session ends after a period without requests, and at
//! the latest [`SessionMaxAge`] after signing in, however busy. Signing in
//! cycles the id (no session fixation); signing out deletes the session from
//! the store.

use crate::directory::{self, AccountRow};
use crate::error::{AppError, AppResult};
use crate::session_store::Sessions;
use crate::state::AppState;
use anyhow::Context as _;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use lanyard_wire::{EmployeeId, Role};
use rand::RngCore as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "lanyard_session";
/// Its name when `Secure`: the `__Host-` prefix makes browsers refuse it
/// unless it is `Secure`, `Path=/` and has no `Domain`.
pub const SECURE_SESSION_COOKIE: &str = "__Host-lanyard_session";
/// The session's key holding the signed-in employee's id.
const USER_ID_KEY: &str = "user_id";
/// The session's key holding when it began, in seconds since the Unix epoch.
const SIGNED_IN_AT_KEY: &str = "signed_in_at";

/// How long a session lasts after signing in, however busy (the
/// inactivity expiry is the session layer's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionMaxAge(pub Duration);

impl Default for SessionMaxAge {
    fn default() -> Self {
        Self(Duration::from_secs(7 * 24 * 3600))
    }
}

/// Longer passwords are refused without hashing them (Argon2 would take them,
/// but there is no reason to spend the work).
const MAX_PASSWORD_LEN: usize = 1024;

/// An Argon2id PHC string for `password`, with a fresh random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `hash`. A malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Checks credentials in constant work: an unknown email or a person
/// without a password still costs one Argon2 verification (against a
/// throwaway hash), so timing does not tell which emails exist.
#[derive(Clone)]
pub struct Credentials {
    decoy_hash: std::sync::Arc<str>,
}

impl Credentials {
    pub fn new() -> anyhow::Result<Self> {
        let mut decoy = [0u8; 24];
        rand::rng().fill_bytes(&mut decoy);
        let hash = hash_password(&hex::encode(decoy))?;
        Ok(Self {
            decoy_hash: hash.into(),
        })
    }

    /// The active account these credentials belong to, or
    /// [`AppError::InvalidCredentials`] for any mismatch whatsoever.
    pub async fn authenticate(
        &self,
        db: &sqlx::SqlitePool,
        email: &str,
        password: &str,
    ) -> AppResult<AccountRow> {
        let email = email.trim();
        if email.is_empty() || password.is_empty() || password.len() > MAX_PASSWORD_LEN {
            return Err(AppError::InvalidCredentials);
        }
        let account = directory::account_by_email(db, email).await?;
        let hash = account
            .as_ref()
            .and_then(|a| a.password_hash.clone())
            .unwrap_or_else(|| self.decoy_hash.to_string());
        let password = password.to_owned();
        // Argon2 is deliberately slow: keep it off the async workers.
        let matches = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
            .await
            .context("password verification panicked")?;
        match account {
            Some(account) if matches && account.password_hash.is_some() => Ok(account),
            _ => Err(AppError::InvalidCredentials),
        }
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

/// Ends the session: deleted from the store, cookie cleared.
pub async fn end_session(session: &Session) -> AppResult<()> {
    session.flush().await?;
    Ok(())
}

/// The signed-in user. Extracting it from a request without a live session
/// (or whose person has left) answers 401 `unauthenticated`.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: EmployeeId,
    pub role: Role,
    pub account: AccountRow,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .context("the session layer is missing")?;
        let Some(id) = session.get::<i64>(USER_ID_KEY).await? else {
            return Err(AppError::Unauthenticated);
        };
        let max_age = parts
            .extensions
            .get::<SessionMaxAge>()
            .copied()
            .unwrap_or_default();
        let now = parts
            .extensions
            .get::<crate::extract::Now>()
            .map_or_else(SystemTime::now, |now| now.0);
        if outlived(session.get(SIGNED_IN_AT_KEY).await?, now, max_age) {
            session.flush().await?;
            return Err(AppError::Unauthenticated);
        }
        let Some(account) = directory::account_by_id(&state.db, id).await? else {
            // Deactivated since signing in: the session is over.
            session.flush().await?;
            return Err(AppError::Unauthenticated);
        };
        Ok(Self {
            id: EmployeeId(account.person.id),
            role: role_of(&account.role),
            account,
        })
    }
}

/// A signed-in member of HR. Extracting it answers 401 without a session
/// and 403 `forbidden` for anyone else: every `/api/hr/...` handler takes
/// one, so the role is checked before the handler runs.
#[derive(Debug, Clone)]
pub struct HrUser(pub CurrentUser);

impl FromRequestParts<AppState> for HrUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        match user.role {
            Role::Hr => Ok(Self(user)),
            Role::Employee => Err(AppError::Forbidden),
        }
    }
}

/// The wire role for a database role; anything unexpected gets the least power.
pub fn role_of(role: &str) -> Role {
    match role {
        "hr" => Role::Hr,
        _ => Role::Employee,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "correct horsE"));
    }

    #[test]
    fn hashes_are_salted() {
        assert_ne!(hash_password("pw").unwrap(), hash_password("pw").unwrap());
    }

    #[test]
    fn a_malformed_hash_never_matches() {
        assert!(!verify_password("not a hash", "anything"));
        assert!(!verify_password("", ""));
    }

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

    #[test]
    fn unknown_roles_get_the_least_power() {
        assert_eq!(role_of("hr"), Role::Hr);
        assert_eq!(role_of("employee"), Role::Employee);
        assert_eq!(role_of("admin"), Role::Employee);
    }
}
