//! The one error type of the storage module.
//!
//! Messages never contain a presigned URL: its query string carries a
//! signature that would stay valid for as long as the URL does, so request
//! errors from reqwest are stripped of their URL before they are kept here.

use http::StatusCode;

/// Anything that can go wrong in configuring, running or calling the store.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The endpoint URL is unusable (bad scheme, no host, a query string…).
    #[error("invalid S3 endpoint: {0}")]
    InvalidEndpoint(&'static str),
    /// S3 bucket names are 3–63 characters of `a-z`, `0-9`, `.` and `-`.
    #[error("invalid bucket name {0:?}: use 3-63 characters a-z, 0-9, '.' and '-', starting and ending with a letter or digit")]
    InvalidBucket(String),
    /// A CORS origin for the embedded store is not a valid header value.
    #[error("invalid CORS origin {0:?}")]
    InvalidOrigin(String),
    /// Not 32 lowercase hexadecimal characters.
    #[error("invalid photo version id")]
    InvalidVersionId,
    /// The HTTP client could not be built.
    #[error("could not build the S3 HTTP client")]
    Client(#[source] reqwest::Error),
    /// The request did not get an answer (connection refused, timeout…).
    #[error("S3 {method} {key} failed")]
    Request {
        method: &'static str,
        key: String,
        #[source]
        source: reqwest::Error,
    },
    /// The store answered with an unexpected status.
    #[error("S3 answered {status} ({code}) to {method} {key}", code = code.as_deref().unwrap_or("no error code"))]
    Status {
        method: &'static str,
        key: String,
        status: StatusCode,
        /// The `<Code>` of S3's XML error body, when there is one.
        code: Option<String>,
    },
    /// The credentials file could not be read (or lacks what is needed).
    #[error("the store's credentials: {0}")]
    Credentials(String),
    /// The embedded store could not start.
    #[error("could not start the embedded S3 store: {context}")]
    Embedded {
        context: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}
