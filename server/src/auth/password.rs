//! Passwords: Argon2id hashes (memory-hard; the `argon2` crate's defaults),
//! and checking credentials in constant work.

use super::accounts::{self, AccountRow};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use anyhow::Context as _;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore as _;

/// Longer passwords are refused without hashing them (Argon2 would take them,
/// but there is no reason to spend the work).
pub const MAX_PASSWORD_LEN: usize = 1024;

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
        db: &Db,
        email: &str,
        password: &str,
    ) -> AppResult<AccountRow> {
        let email = email.trim();
        if email.is_empty() || password.is_empty() || password.len() > MAX_PASSWORD_LEN {
            return Err(AppError::InvalidCredentials);
        }
        let account = accounts::by_email(db, email).await?;
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
}
