//! The typed HTTP client: one `async fn` per endpoint of the server's API.
//!
//! Every function returns `Result<T, ClientError>`, never `Option`, so a
//! caller can tell "you are signed out" from "the network is down" from "no
//! such person". Requests go to the same origin, so the browser sends the
//! `lanyard_session` cookie by itself. Every answer's `x-server-time` header
//! feeds [`crate::clock`], by which the photo healer judges URL expiry.

pub mod hr;

use crate::{clock, query};
use gloo_net::http::{Method, Request, RequestBuilder, Response};
use lanyard_wire::{
    ApiError, DirectoryPage, DirectoryQuery, EmployeeId, ErrorCode, Facets, Me, MyPhoto, OrgChart,
    PhotoUrlsRequest, PhotoUrlsResponse, Profile, ReportsPage, SetPasswordRequest, SignInLinkInfo,
    SignInLinkToken, SignInOptions, SignInRequest, SignedOut, UploadRequest, UploadTicket,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::time::Duration;

/// Why an API call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// No answer at all: offline, server down, request blocked.
    Network(String),
    /// The server answered with an error (its `ApiError` body, or one made up
    /// from the status when the body was not JSON), and how long it asked
    /// to be left alone (`Retry-After`, on a 429 or 503).
    Api {
        status: u16,
        error: ApiError,
        retry_after: Option<Duration>,
    },
    /// A success answer this SPA could not read: a version mismatch.
    Decode(String),
}

impl ClientError {
    /// The session is missing or over: the app must go back to sign-in.
    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, Self::Api { error, .. } if error.code == ErrorCode::Unauthenticated)
    }

    /// The thing asked for does not exist (or may not be seen).
    /// "No such person", for an address that cannot name one (asked of nobody).
    pub fn not_found() -> Self {
        Self::Api {
            status: 404,
            error: ApiError::new(ErrorCode::NotFound, "No such person."),
            retry_after: None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Api { error, .. } if error.code == ErrorCode::NotFound)
    }

    /// How long the server asked to wait before trying again, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The error's machine-readable code, when the server sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Api { error, .. } => Some(error.code),
            _ => None,
        }
    }

    /// A sentence for a person. Internal details stay in the console.
    pub fn user_message(&self) -> String {
        match self {
            Self::Network(_) => {
                "Lanyard can't be reached right now. Check your connection and try again.".into()
            }
            Self::Api { error, .. } if error.code == ErrorCode::Internal => {
                "Something went wrong on our side. Please try again.".into()
            }
            Self::Api { error, .. } => error.message.clone(),
            Self::Decode(_) => {
                "Lanyard sent an answer this page doesn't understand. Reload the page.".into()
            }
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Network(detail) => write!(f, "network error: {detail}"),
            Self::Api { status, error, .. } => {
                write!(f, "HTTP {status} {:?}: {}", error.code, error)
            }
            Self::Decode(detail) => write!(f, "unexpected answer: {detail}"),
        }
    }
}

impl std::error::Error for ClientError {}

/// `POST /api/session`: sign in; the server sets the session cookie.
pub async fn sign_in(request: &SignInRequest) -> Result<Me, ClientError> {
    decode(&call(Method::POST, "/api/session", Some(encode(request)?)).await?)
}

/// `GET /api/session/options`: how people sign in here (no session needed).
pub async fn sign_in_options() -> Result<SignInOptions, ClientError> {
    get_json("/api/session/options").await
}

/// `DELETE /api/session`: sign out; the server forgets the session and
/// names the identity provider's own sign-out page when there is one.
pub async fn sign_out() -> Result<SignedOut, ClientError> {
    decode(&call(Method::DELETE, "/api/session", None).await?)
}

/// `POST /api/sign-in-link`: whose a one-time sign-in link is (404 with a
/// sentence to show when it was used, replaced or has expired). The token
/// goes in the body, never in a URL the server would log.
pub async fn check_sign_in_link(token: &str) -> Result<SignInLinkInfo, ClientError> {
    let body = encode(&SignInLinkToken {
        token: token.to_owned(),
    })?;
    decode(&call(Method::POST, "/api/sign-in-link", Some(body)).await?)
}

/// `POST /api/sign-in-link/password`: sets the link holder's password and
/// signs them in (the server sets the session cookie); 400 with a sentence
/// when the password is refused.
pub async fn set_password_with_link(request: &SetPasswordRequest) -> Result<Me, ClientError> {
    let body = encode(request)?;
    decode(&call(Method::POST, "/api/sign-in-link/password", Some(body)).await?)
}

/// `GET /api/me`: who is signed in (401 when nobody is).
pub async fn me() -> Result<Me, ClientError> {
    get_json("/api/me").await
}

/// `GET /api/people`: one page of the directory.
pub async fn people(query: &DirectoryQuery) -> Result<DirectoryPage, ClientError> {
    get_json(&format!("/api/people{}", query::api_query_string(query))).await
}

/// `GET /api/people/{id}`: one person's profile.
pub async fn person(id: EmployeeId) -> Result<Profile, ClientError> {
    get_json(&format!("/api/people/{id}")).await
}

/// `GET /api/people/{id}/org`: their managers, them, their first reports.
pub async fn org_chart(id: EmployeeId) -> Result<OrgChart, ClientError> {
    get_json(&format!("/api/people/{id}/org")).await
}

/// `GET /api/people/{id}/reports?page=`: one page of a chart's branch.
pub async fn reports(id: EmployeeId, page: u32) -> Result<ReportsPage, ClientError> {
    get_json(&format!("/api/people/{id}/reports?page={page}")).await
}

/// `GET /api/facets`: the departments and locations the filters offer.
pub async fn facets() -> Result<Facets, ClientError> {
    get_json("/api/facets").await
}

/// `POST /api/photos/urls`: fresh photo URLs for a batch of people (the
/// photo healer's renewals and repairs).
pub async fn photo_urls(request: &PhotoUrlsRequest) -> Result<PhotoUrlsResponse, ClientError> {
    decode(&call(Method::POST, "/api/photos/urls", Some(encode(request)?)).await?)
}

/// `GET /api/me/photo`: the signed-in person's own photo versions and the
/// upload limits.
pub async fn my_photo() -> Result<MyPhoto, ClientError> {
    get_json("/api/me/photo").await
}

/// `POST /api/me/photo/uploads`: a ticket to PUT a new photo to the store.
pub async fn start_upload(request: &UploadRequest) -> Result<UploadTicket, ClientError> {
    decode(
        &call(
            Method::POST,
            "/api/me/photo/uploads",
            Some(encode(request)?),
        )
        .await?,
    )
}

/// `POST /api/me/photo/uploads/{id}/url`: a fresh URL for the same upload,
/// when the first expired on the way.
pub async fn renew_upload_url(upload_id: &str) -> Result<UploadTicket, ClientError> {
    let url = format!("/api/me/photo/uploads/{}/url", path_segment(upload_id));
    decode(&call(Method::POST, &url, None).await?)
}

/// `POST /api/me/photo/uploads/{id}/complete`: the bytes are in the store;
/// the server checks them and answers the photo, now pending review.
pub async fn complete_upload(upload_id: &str) -> Result<MyPhoto, ClientError> {
    let url = format!("/api/me/photo/uploads/{}/complete", path_segment(upload_id));
    decode(&call(Method::POST, &url, None).await?)
}

/// `DELETE /api/me/photo/uploads/{id}`: cancel an upload, leaving nothing.
pub async fn cancel_upload(upload_id: &str) -> Result<(), ClientError> {
    let url = format!("/api/me/photo/uploads/{}", path_segment(upload_id));
    call(Method::DELETE, &url, None).await.map(drop)
}

/// `DELETE /api/me/photo`: delete every version of one's own photo.
pub async fn delete_my_photo() -> Result<(), ClientError> {
    call(Method::DELETE, "/api/me/photo", None).await.map(drop)
}

/// An upload id as one path segment. Ids are hex from the server; anything
/// else is dropped rather than allowed to reach another path.
fn path_segment(id: &str) -> String {
    id.chars().filter(char::is_ascii_alphanumeric).collect()
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ClientError> {
    decode(&call(Method::GET, url, None).await?)
}

/// Sends one request (with a JSON body, if given) and answers the success
/// body as text. Deliberately not generic: every endpoint shares this one
/// copy of the request code, and only `decode::<T>` / `encode::<B>` are
/// generated per type (gloo-net's `json::<T>()` is an async fn per type:
/// this saved 1.3 KiB gzip of the directory bundle, 2.8 of HR's).
async fn call(method: Method, url: &str, json: Option<String>) -> Result<String, ClientError> {
    let builder = RequestBuilder::new(url).method(method);
    let request = match json {
        Some(body) => builder
            .header("content-type", "application/json")
            .body(body),
        None => builder.build(),
    }
    .map_err(|e| ClientError::Network(e.to_string()))?;
    send(request)
        .await?
        .text()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))
}

/// A success body as `T`; a body this SPA cannot read is a version mismatch.
fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ClientError> {
    serde_json::from_str(text).map_err(|e| ClientError::Decode(e.to_string()))
}

/// A request body as JSON.
fn encode<B: Serialize>(body: &B) -> Result<String, ClientError> {
    serde_json::to_string(body).map_err(|e| ClientError::Decode(e.to_string()))
}

/// Sends, records the server's clock, and turns non-2xx answers into errors.
async fn send(request: Request) -> Result<Response, ClientError> {
    let sent = clock::local_now();
    let response = request
        .send()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))?;
    if let Some(server_ms) = response
        .headers()
        .get("x-server-time")
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        clock::observe(server_ms, sent);
    }
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let retry_after = parse_retry_after(response.headers().get("retry-after").as_deref());
    let body = response.text().await.unwrap_or_default();
    // A proxy's HTML error page, an empty 502...: keep the status.
    let error = serde_json::from_str(&body).unwrap_or_else(|_| fallback_error(status));
    Err(ClientError::Api {
        status,
        error,
        retry_after,
    })
}

/// The longest `Retry-After` taken at its word: a day.
const MAX_RETRY_AFTER_SECS: u64 = 24 * 3600;

/// A `Retry-After` in whole seconds, as Lanyard's server sends it. The
/// HTTP-date form (which depends on the browser's clock agreeing with the
/// server's) and anything unreadable count as no header.
fn parse_retry_after(value: Option<&str>) -> Option<Duration> {
    let secs: u64 = value?.trim().parse().ok()?;
    Some(Duration::from_secs(secs.min(MAX_RETRY_AFTER_SECS)))
}

/// The error to report when an error answer has no `ApiError` body.
fn fallback_error(status: u16) -> ApiError {
    let code = match status {
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        400 | 413 | 422 => ErrorCode::BadRequest,
        429 => ErrorCode::RateLimited,
        _ => ErrorCode::Internal,
    };
    ApiError::new(code, format!("The server answered {status}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_401_still_counts_as_signed_out() {
        let err = ClientError::Api {
            status: 401,
            error: fallback_error(401),
            retry_after: None,
        };
        assert!(err.is_unauthenticated());
        assert!(!err.is_not_found());
    }

    #[test]
    fn internal_details_never_reach_the_user() {
        let err = ClientError::Api {
            status: 500,
            error: ApiError::new(ErrorCode::Internal, "database is locked"),
            retry_after: None,
        };
        assert!(!err.user_message().contains("database"));
        let net = ClientError::Network("TypeError: Failed to fetch".into());
        assert!(!net.user_message().contains("TypeError"));
    }

    #[test]
    fn retry_after_is_read_in_whole_seconds() {
        assert_eq!(parse_retry_after(Some("3")), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after(Some(" 120 ")),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(Some("0")), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after(Some("99999999999")),
            Some(Duration::from_secs(MAX_RETRY_AFTER_SECS))
        );
        for unreadable in ["Wed, 21 Oct 2026 07:28:00 GMT", "-1", "1.5", ""] {
            assert_eq!(parse_retry_after(Some(unreadable)), None, "{unreadable:?}");
        }
        assert_eq!(parse_retry_after(None), None);
        let limited = ClientError::Api {
            status: 429,
            error: fallback_error(429),
            retry_after: Some(Duration::from_secs(7)),
        };
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(ClientError::Network("x".into()).retry_after(), None);
    }

    #[test]
    fn upload_ids_stay_one_path_segment() {
        assert_eq!(path_segment("0123abcd"), "0123abcd");
        assert_eq!(path_segment("../../session"), "session");
    }

    #[test]
    fn api_messages_are_shown_as_written() {
        let err = ClientError::Api {
            status: 401,
            error: ApiError::new(ErrorCode::InvalidCredentials, "As the server wrote it."),
            retry_after: None,
        };
        assert_eq!(err.user_message(), "As the server wrote it.");
        assert_eq!(err.code(), Some(ErrorCode::InvalidCredentials));
    }
}
