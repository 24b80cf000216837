//! `GET /api/health`: the server is up and answering.

use crate::state::AppState;
use axum::Json;
use serde_json::{json, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// Whether the server is up: always `{"status": "ok"}`.
#[utoipa::path(
    get,
    path = "/health",
    tag = "meta",
    responses((status = 200, description = "The server is answering", body = Object, example = json!({"status": "ok"})))
)]
async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}
