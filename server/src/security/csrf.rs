//! Cross-site request forgery: state-changing API requests sent by a page
//! of another site are refused.
//!
//! The check reads what browsers say about where a request comes from
//! (Fetch Metadata), as Go's `net/http.CrossOriginProtection` and OWASP's
//! CSRF cheat sheet describe; no token is needed:
//! - `GET`, `HEAD` and `OPTIONS` change nothing and always pass;
//! - `Sec-Fetch-Site: same-origin` (the SPA) or `none` (typed by the user)
//!   passes; any other value (`same-site`, `cross-site`) is refused;
//! - without `Sec-Fetch-Site` (older browsers), an `Origin` whose host is
//!   not the request's `Host` is refused;
//! - with neither header the sender is not a browser (curl, scripts,
//!   tests), which carries no one else's cookies: it passes.
//!
//! The session cookie is also `SameSite=Lax`, which already keeps it off
//! cross-site `POST`s in current browsers; this check does not rely on it.

use axum::extract::Request;
use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use lanyard_wire::{ApiError, ErrorCode};

/// `Sec-Fetch-Site`, which axum's header list does not name.
const SEC_FETCH_SITE: &str = "sec-fetch-site";

/// What the check decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// The browser says another site (or a sibling subdomain) sent it.
    CrossSite,
    /// An older browser's `Origin` names another host than the request's.
    ForeignOrigin,
}

/// Decides from the request's method and headers alone (Sans-IO):
/// `host` is the `Host` the request was sent to.
pub fn decide(
    method: &Method,
    sec_fetch_site: Option<&HeaderValue>,
    origin: Option<&HeaderValue>,
    host: Option<&HeaderValue>,
) -> Decision {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Decision::Allow;
    }
    if let Some(site) = sec_fetch_site {
        return match site.as_bytes() {
            b"same-origin" | b"none" => Decision::Allow,
            _ => Decision::CrossSite,
        };
    }
    let Some(origin) = origin else {
        return Decision::Allow;
    };
    // `Origin: null` (sandboxed frames, some redirects) has no host: refused.
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.parse::<http::Uri>().ok())
        .and_then(|uri| uri.authority().map(|a| a.as_str().to_ascii_lowercase()));
    let host = host
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    match (origin_host, host) {
        (Some(origin_host), Some(host)) if origin_host == host => Decision::Allow,
        _ => Decision::ForeignOrigin,
    }
}

/// Middleware: answers 403 `forbidden` to a request [`decide`] refuses.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let headers = request.headers();
    // HTTP/2 carries the host in the URI (`:authority`), not in `Host`.
    let authority = request
        .uri()
        .authority()
        .and_then(|a| HeaderValue::from_str(a.as_str()).ok());
    let host = headers.get(HOST).or(authority.as_ref());
    let decision = decide(
        request.method(),
        headers.get(SEC_FETCH_SITE),
        headers.get(ORIGIN),
        host,
    );
    if decision == Decision::Allow {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = %request.uri().path(),
        ?decision,
        "refused a cross-site request"
    );
    let body = ApiError::new(
        ErrorCode::Forbidden,
        "This request came from another website, so Lanyard refused it. \
         Open Lanyard itself and try again.",
    );
    (StatusCode::FORBIDDEN, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).unwrap()
    }

    /// `decide` for a POST to `app.example:8080`.
    fn post(site: Option<&str>, origin: Option<&str>) -> Decision {
        let (site, origin) = (site.map(value), origin.map(value));
        let host = value("app.example:8080");
        decide(&Method::POST, site.as_ref(), origin.as_ref(), Some(&host))
    }

    #[test]
    fn reads_always_pass_whoever_sends_them() {
        let cross = value("cross-site");
        for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert_eq!(decide(&method, Some(&cross), None, None), Decision::Allow);
        }
    }

    #[test]
    fn a_browsers_same_origin_or_user_typed_request_passes() {
        assert_eq!(post(Some("same-origin"), None), Decision::Allow);
        assert_eq!(post(Some("none"), None), Decision::Allow);
        // Fetch Metadata wins over a (mismatched) Origin.
        assert_eq!(
            post(Some("same-origin"), Some("https://evil.example")),
            Decision::Allow
        );
    }

    #[test]
    fn another_site_or_a_sibling_subdomain_is_refused() {
        for site in ["cross-site", "same-site", "", "Same-Origin"] {
            assert_eq!(post(Some(site), None), Decision::CrossSite, "{site:?}");
        }
        // Even when the Origin would match.
        assert_eq!(
            post(Some("cross-site"), Some("http://app.example:8080")),
            Decision::CrossSite
        );
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_be_the_host() {
        assert_eq!(post(None, Some("http://app.example:8080")), Decision::Allow);
        assert_eq!(post(None, Some("http://APP.example:8080")), Decision::Allow);
        for origin in [
            "http://evil.example",
            "http://app.example",
            "http://app.example:8081",
            "null",
            "not a url",
        ] {
            assert_eq!(
                post(None, Some(origin)),
                Decision::ForeignOrigin,
                "{origin}"
            );
        }
    }

    #[test]
    fn a_client_that_is_not_a_browser_passes() {
        assert_eq!(post(None, None), Decision::Allow);
        for method in [Method::PUT, Method::PATCH, Method::DELETE] {
            assert_eq!(decide(&method, None, None, None), Decision::Allow);
        }
    }

    #[test]
    fn every_state_changing_method_is_checked() {
        let cross = value("cross-site");
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert_eq!(
                decide(&method, Some(&cross), None, None),
                Decision::CrossSite
            );
        }
        let origin = value("http://evil.example");
        assert_eq!(
            decide(&Method::DELETE, None, Some(&origin), None),
            Decision::ForeignOrigin,
            "no Host to compare with"
        );
    }
}
