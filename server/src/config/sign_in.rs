//! How people sign in: single sign-on with the company's OpenID Provider,
//! the password form, one-time sign-in links. Part of [`super::Config`]
//! (flattened), in a file of its own.

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Args};
use secrecy::SecretString;
use std::path::PathBuf;
use std::time::Duration;

/// The longest a sign-in link may live: 30 days.
pub const MAX_LINK_TTL_SECS: u64 = 30 * 24 * 3600;

#[derive(Clone, Args)]
pub struct SignInSettings {
    /// The OpenID Provider's issuer URL (its discovery document is
    /// `<issuer>/.well-known/openid-configuration`); setting it turns single
    /// sign-on on.
    #[arg(long, env = "LANYARD_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,

    /// Lanyard's client id at the provider.
    #[arg(long, env = "LANYARD_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,

    /// Lanyard's client secret at the provider.
    #[arg(long, env = "LANYARD_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<SecretString>,

    /// A file holding the client secret (instead of LANYARD_OIDC_CLIENT_SECRET).
    #[arg(long, env = "LANYARD_OIDC_CLIENT_SECRET_FILE")]
    pub oidc_client_secret_file: Option<PathBuf>,

    /// The scopes asked for, space-separated (`openid` is always asked).
    #[arg(
        long,
        env = "LANYARD_OIDC_SCOPES",
        default_value = "openid email profile"
    )]
    pub oidc_scopes: String,

    /// The provider's name on the sign-in button ("Sign in with …").
    #[arg(
        long,
        env = "LANYARD_OIDC_NAME",
        default_value = "your company account"
    )]
    pub oidc_name: String,

    /// An ID token claim (e.g. `groups`) that decides the HR role at every
    /// sign-in; unset: the role stays as HR set it in Lanyard.
    #[arg(long, env = "LANYARD_OIDC_HR_CLAIM")]
    pub oidc_hr_claim: Option<String>,

    /// The values of that claim (comma-separated) that make someone HR.
    #[arg(long, env = "LANYARD_OIDC_HR_VALUES", value_delimiter = ',')]
    pub oidc_hr_values: Vec<String>,

    /// Whether the email and password form is on [default: on without
    /// single sign-on, off with it].
    #[arg(long, env = "LANYARD_PASSWORD_SIGN_IN", action = ArgAction::Set, value_parser = BoolishValueParser::new())]
    pub password_sign_in: Option<bool>,

    /// How long a one-time sign-in link from HR stays valid, in seconds.
    #[arg(long, env = "LANYARD_SIGN_IN_LINK_TTL", default_value = "259200", value_parser = link_ttl)]
    pub sign_in_link_ttl: Duration,
}

impl Default for SignInSettings {
    fn default() -> Self {
        Self {
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            oidc_client_secret_file: None,
            oidc_scopes: "openid email profile".into(),
            oidc_name: "your company account".into(),
            oidc_hr_claim: None,
            oidc_hr_values: Vec::new(),
            password_sign_in: None,
            sign_in_link_ttl: Duration::from_secs(72 * 3600),
        }
    }
}

impl std::fmt::Debug for SignInSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInSettings")
            .field("oidc_issuer", &self.oidc_issuer)
            .field("oidc_client_id", &self.oidc_client_id)
            .field(
                "oidc_client_secret",
                &self.oidc_client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("oidc_client_secret_file", &self.oidc_client_secret_file)
            .field("oidc_scopes", &self.oidc_scopes)
            .field("oidc_name", &self.oidc_name)
            .field("oidc_hr_claim", &self.oidc_hr_claim)
            .field("oidc_hr_values", &self.oidc_hr_values)
            .field("password_sign_in", &self.password_sign_in)
            .field("sign_in_link_ttl", &self.sign_in_link_ttl)
            .finish()
    }
}

impl SignInSettings {
    /// Whether single sign-on is configured.
    pub fn sso(&self) -> bool {
        self.oidc_issuer.is_some()
    }

    /// Whether the password form is on: as set, else on only without SSO.
    pub fn password_enabled(&self) -> bool {
        self.password_sign_in.unwrap_or(!self.sso())
    }

    /// What is missing or contradictory, as one sentence naming the settings.
    pub fn check(&self) -> Result<(), String> {
        if self.sso() {
            if self.oidc_client_id.as_deref().is_none_or(str::is_empty) {
                return Err("LANYARD_OIDC_ISSUER is set but LANYARD_OIDC_CLIENT_ID is not".into());
            }
            if self.oidc_client_secret.is_some() && self.oidc_client_secret_file.is_some() {
                return Err(
                    "set LANYARD_OIDC_CLIENT_SECRET or LANYARD_OIDC_CLIENT_SECRET_FILE, not both"
                        .into(),
                );
            }
            if self.oidc_hr_claim.is_some()
                && self.oidc_hr_values.iter().all(|v| v.trim().is_empty())
            {
                return Err(
                    "LANYARD_OIDC_HR_CLAIM is set but LANYARD_OIDC_HR_VALUES is empty".into(),
                );
            }
        } else if self.oidc_client_id.is_some() || self.oidc_hr_claim.is_some() {
            return Err("LANYARD_OIDC_* settings need LANYARD_OIDC_ISSUER".into());
        }
        Ok(())
    }

    /// The client secret: the setting, else the file's first line.
    pub fn client_secret(&self) -> anyhow::Result<Option<SecretString>> {
        if let Some(secret) = &self.oidc_client_secret {
            return Ok(Some(secret.clone()));
        }
        let Some(file) = &self.oidc_client_secret_file else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(file).map_err(|e| {
            anyhow::anyhow!("LANYARD_OIDC_CLIENT_SECRET_FILE {}: {e}", file.display())
        })?;
        let secret = text.lines().next().unwrap_or_default().trim().to_owned();
        if secret.is_empty() {
            anyhow::bail!(
                "LANYARD_OIDC_CLIENT_SECRET_FILE {} is empty",
                file.display()
            );
        }
        Ok(Some(SecretString::from(secret)))
    }
}

fn link_ttl(value: &str) -> Result<Duration, String> {
    let secs: u64 = value
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a whole number of seconds"))?;
    // Seconds-long links only make sense in tests (an expiry within one).
    if !(1..=MAX_LINK_TTL_SECS).contains(&secs) {
        return Err(format!(
            "{secs} is out of range: 1 to {MAX_LINK_TTL_SECS} seconds"
        ));
    }
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sso() -> SignInSettings {
        SignInSettings {
            oidc_issuer: Some("https://id.example".into()),
            oidc_client_id: Some("lanyard".into()),
            ..SignInSettings::default()
        }
    }

    #[test]
    fn the_password_form_is_on_by_default_only_without_sso() {
        assert!(SignInSettings::default().password_enabled());
        assert!(!sso().password_enabled());
        let both = SignInSettings {
            password_sign_in: Some(true),
            ..sso()
        };
        assert!(both.password_enabled());
        let neither = SignInSettings {
            password_sign_in: Some(false),
            ..Default::default()
        };
        assert!(!neither.password_enabled());
    }

    #[test]
    fn half_configured_sso_is_refused_with_the_setting_named() {
        let no_client = SignInSettings {
            oidc_client_id: None,
            ..sso()
        };
        assert!(no_client
            .check()
            .unwrap_err()
            .contains("LANYARD_OIDC_CLIENT_ID"));
        let no_issuer = SignInSettings {
            oidc_issuer: None,
            ..sso()
        };
        assert!(no_issuer
            .check()
            .unwrap_err()
            .contains("LANYARD_OIDC_ISSUER"));
        let claim_only = SignInSettings {
            oidc_hr_claim: Some("groups".into()),
            ..sso()
        };
        assert!(claim_only
            .check()
            .unwrap_err()
            .contains("LANYARD_OIDC_HR_VALUES"));
        assert!(sso().check().is_ok());
    }

    #[test]
    fn link_lifetimes_have_bounds() {
        assert_eq!(link_ttl("259200"), Ok(Duration::from_secs(259_200)));
        assert_eq!(link_ttl("1"), Ok(Duration::from_secs(1)));
        assert!(link_ttl("0").is_err());
        assert!(link_ttl("x").is_err());
        assert!(link_ttl(&(MAX_LINK_TTL_SECS + 1).to_string()).is_err());
    }

    #[test]
    fn the_secret_never_shows_in_debug() {
        let settings = SignInSettings {
            oidc_client_secret: Some(SecretString::from("s3cret".to_owned())),
            ..sso()
        };
        assert!(!format!("{settings:?}").contains("s3cret"));
    }
}
