//! The audit log for HR: `GET /hr/audit` → [`AuditPage`] (newest first,
//! paged by the `before` cursor) and `GET /hr/audit.csv` → every matching
//! entry as CSV, streamed. Both take an [`HrUser`].

use crate::audit::export;
use crate::audit::query::{self, Filter};
use crate::auth::HrUser;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppQuery, Now};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt as _;
use lanyard_wire::{AuditExportQuery, AuditPage, AuditQuery};
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
    let filter = Filter::of(&query).map_err(AppError::BadRequest)?;
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
    params(lanyard_wire::AuditExportQuery),
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
    AppQuery(query): AppQuery<AuditExportQuery>,
) -> AppResult<Response> {
    let filter = Filter::of_export(&query).map_err(AppError::BadRequest)?;
    let rows = export::csv_stream(state.db.clone(), filter).inspect_err(|error| {
        tracing::error!(
            error = format!("{error:#}"),
            "the audit export failed midway"
        );
    });
    let body = Body::from_stream(rows.map_err(|e| std::io::Error::other(format!("{e:#}"))));
    let response = (
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
    Ok(response)
}
