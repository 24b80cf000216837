//! Browser hardening: the headers every answer carries, and the CSRF check
//! on state-changing API requests.
//!
//! Every answer (API, SPA files, `index.html`, 404s) gets:
//! - `Content-Security-Policy` (see [`csp`]);
//! - `X-Frame-Options: DENY`, for browsers older than `frame-ancestors`;
//! - `Referrer-Policy: no-referrer`: photo URLs are credentials until they
//!   expire, and must not reach another site in a `Referer`;
//! - `X-Content-Type-Options: nosniff`;
//! - `Cross-Origin-Opener-Policy: same-origin`: a page that opens Lanyard
//!   gets no handle on its window.

/// The Content-Security-Policy.
pub mod csp;
/// The Fetch-Metadata CSRF check.
pub mod csrf;
/// The client's address behind trusted proxies.
pub mod forwarded;

use axum::http::header::{
    HeaderName, HeaderValue, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::{middleware, Router};
use csp::ContentSecurityPolicy;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

/// `router` with the hardening headers on every answer.
pub fn with_headers(router: Router, policy: ContentSecurityPolicy) -> Router {
    let fixed = [
        (X_FRAME_OPTIONS, "DENY"),
        (REFERRER_POLICY, "no-referrer"),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    let router = router.layer(middleware::from_fn_with_state(
        Arc::new(policy),
        csp::set_policy,
    ));
    fixed.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ))
    })
}
