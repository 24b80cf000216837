//! SCIM clients' bearer tokens: made with `lanyard scim-token create NAME`
//! (printed once), revoked with `lanyard scim-token revoke NAME`, kept only
//! as the SHA-256 of the token (as sign-in links are: 256 random bits leave
//! nothing to guess, so a fast hash is enough). Separate from sessions: a
//! token is for one provider's connection, never for a person.
//!
//! [`ScimClient`] is the extractor every SCIM handler takes: it finds the
//! token, counts the request against the token's rate limit, and names the
//! actor the audit log shows, `SCIM (NAME)`.

use super::error::ScimError;
use crate::admin::edit::Actor;
use crate::auth::links::{new_token, token_hash};
use crate::db::{query, Db, Exec as _};
use crate::extract::ClientIp;
use crate::limits::Limits;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use std::time::SystemTime;

/// The longest token name: a label for people, like `okta` or `entra-prod`.
const MAX_NAME_CHARS: usize = 64;

/// Refuses a name that would read badly in the audit log.
pub fn check_name(name: &str) -> anyhow::Result<&str> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(name)
    } else {
        anyhow::bail!(
            "a SCIM token name is 1 to {MAX_NAME_CHARS} letters, digits, '-', '_' or '.', like okta or entra-prod"
        )
    }
}

/// A new token named `name`: the token, to be printed once. Refuses a name
/// that is taken (revoke it first: replacing a live token silently would
/// cut a provider off without anyone noticing why).
pub async fn create(db: &Db, name: &str, now_ms: i64) -> anyhow::Result<String> {
    let name = check_name(name)?;
    let token = new_token();
    let inserted = db
        .execute(
            query(
                "INSERT INTO scim_tokens (name, token_hash, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(token_hash(&token))
            .bind(now_ms),
        )
        .await?;
    if inserted == 0 {
        anyhow::bail!("a SCIM token named {name} exists already: revoke it first (lanyard scim-token revoke {name})");
    }
    Ok(token)
}

/// Revokes the token named `name`; whether there was one.
pub async fn revoke(db: &Db, name: &str) -> anyhow::Result<bool> {
    let removed = db
        .execute(query("DELETE FROM scim_tokens WHERE name = $1").bind(name.trim()))
        .await?;
    Ok(removed > 0)
}

/// Every token's name, creation and last use (unix ms).
pub async fn list(db: &Db) -> anyhow::Result<Vec<(String, i64, Option<i64>)>> {
    Ok(db
        .fetch_all(query(
            "SELECT name, created_at, last_used_at FROM scim_tokens ORDER BY name",
        ))
        .await?)
}

/// A request from a provider holding a live token.
#[derive(Debug, Clone)]
pub struct ScimClient {
    /// The token's name.
    pub name: String,
    pub ip: Option<String>,
}

impl ScimClient {
    /// The actor of the changes it makes.
    pub fn actor(&self) -> Actor {
        Actor::Provider {
            label: format!("SCIM ({})", self.name),
            ip: self.ip.clone(),
        }
    }
}

impl<S> FromRequestParts<S> for ScimClient
where
    Db: FromRef<S>,
    Limits: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ScimError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|t| !t.is_empty())
            .ok_or_else(ScimError::unauthorized)?;
        let now_ms = crate::extract::to_timestamp(
            parts
                .extensions
                .get::<crate::extract::Now>()
                .map_or_else(SystemTime::now, |now| now.0),
        )
        .0;
        let db = Db::from_ref(state);
        // Found and marked used in one statement.
        let name: Option<String> = db
            .optional_scalar(
                query(
                    "UPDATE scim_tokens SET last_used_at = $2 WHERE token_hash = $1 RETURNING name",
                )
                .bind(token_hash(token))
                .bind(now_ms),
            )
            .await?;
        let Some(name) = name else {
            tracing::warn!("SCIM request with an unknown or revoked token");
            return Err(ScimError::unauthorized());
        };
        Limits::from_ref(state).scim(&name, now_ms).await?;
        let Ok(ClientIp(ip)) = ClientIp::from_request_parts(parts, state).await;
        Ok(Self { name, ip })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_short_labels() {
        assert_eq!(check_name(" okta ").unwrap(), "okta");
        assert!(check_name("entra-prod_2.eu").is_ok());
        for bad in ["", "  ", "a b", "x\ny", "ok/ta", &"n".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
