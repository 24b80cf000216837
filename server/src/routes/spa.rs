//! The built SPA, served from its dist folder with a history fallback.
//!
//! Any non-`/api` path that is not a file gets the page of the bundle that
//! answers it ([`Entry::for_path`]: `index.html` for the directory,
//! `apps/hr/index.html` for HR's desk...), so each bundle's router can answer
//! deep links such as `/people/5` or `/hr/people/7`. Before the SPA is built
//! the server still runs and says how to build it.
//!
//! Both pages leave the hashes of their inline scripts and styles for the
//! Content-Security-Policy (see [`crate::security::csp`]), computed from the
//! bytes served, so a rebuilt SPA's new inline script is allowed at once.

use crate::security::csp::InlineHashes;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use lanyard_wire::Entry;
use std::path::PathBuf;
use tower_http::services::ServeDir;

const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Lanyard</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}</style>\
</head><body>\
<h1>Lanyard's web app has not been built yet</h1>\
<p>The server is running, but the folder it serves the app from has no <code>index.html</code>. \
Build the SPA (see the README's run command, or run <code>bash scripts/build-spa.sh</code> in the repository) \
and reload this page. The API under <code>/api</code> works already.</p></body></html>";

/// The SPA router: static files from `spa_dir`, the page of the bundle that
/// answers the path for the rest.
pub fn router<S: Clone + Send + Sync + 'static>(spa_dir: PathBuf) -> Router<S> {
    let dir = spa_dir.clone();
    let index = move |uri: Uri| {
        // A missing bundle page answers "not built" rather than another
        // bundle's page, whose router would send the path straight back.
        let page = dir.join(Entry::for_path(uri.path()).html_file());
        async move { index_page(page).await }
    };
    let files = ServeDir::new(spa_dir)
        // `/` and `/index.html` are the page itself: answered by
        // `index_page` (below), which also hashes its inline script.
        .append_index_html_on_directories(false)
        .fallback(index.clone().into_service());
    Router::new()
        .route("/", get(index.clone()))
        .route("/index.html", get(index))
        .fallback_service(files)
}

/// A bundle's page, read on every request so a rebuilt SPA shows up at once.
async fn index_page(index_file: PathBuf) -> Response {
    match tokio::fs::read(&index_file).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                // The page names hashed asset files: always revalidate it.
                (header::CACHE_CONTROL, "no-cache"),
            ],
            axum::Extension(InlineHashes::of_html(&bytes)),
            bytes,
        )
            .into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Extension(InlineHashes::of_html(NOT_BUILT.as_bytes())),
            Html(NOT_BUILT),
        )
            .into_response(),
    }
}
