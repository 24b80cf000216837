//! Photo storage: where photo bytes live and how browsers get at them.
//!
//! Photos sit in a private S3 bucket. The server writes and reads them itself
//! through [`ObjectStore`]; browsers only ever get short-lived SigV4 presigned
//! URLs from [`ObjectStore::browser_presigner`], signed for the host they use.
//! Presigning is pure ([`Presigner`] takes the time as an argument and never
//! talks to the store). Without a configured S3 endpoint the server runs
//! [`EmbeddedS3`], an s3s-fs store on its own loopback port that verifies
//! signatures and expiry just like S3 does.

mod bucket_presign;
mod client;
/// The store's credentials and where rotated ones come from.
pub mod credentials;
mod embedded;
mod error;
pub mod keys;
/// Photo visibility and presigned photo URLs per purpose.
pub mod photo_urls;
mod presign;
/// The store's settings from the configuration.
pub mod settings;
mod sigv4;

pub use client::ObjectStore;
pub use embedded::EmbeddedS3;
pub use error::StorageError;
pub use presign::{Presigned, Presigner, MAX_PRESIGN_TTL};

use secrecy::SecretString;

/// Everything needed to talk to one S3 bucket, whichever implementation serves it.
#[derive(Debug, Clone)]
pub struct S3Settings {
    /// Where the server itself reaches the store, e.g. `http://127.0.0.1:9000`
    /// or `https://s3.eu-west-1.amazonaws.com`.
    pub endpoint: String,
    /// Where browsers reach the store. Its host is part of every signature
    /// handed to a browser, so it must be exactly what the browser will send
    /// (`localhost` and `127.0.0.1` are different hosts to SigV4).
    pub public_endpoint: String,
    pub region: String,
    pub bucket: String,
    /// `true`: `http://host/bucket/key`; `false`: `http://bucket.host/key`.
    pub path_style: bool,
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    /// Temporary credentials' token, signed into every URL.
    pub session_token: Option<SecretString>,
    /// When the credentials expire, when known: no URL outlives it.
    pub expires_at: Option<std::time::SystemTime>,
    /// Where fresh credentials are read from when these rotate.
    pub shared_file: Option<credentials::SharedFile>,
}

impl S3Settings {
    /// These settings with `keys` instead of their credentials.
    pub fn with_keys(&self, keys: credentials::Keys) -> Self {
        Self {
            access_key_id: keys.access_key_id,
            secret_access_key: keys.secret_access_key,
            session_token: keys.session_token,
            expires_at: keys.expires_at,
            ..self.clone()
        }
    }

    /// The credentials of these settings.
    pub fn keys(&self) -> credentials::Keys {
        credentials::Keys {
            access_key_id: self.access_key_id.clone(),
            secret_access_key: self.secret_access_key.clone(),
            session_token: self.session_token.clone(),
            expires_at: self.expires_at,
        }
    }
}
