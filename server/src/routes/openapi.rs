//! `GET /api/openapi.json`: the API's OpenAPI description ([`crate::openapi`]).
//! No session needed: it describes the API, it grants nothing.

use crate::state::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::sync::LazyLock;

/// Built once: the document depends on the code only.
static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    serde_json::to_string(&crate::openapi::document()).expect("the OpenAPI document serializes")
});

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi_json))
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object))
)]
pub(crate) async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}
