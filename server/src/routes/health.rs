//! For load balancers and scripts: `GET /api/health`, the process is up and
//! answering; `GET /api/ready`, it can also serve (the database and the
//! object store answer). A load balancer routes only to ready replicas.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The longest a readiness check waits for either dependency.
const READY_TIMEOUT: Duration = Duration::from_secs(3);
/// The key probed in the store (never written: a 404 is an answer).
const PROBE_KEY: &str = "ready/probe";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(ready))
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

/// Whether the server can serve: the database and the store answer.
#[utoipa::path(
    get,
    path = "/ready",
    tag = "meta",
    responses(
        (status = 200, description = "The database and the store answer", body = Object, example = json!({"status": "ready", "database": "ok", "store": "ok"})),
        (status = 503, description = "The database or the store does not answer (which one says so)", body = Object, example = json!({"status": "not ready", "database": "ok", "store": "unreachable"})),
    )
)]
async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database = tokio::time::timeout(READY_TIMEOUT, state.db.ping()).await;
    let store = tokio::time::timeout(READY_TIMEOUT, state.uploads.store().exists(PROBE_KEY)).await;
    let database_ok = matches!(database, Ok(Ok(())));
    let store_ok = matches!(store, Ok(Ok(_)));
    if !database_ok || !store_ok {
        tracing::warn!(database_ok, store_ok, "not ready");
    }
    let word = |ok: bool| if ok { "ok" } else { "unreachable" };
    let status = if database_ok && store_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if status == StatusCode::OK { "ready" } else { "not ready" },
        "database": word(database_ok),
        "store": word(store_ok),
    });
    (status, Json(body))
}
