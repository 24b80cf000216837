//! The HTTP surface: `/api` and the SPA, assembled into one router.

/// "Add to contacts": a person's vCard.
pub mod contact_card;
/// `GET /api/health`, for scripts and load balancers.
pub mod health;
/// HR's audit log view and CSV export.
pub mod hr_audit;
/// HR's locations and their time zones.
pub mod hr_locations;
/// HR's people admin and CSV import.
pub mod hr_people;
/// HR's photo review queue and erasure.
pub mod hr_reviews;
/// One's own photo: uploads, completion, deletion.
pub mod my_photo;
/// `GET /api/openapi.json`: the API's description.
pub mod openapi;
/// The org chart: chains of managers and pages of reports.
pub mod org;
/// The directory: search, profiles, filter values.
pub mod people;
/// Batch re-signing of photo URLs.
pub mod photos;
/// Sign-in, sign-out, `me`.
pub mod session;
/// One-time sign-in links: made by HR, used to set a password.
pub mod sign_in_links;
/// The built SPA with history fallback.
pub mod spa;
/// Single sign-on: off to the identity provider and back.
pub mod sso;
/// `server-timing` on directory answers.
pub mod timing;

/// Every route is documented: the guard for routes added some other way.
mod documented;

use crate::auth::{SessionMaxAge, Sessions};
use crate::error::{api_method_not_allowed, api_not_found, log_app_errors};
use crate::extract::server_time;
use crate::security::forwarded::TrustedProxies;
use crate::security::{self, csp::ContentSecurityPolicy, csrf};
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware;
use axum::routing::any;
use axum::{Extension, Router};
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::SessionManagerLayer;
use utoipa_axum::router::OpenApiRouter;

pub use documented::{operations, Operation};

/// The API accepts no body larger than this (sign-in and photo batches are tiny).
pub const API_BODY_LIMIT: usize = 64 * 1024;

/// How the app guards its users' browsers and sessions.
#[derive(Debug, Clone)]
pub struct Hardening {
    pub csp: ContentSecurityPolicy,
    pub session_max_age: SessionMaxAge,
    /// Whose forwarding headers name the client.
    pub proxies: TrustedProxies,
    /// This replica's name, on every answer (`x-lanyard-replica`).
    pub replica: HeaderValue,
}

/// Every route module's routes, each registered with its OpenAPI
/// operation (`routes!`), relative to `/api`.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(health::router())
        .merge(session::router())
        .merge(sso::router())
        .merge(sign_in_links::router())
        .merge(people::router())
        .merge(org::router())
        .merge(contact_card::router())
        .merge(photos::router())
        .merge(my_photo::router())
        .merge(hr_people::router())
        .merge(hr_locations::router())
        .merge(hr_reviews::router())
        .merge(hr_audit::router())
        .merge(openapi::router())
}

/// The API's OpenAPI document: the shared parts ([`crate::openapi::base`])
/// and an operation for every route the router serves, read off the router.
pub fn api_document() -> utoipa::openapi::OpenApi {
    document_of(api_routes().into_openapi())
}

/// The whole document around the routes' operations: the shared parts, and
/// the response schemas that differ from the request's (`lanyard_wire::schema`).
fn document_of(paths: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut document = crate::openapi::base().nest("/api", paths);
    lanyard_wire::schema::with_stored_person_fields(&mut document);
    let zones = crate::directory::locations::zone_names();
    lanyard_wire::schema::with_time_zones(&mut document, zones.iter().map(String::as_str));
    document
}

/// `/api`: every route module, the session layer, JSON 404s and 405s, and
/// the CSRF check before anything else (a refused request loads no session).
pub fn api_router(
    sessions: SessionManagerLayer<Sessions>,
    session_max_age: SessionMaxAge,
    upload_max_bytes: u64,
) -> Router<AppState> {
    let (routes, paths) = api_routes().split_for_parts();
    let mut document = document_of(paths);
    // The one limit that is a setting: the served document states this
    // server's, so a client (and schemathesis) knows it before asking.
    lanyard_wire::schema::with_upload_limit(&mut document, upload_max_bytes);
    let operations = Arc::new(documented::operations(&document));
    let json: Arc<str> = serde_json::to_string(&document)
        .expect("the OpenAPI document serializes")
        .into();
    routes
        .route_layer(middleware::from_fn_with_state(
            operations,
            documented::refuse_undocumented,
        ))
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_method_not_allowed)
        .layer(Extension(openapi::ApiDocument(json)))
        .layer(sessions)
        .layer(Extension(session_max_age))
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT))
        .layer(middleware::from_fn(log_app_errors))
        .layer(middleware::from_fn(csrf::refuse_cross_site))
}

/// The whole application: `/api`, the SPA, and what every answer carries.
pub fn app(
    state: AppState,
    sessions: SessionManagerLayer<Sessions>,
    spa_dir: PathBuf,
    hardening: Hardening,
) -> Router {
    let router = Router::new()
        .nest(
            "/api",
            api_router(
                sessions,
                hardening.session_max_age,
                state.uploads.settings().max_bytes,
            ),
        )
        // `nest` matches `/api` and `/api/...` but not `/api/` itself, which
        // would otherwise fall through to the SPA (HTML, or a bare 405).
        .route("/api/", any(api_not_found))
        .nest("/scim/v2", crate::scim::router())
        .merge(spa::router(spa_dir))
        .with_state(state);
    security::with_headers(router, hardening.csp)
        .layer(Extension(Arc::new(hardening.proxies)))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-lanyard-replica"),
            hardening.replica,
        ))
        .layer(middleware::from_fn(server_time))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            // The path only: query strings are not logged.
            tracing::info_span!("http", method = %request.method(), path = %request.uri().path())
        }))
}
