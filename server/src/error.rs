//! The server's one error type and how it becomes an HTTP answer.
//!
//! Handlers return [`AppResult`]. Client mistakes map to 4xx with a message
//! written for a person; everything else is [`AppError::Internal`], whose
//! details go to the log (by [`log_app_errors`]) and never to the client.
//! Building the response has no side effects: the failure travels to the
//! logging middleware in the response's extensions.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use lanyard_wire::{ApiError, ErrorCode};
use std::sync::Arc;

pub type AppResult<T, E = AppError> = Result<T, E>;

/// The one message for every failed sign-in: it never says which part was wrong.
pub use lanyard_wire::INVALID_CREDENTIALS;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed; the message says how.
    #[error("{0}")]
    BadRequest(String),
    /// An extractor refused the request (bad JSON, body too large, ...).
    #[error("{message}")]
    Rejected { status: StatusCode, message: String },
    #[error("not signed in")]
    Unauthenticated,
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Signed in, but this role may not do this.
    #[error("forbidden")]
    Forbidden,
    /// Not allowed here, for the reason the message gives (e.g. the
    /// password form is off). 403 `forbidden`.
    #[error("{0}")]
    Refused(String),
    #[error("not found")]
    NotFound,
    /// 404 `not_found` with a sentence saying what is missing and why.
    #[error("{0}")]
    NotFoundWith(String),
    /// An uploaded file is not an image Lanyard accepts; the message says why.
    #[error("{0}")]
    InvalidImage(String),
    /// The request does not fit the current state (e.g. an upload that
    /// finished already); the message says how.
    #[error("{0}")]
    Conflict(String),
    /// Well-formed but not acceptable as a whole (an import with bad
    /// lines); the message says which parts. 422, code `bad_request`.
    #[error("{0}")]
    Unprocessable(String),
    /// A rate limit or a sign-in lockout: 429 `rate_limited`, with a
    /// `Retry-After` header in whole seconds (rounded up, at least 1).
    #[error("rate limited for {retry_after:?}")]
    RateLimited { retry_after: std::time::Duration },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest(message.into())
    }

    fn status_and_body(&self) -> (StatusCode, ApiError) {
        match self {
            Self::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                ApiError::new(ErrorCode::BadRequest, message.clone()),
            ),
            Self::Rejected { status, message } => (
                *status,
                ApiError::new(ErrorCode::BadRequest, message.clone()),
            ),
            Self::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                ApiError::new(ErrorCode::Unauthenticated, "Please sign in."),
            ),
            Self::InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                ApiError::new(ErrorCode::InvalidCredentials, INVALID_CREDENTIALS),
            ),
            Self::Forbidden => (
                StatusCode::FORBIDDEN,
                ApiError::new(ErrorCode::Forbidden, "Only HR can do this."),
            ),
            Self::Refused(message) => (
                StatusCode::FORBIDDEN,
                ApiError::new(ErrorCode::Forbidden, message.clone()),
            ),
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                ApiError::new(ErrorCode::NotFound, "Not found."),
            ),
            Self::NotFoundWith(message) => (
                StatusCode::NOT_FOUND,
                ApiError::new(ErrorCode::NotFound, message.clone()),
            ),
            Self::InvalidImage(message) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiError::new(ErrorCode::InvalidImage, message.clone()),
            ),
            Self::Conflict(message) => (
                StatusCode::CONFLICT,
                ApiError::new(ErrorCode::Conflict, message.clone()),
            ),
            Self::Unprocessable(message) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiError::new(ErrorCode::BadRequest, message.clone()),
            ),
            Self::RateLimited { retry_after } => (
                StatusCode::TOO_MANY_REQUESTS,
                ApiError::new(
                    ErrorCode::RateLimited,
                    format!(
                        "Too many requests. Try again in {} seconds.",
                        retry_after_secs(*retry_after)
                    ),
                ),
            ),
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ApiError::new(
                    ErrorCode::Internal,
                    "Something went wrong on our side. Please try again.",
                ),
            ),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        Self::Internal(anyhow::Error::new(err).context("database query failed"))
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(err: tower_sessions::session::Error) -> Self {
        Self::Internal(anyhow::Error::new(err).context("session store failed"))
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        // 413 (too large) and 415 (wrong content type) keep their status;
        // malformed or mistyped JSON is a plain 400 (axum says 422).
        let status = match rejection.status() {
            StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
            other => other,
        };
        Self::Rejected {
            status,
            message: rejection.body_text(),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

/// What [`log_app_errors`] finds in a failed response's extensions.
#[derive(Debug, Clone)]
struct InternalFailure(Arc<str>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = self.status_and_body();
        let mut response = (status, Json(body)).into_response();
        if let Self::RateLimited { retry_after } = &self {
            let secs = axum::http::HeaderValue::from(retry_after_secs(*retry_after));
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs);
        }
        if let Self::Internal(err) = &self {
            // `{:#}` prints the whole context chain on one line.
            let detail: Arc<str> = format!("{err:#}").into();
            response.extensions_mut().insert(InternalFailure(detail));
        }
        response
    }
}

/// `Retry-After` in whole seconds: rounded up, so a client that waits
/// that long is never early, and at least 1.
pub fn retry_after_secs(wait: std::time::Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

/// Middleware: logs the cause of every 500 that an [`AppError`] produced.
pub async fn log_app_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if let Some(InternalFailure(detail)) = response.extensions().get::<InternalFailure>() {
        tracing::error!(%method, %path, error = %detail, "request failed");
    }
    response
}

/// The answer for any `/api` path that does not exist.
pub async fn api_not_found() -> AppError {
    AppError::NotFound
}

/// The answer for an `/api` path that exists but not with this method.
pub async fn api_method_not_allowed() -> Response {
    let body = ApiError::new(
        ErrorCode::BadRequest,
        "This method is not allowed on this path.",
    );
    (StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    async fn body_of(err: AppError) -> (StatusCode, ApiError) {
        let response = err.into_response();
        let status = response.status();
        let bytes = to_bytes(response.into_body(), 1 << 16).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn internal_errors_never_show_their_cause() {
        let err = AppError::Internal(anyhow::anyhow!("disk /secret/path is full"));
        let (status, body) = body_of(err).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body.code, ErrorCode::Internal);
        assert!(!body.message.contains("secret"), "{}", body.message);
    }

    #[tokio::test]
    async fn invalid_credentials_has_one_message() {
        let (status, body) = body_of(AppError::InvalidCredentials).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body.code, ErrorCode::InvalidCredentials);
        assert_eq!(body.message, INVALID_CREDENTIALS);
    }

    #[tokio::test]
    async fn invalid_images_and_conflicts_have_their_own_status() {
        let (status, body) = body_of(AppError::InvalidImage("too small".into())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body.code, ErrorCode::InvalidImage);
        assert_eq!(body.message, "too small");
        let (status, body) = body_of(AppError::Conflict("already done".into())).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body.code, ErrorCode::Conflict);
        let (status, body) = body_of(AppError::Unprocessable("line 3: bad".into())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body.code, ErrorCode::BadRequest);
        assert_eq!(body.message, "line 3: bad");
    }

    #[tokio::test]
    async fn rate_limits_say_when_to_come_back_in_whole_seconds() {
        let err = AppError::RateLimited {
            retry_after: std::time::Duration::from_millis(2_001),
        };
        let response = err.into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()["retry-after"], "3");
        let bytes = to_bytes(response.into_body(), 1 << 16).await.unwrap();
        let body: ApiError = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body.code, ErrorCode::RateLimited);
        assert_eq!(retry_after_secs(std::time::Duration::ZERO), 1);
        assert_eq!(retry_after_secs(std::time::Duration::from_secs(60)), 60);
    }

    #[tokio::test]
    async fn bad_requests_keep_their_message() {
        let (status, body) = body_of(AppError::bad_request("page must be 1 or more")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body.code, ErrorCode::BadRequest);
        assert_eq!(body.message, "page must be 1 or more");
    }
}
