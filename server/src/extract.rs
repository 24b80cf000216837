//! Request extractors that answer in Lanyard's own error format.
//!
//! axum's `Json`, `Query` and `Path` reject bad input with plain text; these
//! wrappers turn every rejection into a 400 `ApiError` JSON body instead. The
//! [`Now`] extractor hands handlers the one clock reading taken for the
//! request, so a response's `server_time`, its `x-server-time` header and the
//! URLs it signs all agree.

use crate::error::AppError;
use crate::security::forwarded::TrustedProxies;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::HeaderValue;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lanyard_wire::Timestamp;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// JSON body in, JSON body out; a bad body is a 400 `ApiError`.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct AppJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A query string; a malformed one is a 400 `ApiError`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct AppQuery<T>(pub T);

/// Path parameters; a malformed one (`/api/people/abc`) is a 400 `ApiError`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct AppPath<T>(pub T);

/// The moment the server received the request, read once.
#[derive(Debug, Clone, Copy)]
pub struct Now(pub SystemTime);

impl Now {
    pub fn timestamp(self) -> Timestamp {
        to_timestamp(self.0)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Now {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // Without the middleware (a unit test calling a router directly) the
        // clock is read here instead.
        Ok(parts
            .extensions
            .get::<Now>()
            .copied()
            .unwrap_or_else(|| Now(SystemTime::now())))
    }
}

/// The client's address: the connection's peer, or behind trusted proxies
/// (`LANYARD_TRUSTED_PROXIES`) the address their forwarding headers name
/// ([`TrustedProxies::client`]); `None` without a connection (a router
/// called directly, as unit tests do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientIp(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(info) = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        else {
            return Ok(Self(None));
        };
        let peer = info.0.ip();
        let client = match parts.extensions.get::<Arc<TrustedProxies>>() {
            Some(proxies) => proxies.client(peer, &parts.headers),
            None => peer,
        };
        Ok(Self(Some(client.to_string())))
    }
}

/// Milliseconds since the Unix epoch; instants before it count as 0.
pub fn to_timestamp(at: SystemTime) -> Timestamp {
    let ms = at
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Timestamp(ms)
}

/// Middleware: reads the clock once per request, hands the reading to
/// handlers through [`Now`] and puts it on the response as `x-server-time`.
pub async fn server_time(mut request: Request, next: Next) -> Response {
    let now = Now(SystemTime::now());
    request.extensions_mut().insert(now);
    let mut response = next.run(request).await;
    let ms = now.timestamp().as_millis().to_string();
    if let Ok(value) = HeaderValue::from_str(&ms) {
        response.headers_mut().insert("x-server-time", value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_unix_milliseconds() {
        let at = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        assert_eq!(to_timestamp(at), Timestamp(1_700_000_000_123));
    }

    #[test]
    fn instants_before_the_epoch_clamp_to_zero() {
        let at = UNIX_EPOCH - Duration::from_secs(5);
        assert_eq!(to_timestamp(at), Timestamp(0));
    }
}
