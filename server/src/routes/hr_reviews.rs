//! HR's photo review queue and erasure requests. Every route takes an
//! [`HrUser`]: 401 without a session, 403 for employees, before anything
//! else is read. The work is in [`crate::uploads::review`].
//!
//! - `GET    /hr/reviews`                      → 200 [`ReviewQueue`]
//! - `POST   /hr/reviews/{version}/approve`    → 204, or 409 / 404
//! - `POST   /hr/reviews/{version}/reject`     → 204 ([`RejectRequest`]), or 400 / 409 / 404
//! - `DELETE /hr/people/{id}/photo`            → 204, every version and object gone
//!
//! The queue is the one place a pending photo is signed for someone other
//! than its owner, with the short review lifetime (`LANYARD_REVIEW_TTL`).

use crate::audit::{Entry, Grants};
use crate::auth::HrUser;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, ClientIp, Now};
use crate::state::AppState;
use crate::uploads::review::Reviewer;
use axum::extract::State;
use axum::http::StatusCode;
use lanyard_wire::{
    AuditAction, EmployeeId, PendingReview, PhotoSize, RejectRequest, ReviewQueue, Timestamp,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(approve))
        .routes(routes!(reject))
        .routes(routes!(erase))
}

#[utoipa::path(
    get,
    path = "/hr/reviews",
    tag = "hr",
    responses(
        (status = 200, description = "Pending photos, oldest first", body = lanyard_wire::ReviewQueue),
        crate::openapi::HrOnly,
        crate::openapi::RateLimited,
    ),
    security(("session" = [])),
)]
async fn queue(
    State(state): State<AppState>,
    HrUser(user): HrUser,
    ClientIp(ip): ClientIp,
    now: Now,
) -> AppResult<AppJson<ReviewQueue>> {
    let rows = state.uploads.review_queue().await?;
    let signer = &state.review_photos;
    let mut grants = Grants::new("the review queue");
    let mut pending = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(proposed) = signer.sign_version(&row.version_id, PhotoSize::Profile, now.0) else {
            continue;
        };
        grants.granted(row.employee_id, Some(&row.version_id));
        let current = row
            .current_version
            .as_deref()
            .and_then(|v| signer.sign_version(v, PhotoSize::Profile, now.0));
        if current.is_some() {
            grants.granted(row.employee_id, row.current_version.as_deref());
        }
        pending.push(PendingReview {
            version_id: row.version_id,
            person: EmployeeId(row.employee_id),
            name: row.name,
            title: row.title,
            department: row.department,
            submitted_at: Timestamp(row.created_at),
            proposed,
            current,
        });
    }
    crate::limits::grant(&state.limits, &state.audit, user.id.0, ip, now, grants).await?;
    Ok(AppJson(ReviewQueue {
        server_time: now.timestamp(),
        pending,
    }))
}

#[utoipa::path(
    post,
    path = "/hr/reviews/{version}/approve",
    tag = "hr",
    params(("version" = String, Path, description = "A photo version id (32 lowercase hex digits)")),
    responses(
        (status = 204, description = "The version is now the person's photo"),
        crate::openapi::HrOnly,
        crate::openapi::NotFound,
        crate::openapi::Conflict,
    ),
    security(("session" = [])),
)]
async fn approve(
    State(state): State<AppState>,
    HrUser(user): HrUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppPath(version): AppPath<String>,
) -> AppResult<StatusCode> {
    let by = Reviewer { id: user.id.0, ip };
    state.uploads.approve(&version, &by, now.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/hr/reviews/{version}/reject",
    tag = "hr",
    params(("version" = String, Path, description = "A photo version id (32 lowercase hex digits)")),
    request_body = lanyard_wire::RejectRequest,
    responses(
        (status = 204, description = "The version is rejected with the reason"),
        crate::openapi::JsonBodyErrors,
        crate::openapi::HrOnly,
        crate::openapi::NotFound,
        crate::openapi::Conflict,
    ),
    security(("session" = [])),
)]
async fn reject(
    State(state): State<AppState>,
    HrUser(user): HrUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppPath(version): AppPath<String>,
    AppJson(request): AppJson<RejectRequest>,
) -> AppResult<StatusCode> {
    let by = Reviewer { id: user.id.0, ip };
    state
        .uploads
        .reject(&version, &request.reason, &by, now.0)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    delete,
    path = "/hr/people/{id}/photo",
    tag = "hr",
    params(("id" = i64, Path, description = "A person id")),
    responses(
        (status = 204, description = "Every version of the person's photo and its objects are gone"),
        crate::openapi::BadRequest,
        crate::openapi::HrOnly,
        crate::openapi::NotFound,
    ),
    security(("session" = [])),
)]
async fn erase(
    State(state): State<AppState>,
    HrUser(user): HrUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<StatusCode> {
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::bad_request("A person id is a whole number."))?;
    // `delete_all` names the subject and the versions.
    let entry = Entry {
        actor: Some(user.id.0),
        action: AuditAction::PhotoErased,
        subjects: Vec::new(),
        detail: String::new(),
        ip,
    };
    state.uploads.delete_all(id, entry, now.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
