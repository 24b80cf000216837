//! The audit log for HR: `GET /hr/audit` → [`AuditPage`] (newest first,
//! paged by the `before` cursor) and `GET /hr/audit.csv` → every matching
//! entry as CSV (at most [`MAX_EXPORT_ROWS`]). Both take an [`HrUser`].

use crate::audit::export::{self, MAX_EXPORT_ROWS};
use crate::audit::query::{self, Filter};
use crate::auth::HrUser;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppQuery, Now};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use lanyard_wire::{AuditPage, AuditQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(page))
        .routes(routes!(csv))
}

#[utoipa::path(
    get,
    path = "/hr/audit",
    tag = "hr",
    params(lanyard_wire::AuditQuery),
    responses(
        (status = 200, description = "Audit entries, newest first", body = lanyard_wire::AuditPage),
        crate::openapi::BadRequest,
        crate::openapi::HrOnly,
    ),
    security(("session" = [])),
)]
async fn page(
    State(state): State<AppState>,
    _hr: HrUser,
    now: Now,
    AppQuery(query): AppQuery<AuditQuery>,
) -> AppResult<AppJson<AuditPage>> {
    let limit = query::page_size(&query).map_err(AppError::BadRequest)?;
    let filter = Filter::of(&query);
    let (entries, more) = query::entries(&state.db, &filter, query.before, limit).await?;
    let next = if more {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(AppJson(AuditPage {
        server_time: now.timestamp(),
        entries,
        next,
    }))
}

#[utoipa::path(
    get,
    path = "/hr/audit.csv",
    tag = "hr",
    params(lanyard_wire::AuditQuery),
    responses(
        (status = 200, description = "Every matching entry as CSV (an attachment)", content_type = "text/csv", body = String),
        crate::openapi::BadRequest,
        crate::openapi::HrOnly,
    ),
    security(("session" = [])),
)]
async fn csv(
    State(state): State<AppState>,
    _hr: HrUser,
    AppQuery(query): AppQuery<AuditQuery>,
) -> AppResult<Response> {
    let (body, truncated) = export::csv(&state.db, &Filter::of(&query)).await?;
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"lanyard-audit.csv\"",
            ),
            // Who saw whose photo: not for any cache.
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response();
    if truncated {
        tracing::warn!(rows = MAX_EXPORT_ROWS, "audit export stopped at its limit");
        response.headers_mut().insert(
            "x-lanyard-truncated",
            header::HeaderValue::from_static("true"),
        );
    }
    Ok(response)
}
