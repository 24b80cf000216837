//! The store's credentials, and where fresh ones come from when they are
//! temporary (an AWS role's): a key pair, a session token, and when they
//! expire.
//!
//! - From the environment at start (`AWS_ACCESS_KEY_ID`,
//!   `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, and
//!   `AWS_CREDENTIAL_EXPIRATION` in RFC 3339 when the tool that set them
//!   says it): fixed for the process.
//! - From the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`,
//!   profile `AWS_PROFILE` or `default`): read again whenever the file
//!   changes (the tool that rotates credentials rewrites it), and at once
//!   when the store refuses the current ones. Its expiry, when written, is
//!   `aws_expiration` (or `x_security_token_expires`, as some tools write it).

use anyhow::Context as _;
use secrecy::{ExposeSecret as _, SecretString};
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// One set of credentials.
#[derive(Clone)]
pub struct Keys {
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    /// Temporary credentials' token (`X-Amz-Security-Token`).
    pub session_token: Option<SecretString>,
    /// When they stop working, when known: no URL outlives it.
    pub expires_at: Option<SystemTime>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("access_key_id", &self.access_key_id)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "[redacted]"),
            )
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl Keys {
    /// Whether `other` signs differently.
    pub fn differ(&self, other: &Keys) -> bool {
        self.access_key_id != other.access_key_id
            || self.secret_access_key.expose_secret() != other.secret_access_key.expose_secret()
            || self
                .session_token
                .as_ref()
                .map(|t| t.expose_secret().to_owned())
                != other
                    .session_token
                    .as_ref()
                    .map(|t| t.expose_secret().to_owned())
            || self.expires_at != other.expires_at
    }
}

/// An RFC 3339 time (`2026-12-04T15:00:00Z`).
pub fn parse_expiry(text: &str) -> anyhow::Result<SystemTime> {
    let at = OffsetDateTime::parse(text.trim(), &Rfc3339)
        .with_context(|| format!("{text:?} is not an RFC 3339 time"))?;
    Ok(at.into())
}

/// A file credentials are read again from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedFile {
    pub path: PathBuf,
    pub profile: String,
}

impl SharedFile {
    /// The profile's credentials.
    pub fn load(&self) -> anyhow::Result<Keys> {
        let ini = ini::Ini::load_from_file(&self.path)
            .with_context(|| format!("AWS_SHARED_CREDENTIALS_FILE {}", self.path.display()))?;
        let section = ini
            .section(Some(self.profile.as_str()))
            .with_context(|| format!("{}: no [{}] profile", self.path.display(), self.profile))?;
        let get = |name: &str| section.get(name).map(str::trim).filter(|v| !v.is_empty());
        let (Some(key), Some(secret)) = (get("aws_access_key_id"), get("aws_secret_access_key"))
        else {
            anyhow::bail!(
                "{} [{}]: needs aws_access_key_id and aws_secret_access_key",
                self.path.display(),
                self.profile
            );
        };
        let expires_at = get("aws_expiration")
            .or_else(|| get("x_security_token_expires"))
            .map(parse_expiry)
            .transpose()?;
        Ok(Keys {
            access_key_id: key.to_owned(),
            secret_access_key: SecretString::from(secret.to_owned()),
            session_token: get("aws_session_token").map(|t| SecretString::from(t.to_owned())),
            expires_at,
        })
    }

    /// When the file last changed.
    pub fn modified(&self) -> Option<SystemTime> {
        modified(&self.path)
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn file(text: &str) -> (tempfile::TempDir, SharedFile) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        std::fs::write(&path, text).unwrap();
        (
            dir,
            SharedFile {
                path,
                profile: "lanyard".into(),
            },
        )
    }

    #[test]
    fn a_profile_with_a_session_token_and_an_expiry_reads() {
        let (_dir, shared) = file(
            "[default]\naws_access_key_id = NOPE\naws_secret_access_key = nope\n\n\
             # rotated by the role's agent\n[lanyard]\naws_access_key_id = ASIAEXAMPLE\n\
             aws_secret_access_key = secret/with+chars\naws_session_token = FwoGZXIvYXdzE\n\
             aws_expiration = 2026-12-04T15:00:00Z\n",
        );
        let keys = shared.load().unwrap();
        assert_eq!(keys.access_key_id, "ASIAEXAMPLE");
        assert_eq!(keys.secret_access_key.expose_secret(), "secret/with+chars");
        assert_eq!(keys.session_token.unwrap().expose_secret(), "FwoGZXIvYXdzE");
        assert_eq!(
            keys.expires_at,
            Some(UNIX_EPOCH + Duration::from_secs(1_796_396_400))
        );
    }

    #[test]
    fn missing_pieces_are_named() {
        let (_dir, shared) = file("[lanyard]\naws_access_key_id = A\n");
        assert!(format!("{:#}", shared.load().unwrap_err()).contains("aws_secret_access_key"));
        let (_dir, shared) = file("[other]\naws_access_key_id = A\n");
        assert!(format!("{:#}", shared.load().unwrap_err()).contains("no [lanyard] profile"));
        let (_dir, shared) =
            file("[lanyard]\naws_access_key_id=A\naws_secret_access_key=B\naws_expiration=soon\n");
        assert!(format!("{:#}", shared.load().unwrap_err()).contains("RFC 3339"));
    }

    #[test]
    fn debug_shows_no_secret() {
        let keys = Keys {
            access_key_id: "AK".into(),
            secret_access_key: SecretString::from("s3cret".to_owned()),
            session_token: Some(SecretString::from("t0ken".to_owned())),
            expires_at: None,
        };
        let shown = format!("{keys:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("t0ken"),
            "{shown}"
        );
    }
}
