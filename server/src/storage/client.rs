//! The server's own IO with the bucket: put, get, delete, exists.
//!
//! Every request is a presigned URL from a [`Presigner`] bound to
//! `settings.endpoint`, sent with reqwest. Reusing the presigner keeps one
//! signing implementation for the server and the browsers, and works the
//! same against the embedded store and any S3-compatible service.
//!
//! Temporary credentials rotate: with a shared credentials file the
//! presigners are rebuilt whenever the file changes ([`ObjectStore::refresh`],
//! called periodically), and a request the store refuses (403) is signed
//! again with whatever the file holds now and sent once more; a second
//! refusal is reported, never retried in a loop.

use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{header, Method, StatusCode};

use super::credentials::Keys;
use super::{Presigner, S3Settings, StorageError};

/// Lifetime of the URLs the server signs for itself: it sends them at once,
/// so they only need to outlive a slow upload and some clock skew.
const SERVER_URL_TTL: Duration = Duration::from_secs(60);
const SSE_HEADER: &str = "x-amz-server-side-encryption";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Reads and writes objects of one bucket, and holds the presigner whose
/// URLs are handed to browsers.
#[derive(Debug)]
pub struct ObjectStore {
    http: reqwest::Client,
    /// The presigners for the current credentials.
    signers: RwLock<Arc<Signers>>,
    /// The settings the presigners are built from (credentials replaced
    /// as they rotate), and the credentials file's last change seen.
    settings: Mutex<(S3Settings, Option<SystemTime>)>,
    /// `x-amz-server-side-encryption` sent (and signed) with every PUT.
    server_side_encryption: Option<&'static str>,
}

/// The two presigners of one set of credentials.
#[derive(Debug)]
struct Signers {
    /// Signs for `settings.endpoint`, the address the server reaches.
    server: Arc<Presigner>,
    /// Signs for `settings.public_endpoint`, the address browsers reach.
    browser: Arc<Presigner>,
}

impl Signers {
    fn new(settings: &S3Settings) -> Result<Self, StorageError> {
        Ok(Self {
            server: Arc::new(Presigner::new(settings, &settings.endpoint)?),
            browser: Arc::new(Presigner::new(settings, &settings.public_endpoint)?),
        })
    }
}

impl ObjectStore {
    pub fn new(settings: &S3Settings) -> Result<Self, StorageError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| StorageError::Client(e.without_url()))?;
        let seen = settings.shared_file.as_ref().and_then(|f| f.modified());
        Ok(Self {
            http,
            signers: RwLock::new(Arc::new(Signers::new(settings)?)),
            settings: Mutex::new((settings.clone(), seen)),
            server_side_encryption: None,
        })
    }

    fn signers(&self) -> Arc<Signers> {
        self.signers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Reads the credentials file again if it changed (or `force`), and
    /// signs with what it holds from now on; whether the credentials
    /// changed. Without a credentials file there is nothing to refresh.
    pub fn refresh(&self, force: bool) -> Result<bool, StorageError> {
        let mut settings = self.settings.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(file) = settings.0.shared_file.clone() else {
            return Ok(false);
        };
        let modified = file.modified();
        if !force && modified == settings.1 {
            return Ok(false);
        }
        let keys: Keys = file
            .load()
            .map_err(|e| StorageError::Credentials(format!("{e:#}")))?;
        settings.1 = modified;
        if !keys.differ(&settings.0.keys()) {
            return Ok(false);
        }
        let fresh = settings.0.with_keys(keys);
        let signers = Signers::new(&fresh)?;
        settings.0 = fresh;
        *self.signers.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(signers);
        tracing::info!("signing with rotated store credentials");
        Ok(true)
    }

    /// Asks the store to encrypt what the server PUTs (`AES256`), like the
    /// browsers' uploads (`LANYARD_S3_SSE`).
    #[must_use]
    pub fn with_server_side_encryption(mut self, value: Option<&'static str>) -> Self {
        self.server_side_encryption = value;
        self
    }

    /// The presigner for URLs handed to browsers (signed for the public
    /// endpoint), with the current credentials.
    pub fn browser_presigner(&self) -> Arc<Presigner> {
        self.signers().browser.clone()
    }

    /// Stores `body` under `key`, replacing any object there.
    pub async fn put(
        &self,
        key: &str,
        body: Bytes,
        content_type: &str,
    ) -> Result<(), StorageError> {
        let length = body.len() as u64;
        let length_text = length.to_string();
        let mut signed = vec![
            ("content-type", content_type),
            ("content-length", length_text.as_str()),
        ];
        if let Some(sse) = self.server_side_encryption {
            signed.push((SSE_HEADER, sse));
        }
        let response = self
            .send_with(Method::PUT, key, &signed, |request| {
                let request = request
                    .header(header::CONTENT_TYPE, content_type)
                    .header(header::CONTENT_LENGTH, length);
                let request = match self.server_side_encryption {
                    Some(sse) => request.header(SSE_HEADER, sse),
                    None => request,
                };
                request.body(body.clone())
            })
            .await?;
        match response.status() {
            status if status.is_success() => Ok(()),
            _ => Err(status_error(&Method::PUT, key, response).await),
        }
    }

    /// The object's bytes, or `None` when there is no object under `key`.
    pub async fn get(&self, key: &str) -> Result<Option<Bytes>, StorageError> {
        let response = self.send(Method::GET, key).await?;
        match response.status() {
            StatusCode::NOT_FOUND => Ok(None),
            status if status.is_success() => response
                .bytes()
                .await
                .map(Some)
                .map_err(|e| request_error(&Method::GET, key, e)),
            _ => Err(status_error(&Method::GET, key, response).await),
        }
    }

    /// Removes the object; removing a missing object is not an error (S3
    /// itself answers 204 either way).
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let response = self.send(Method::DELETE, key).await?;
        match response.status() {
            StatusCode::NOT_FOUND => Ok(()),
            status if status.is_success() => Ok(()),
            _ => Err(status_error(&Method::DELETE, key, response).await),
        }
    }

    /// Whether an object exists under `key` (a `HEAD` request).
    pub async fn exists(&self, key: &str) -> Result<bool, StorageError> {
        let response = self.send(Method::HEAD, key).await?;
        match response.status() {
            StatusCode::NOT_FOUND => Ok(false),
            status if status.is_success() => Ok(true),
            _ => Err(status_error(&Method::HEAD, key, response).await),
        }
    }

    /// The store's answer to `GET /?{subresource}` on the bucket (e.g.
    /// `policy`), whatever its status: a 404 or 501 there is information
    /// for `lanyard doctor`, not a failure of the call.
    pub async fn get_bucket_subresource(
        &self,
        subresource: &str,
    ) -> Result<(StatusCode, String), StorageError> {
        let url = self.signers().server.presign_bucket_get(
            subresource,
            SERVER_URL_TTL,
            SystemTime::now(),
        );
        let what = format!("?{subresource}");
        let response = self
            .http
            .get(url.url)
            .send()
            .await
            .map_err(|e| request_error(&Method::GET, &what, e))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| request_error(&Method::GET, &what, e))?;
        Ok((status, body))
    }

    async fn send(&self, method: Method, key: &str) -> Result<reqwest::Response, StorageError> {
        self.send_with(method, key, &[], |request| request).await
    }

    /// Presigns `method` on `key` (with `signed` headers), lets `build`
    /// finish the request and sends it; a 403 with a credentials file is
    /// signed again with fresh credentials and sent once more.
    async fn send_with(
        &self,
        method: Method,
        key: &str,
        signed: &[(&str, &str)],
        build: impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, StorageError> {
        let mut retried = false;
        loop {
            let url = self.signers().server.presign(
                method.clone(),
                key,
                SERVER_URL_TTL,
                SystemTime::now(),
                signed,
                &[],
            );
            let response = build(self.http.request(method.clone(), url.url))
                .send()
                .await
                .map_err(|e| request_error(&method, key, e))?;
            if response.status() != StatusCode::FORBIDDEN || retried {
                return Ok(response);
            }
            retried = true;
            match self.refresh(true) {
                Ok(true) => {
                    tracing::info!(
                        key,
                        "the store refused the old credentials; retrying with fresh ones"
                    );
                }
                // Nothing fresh to sign with: the refusal stands.
                Ok(false) => return Ok(response),
                Err(error) => {
                    tracing::warn!(%error, "could not read fresh store credentials");
                    return Ok(response);
                }
            }
        }
    }
}

fn method_name(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        _ => "request",
    }
}

/// reqwest's errors print their URL, which here carries a live signature.
fn request_error(method: &Method, key: &str, error: reqwest::Error) -> StorageError {
    StorageError::Request {
        method: method_name(method),
        key: key.to_owned(),
        source: error.without_url(),
    }
}

async fn status_error(method: &Method, key: &str, response: reqwest::Response) -> StorageError {
    let status = response.status();
    // S3 errors are XML `<Error><Code>SignatureDoesNotMatch</Code>…`; the
    // code is what tells a wrong key from a missing bucket.
    let code = response.text().await.ok().and_then(|body| {
        let start = body.find("<Code>")? + "<Code>".len();
        let len = body[start..].find("</Code>")?;
        Some(body[start..start + len].chars().take(64).collect())
    });
    StorageError::Status {
        method: method_name(method),
        key: key.to_owned(),
        status,
        code,
    }
}
