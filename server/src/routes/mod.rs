//! The HTTP surface: `/api` and the SPA, assembled into one router.

/// `GET /api/health`, for scripts and load balancers.
pub mod health;
/// One's own photo: uploads, completion, deletion.
pub mod my_photo;
/// The directory: search, profiles, filter values.
pub mod people;
/// Batch re-signing of photo URLs.
pub mod photos;
/// Sign-in, sign-out, `me`.
pub mod session;
/// The built SPA with history fallback.
pub mod spa;

use crate::error::{api_method_not_allowed, api_not_found, log_app_errors};
use crate::extract::server_time;
use crate::session_store::Sessions;
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::header::{HeaderName, HeaderValue};
use axum::middleware;
use axum::routing::any;
use axum::Router;
use std::path::PathBuf;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::SessionManagerLayer;

/// The API accepts no body larger than this (sign-in and photo batches are tiny).
pub const API_BODY_LIMIT: usize = 64 * 1024;

/// `/api`: every route module, the session layer, JSON 404s and 405s.
pub fn api_router(sessions: SessionManagerLayer<Sessions>) -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(session::router())
        .merge(people::router())
        .merge(photos::router())
        .merge(my_photo::router())
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_method_not_allowed)
        .layer(sessions)
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT))
        .layer(middleware::from_fn(log_app_errors))
}

/// The whole application: `/api`, the SPA, and what every answer carries.
pub fn app(state: AppState, sessions: SessionManagerLayer<Sessions>, spa_dir: PathBuf) -> Router {
    Router::new()
        .nest("/api", api_router(sessions))
        // `nest` matches `/api` and `/api/...` but not `/api/` itself, which
        // would otherwise fall through to the SPA (HTML, or a bare 405).
        .route("/api/", any(api_not_found))
        .merge(spa::router(spa_dir))
        .with_state(state)
        // Photo URLs are credentials until they expire: never send them
        // (or anything else) to another site in a Referer.
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .layer(middleware::from_fn(server_time))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            // The path only: query strings are not logged.
            tracing::info_span!("http", method = %request.method(), path = %request.uri().path())
        }))
}
