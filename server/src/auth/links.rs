//! One-time sign-in links from HR, for companies without an identity
//! provider and as break-glass: one live link per person, valid for
//! `LANYARD_SIGN_IN_LINK_TTL`, kept only as the SHA-256 of its random
//! token (256 bits: a fast hash is enough, nothing to guess). A new link
//! replaces the old; using one deletes it in the same statement that finds
//! it, so it works once.

use crate::db::{query, query_with, Db, Exec as _};
use base64::Engine as _;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

/// Whose a valid link is.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkHolder {
    pub employee_id: i64,
    pub name: String,
    pub email: String,
    pub expires_at: i64,
}

/// A fresh token: 32 random bytes, base64url.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the table keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new link for `employee` (replacing any other), by `by`, valid until
/// `expires_at` (unix ms): the token, to be shown once.
pub async fn create(
    db: &Db,
    employee: i64,
    by: i64,
    now_ms: i64,
    expires_at: i64,
) -> sqlx::Result<String> {
    let token = new_token();
    db.execute(
        query(
            "INSERT INTO sign_in_links (employee_id, token_hash, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (employee_id) DO UPDATE SET token_hash = excluded.token_hash, \
             created_by = excluded.created_by, created_at = excluded.created_at, \
             expires_at = excluded.expires_at",
        )
        .bind(employee)
        .bind(token_hash(&token))
        .bind(by)
        .bind(now_ms)
        .bind(expires_at),
    )
    .await?;
    Ok(token)
}

/// The active person a live `token` belongs to, at `now_ms`.
pub async fn holder(db: &Db, token: &str, now_ms: i64) -> sqlx::Result<Option<LinkHolder>> {
    db.fetch_optional(
        query_with(|d| {
            format!(
                "SELECT l.employee_id, e.name, e.email, l.expires_at FROM sign_in_links l \
                 JOIN employees e ON e.id = l.employee_id \
                 WHERE l.token_hash = $1 AND l.expires_at > $2 AND {}",
                d.is_true("e.active")
            )
        })
        .bind(token_hash(token))
        .bind(now_ms),
    )
    .await
}

/// Uses `token` once: sets the password hash of its active holder and
/// deletes the link, in one transaction; the holder, or `None` for a link
/// that is unknown, used, replaced or expired.
pub async fn redeem(
    db: &Db,
    token: &str,
    password_hash: &str,
    now_ms: i64,
) -> sqlx::Result<Option<i64>> {
    let mut tx = db.begin().await?;
    let used: Option<i64> = tx
        .optional_scalar(
            query(
                "DELETE FROM sign_in_links WHERE token_hash = $1 AND expires_at > $2 \
                 RETURNING employee_id",
            )
            .bind(token_hash(token))
            .bind(now_ms),
        )
        .await?;
    let Some(employee) = used else {
        return Ok(None);
    };
    let changed = tx
        .execute(
            query_with(|d| {
                format!(
                    "UPDATE employees SET password_hash = $1 WHERE id = $2 AND {}",
                    d.is_true("active")
                )
            })
            .bind(password_hash)
            .bind(employee),
        )
        .await?;
    if changed == 0 {
        // Deactivated since HR made the link: it is used up all the same.
        tx.commit().await?;
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(employee))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }

    #[test]
    fn the_table_keeps_a_hash_not_the_token() {
        // SHA-256 of "abc" (FIPS 180-2's example).
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
