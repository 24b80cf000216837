//! Passwords, sessions and the signed-in user.
//!
//! Passwords are hashed with Argon2id (memory-hard, the `argon2` crate's
//! defaults). Sessions live server-side in SQLite (tower-sessions); the
//! browser holds only a random id in the `lanyard_session` cookie (HttpOnly,
//! SameSite=Lax, `Secure` when configured), which expires after a period
//! without requests. Signing in cycles the id (no session fixation); signing
//! out deletes the session from the store.

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
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "lanyard_session";
/// The session's key holding the signed-in employee's id.
const USER_ID_KEY: &str = "user_id";
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
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
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
    Ok(())
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
    fn unknown_roles_get_the_least_power() {
        assert_eq!(role_of("hr"), Role::Hr);
        assert_eq!(role_of("employee"), Role::Employee);
        assert_eq!(role_of("admin"), Role::Employee);
    }
}
