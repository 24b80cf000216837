//! How people may sign in here, from the configuration: single sign-on, the
//! password form, one-time links; and where links and the provider send
//! browsers back to.

use super::oidc::Sso;
use crate::config::Config;
use lanyard_wire::{SignInOptions, SignInProvider};
use std::time::Duration;

/// The route that starts single sign-on.
pub const SSO_START_PATH: &str = "/api/sso/start";
/// The SPA's page a sign-in link opens; the token follows `#token=`, so it
/// never reaches a server log or a proxy (browsers do not send fragments).
pub const WELCOME_PATH: &str = "/welcome";

/// Cheap to clone.
#[derive(Clone)]
pub struct SignIn {
    pub sso: Option<Sso>,
    /// Whether the email and password form is on.
    pub password: bool,
    pub link_ttl: Duration,
    /// The site's address as browsers see it, without a trailing `/`.
    pub public_url: String,
}

impl SignIn {
    /// From the configuration; `app_url` (the address the start banner
    /// prints) is the public URL when `LANYARD_PUBLIC_URL` is unset.
    pub fn from_config(config: &Config, app_url: &str) -> anyhow::Result<Self> {
        let public_url = config
            .public_url
            .first()
            .map_or(app_url, |u| u.trim())
            .trim_end_matches('/')
            .to_owned();
        Ok(Self {
            sso: Sso::from_settings(&config.sign_in, &public_url)?,
            password: config.sign_in.password_enabled(),
            link_ttl: config.sign_in.sign_in_link_ttl,
            public_url,
        })
    }

    /// What the sign-in page offers.
    pub fn options(&self) -> SignInOptions {
        SignInOptions {
            password: self.password,
            provider: self.sso.as_ref().map(|sso| SignInProvider {
                name: sso.name().to_owned(),
                start: SSO_START_PATH.to_owned(),
            }),
        }
    }

    /// The link HR hands out for `token`.
    pub fn link_url(&self, token: &str) -> String {
        format!("{}{WELCOME_PATH}#token={token}", self.public_url)
    }
}
