//! SCIM's own error answer (RFC 7644 §3.12): `{"schemas": [Error],
//! "status": "400", "scimType": "invalidFilter", "detail": "…"}` with
//! `application/scim+json`. Identity providers read `scimType` (Entra ID
//! retries on some, gives up on others), so every refusal says which.

use crate::error::AppError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The media type of every SCIM answer.
pub const SCIM_JSON: &str = "application/scim+json";

/// RFC 7644 §3.12's `scimType` values Lanyard uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimType {
    InvalidFilter,
    Uniqueness,
    InvalidSyntax,
    InvalidPath,
    NoTarget,
    InvalidValue,
    Mutability,
    TooMany,
}

impl ScimType {
    fn as_str(self) -> &'static str {
        match self {
            Self::InvalidFilter => "invalidFilter",
            Self::Uniqueness => "uniqueness",
            Self::InvalidSyntax => "invalidSyntax",
            Self::InvalidPath => "invalidPath",
            Self::NoTarget => "noTarget",
            Self::InvalidValue => "invalidValue",
            Self::Mutability => "mutability",
            Self::TooMany => "tooMany",
        }
    }
}

/// A refused SCIM request.
#[derive(Debug)]
pub struct ScimError {
    pub status: StatusCode,
    pub scim_type: Option<ScimType>,
    pub detail: String,
    /// For 429: when to try again, in whole seconds.
    pub retry_after: Option<u64>,
    /// Kept for the log when the cause is ours (a 500).
    internal: Option<anyhow::Error>,
}

pub type ScimResult<T> = Result<T, ScimError>;

impl ScimError {
    pub fn new(status: StatusCode, scim_type: Option<ScimType>, detail: impl Into<String>) -> Self {
        Self {
            status,
            scim_type,
            detail: detail.into(),
            retry_after: None,
            internal: None,
        }
    }

    /// 400 with a `scimType`.
    pub fn bad(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some(scim_type), detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, None, detail)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            None,
            "A SCIM bearer token is required (lanyard scim-token create NAME).",
        )
    }
}

impl From<AppError> for ScimError {
    /// The admin rules answer in Lanyard's API errors; SCIM clients get the
    /// same sentence in SCIM's shape.
    fn from(err: AppError) -> Self {
        match err {
            AppError::BadRequest(message) | AppError::Unprocessable(message) => {
                Self::bad(ScimType::InvalidValue, message)
            }
            AppError::Rejected { status, message } => {
                Self::new(status, Some(ScimType::InvalidSyntax), message)
            }
            // The only conflicts of the people rules are a taken email and
            // deactivating oneself (which a provider cannot be).
            AppError::Conflict(message) => {
                Self::new(StatusCode::CONFLICT, Some(ScimType::Uniqueness), message)
            }
            AppError::NotFound | AppError::NotFoundWith(_) => Self::not_found("No such user."),
            AppError::RateLimited { retry_after } => Self {
                retry_after: Some(crate::error::retry_after_secs(retry_after)),
                ..Self::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    Some(ScimType::TooMany),
                    "Too many SCIM requests: slow down.",
                )
            },
            AppError::Unauthenticated | AppError::InvalidCredentials => Self::unauthorized(),
            AppError::Forbidden | AppError::Refused(_) => {
                Self::new(StatusCode::FORBIDDEN, None, "Not allowed over SCIM.")
            }
            AppError::InvalidImage(message) => Self::bad(ScimType::InvalidValue, message),
            AppError::Internal(err) => Self {
                internal: Some(err),
                ..Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    None,
                    "Something went wrong.",
                )
            },
        }
    }
}

impl From<sqlx::Error> for ScimError {
    fn from(err: sqlx::Error) -> Self {
        AppError::from(err).into()
    }
}

impl From<anyhow::Error> for ScimError {
    fn from(err: anyhow::Error) -> Self {
        AppError::Internal(err).into()
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        if let Some(err) = &self.internal {
            tracing::error!(error = format!("{err:#}"), "SCIM request failed");
        }
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(scim_type) = self.scim_type {
            body["scimType"] = scim_type.as_str().into();
        }
        let mut response = (self.status, scim_json(&body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// `value` as an `application/scim+json` body.
pub fn scim_json(value: &serde_json::Value) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON))],
        value.to_string(),
    )
        .into_response()
}
