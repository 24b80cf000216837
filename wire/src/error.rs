//! The one error body every failed API call answers with.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A machine-readable reason; the SPA branches on it, never on `message`.
/// The one message for every failed sign-in, on the server's answer and in
/// the SPA alike: it never says which part was wrong (that would tell a
/// stranger who works here).
pub const INVALID_CREDENTIALS: &str = "Email or password is incorrect.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No session, or the session has ended.
    Unauthenticated,
    /// Signed in, but not allowed to do this.
    Forbidden,
    /// Wrong email or password (deliberately not saying which).
    InvalidCredentials,
    NotFound,
    /// The request was malformed: bad query parameter, bad JSON, too large.
    BadRequest,
    /// The uploaded file is not an image Lanyard accepts (type, size,
    /// dimensions, damaged); `message` says which.
    InvalidImage,
    /// The request conflicts with the current state (e.g. completing an
    /// upload that was cancelled).
    Conflict,
    /// Too many requests; retry after the `Retry-After` header.
    RateLimited,
    /// Something failed on our side; details are in the server's log only.
    Internal,
    /// A code this version of the SPA does not know yet.
    #[serde(other)]
    Unknown,
}

/// `{"code": "...", "message": "..."}`: `message` is written for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
