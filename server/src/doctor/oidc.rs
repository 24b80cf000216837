//! The identity provider check: with single sign-on on, its discovery
//! document and key set must be reachable, and the document must name the
//! configured issuer (openidconnect checks that while discovering).

use super::report::Check;
use crate::auth::oidc::Sso;
use crate::config::Config;

/// The check's name.
pub const IDENTITY_PROVIDER: &str = "identity provider reachable";

/// Discovers the provider afresh and fetches its keys.
pub async fn check(config: &Config) -> Check {
    if !config.sign_in.sso() {
        return Check::not_applicable(
            IDENTITY_PROVIDER,
            "single sign-on is off (no LANYARD_OIDC_ISSUER)",
        );
    }
    // The redirect URI plays no part in discovery.
    let sso = match Sso::from_settings(&config.sign_in, "http://localhost") {
        Ok(Some(sso)) => sso,
        Ok(None) => unreachable!("single sign-on is on"),
        Err(error) => {
            return Check::fail(
                IDENTITY_PROVIDER,
                format!("{error:#}"),
                "fix the LANYARD_OIDC_* settings",
            )
        }
    };
    match sso.probe().await {
        Ok(0) => Check::fail(
            IDENTITY_PROVIDER,
            format!("{}: the key set (JWKS) has no keys", sso.issuer()),
            "the provider must publish the keys it signs ID tokens with",
        ),
        Ok(keys) => Check::pass(
            IDENTITY_PROVIDER,
            format!(
                "{}: discovery document and key set ({keys} key(s)) reachable, issuer matches",
                sso.issuer()
            ),
        ),
        Err(error) => Check::fail(
            IDENTITY_PROVIDER,
            format!("{}: {error}", sso.issuer()),
            "check LANYARD_OIDC_ISSUER (it must equal the `issuer` of \
             <issuer>/.well-known/openid-configuration) and that this host can reach it",
        ),
    }
}
