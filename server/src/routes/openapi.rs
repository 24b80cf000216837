//! `GET /api/openapi.json`: the API's OpenAPI description, built with the
//! routes (`super::api_document`). No session needed: it describes the
//! API, it grants nothing.

use crate::state::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Extension;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The document as served, serialized once when the router is built.
#[derive(Debug, Clone)]
pub struct ApiDocument(pub Arc<str>);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object))
)]
async fn openapi_json(Extension(ApiDocument(json)): Extension<ApiDocument>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        json.to_string(),
    )
}
