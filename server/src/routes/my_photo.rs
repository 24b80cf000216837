//! `/api/me/photo`: one's own photo and uploading a new one. Every route
//! acts on the signed-in person's own versions only; there is no person id
//! in any path, and an upload id of someone else answers 404 like an
//! unknown one. The work is in [`crate::uploads`].
//!
//! - `GET    /me/photo`                        → 200 [`MyPhoto`]
//! - `DELETE /me/photo`                        → 204, every version and object gone
//! - `POST   /me/photo/uploads`                → 201 [`UploadTicket`]
//! - `POST   /me/photo/uploads/{id}/url`       → 200 [`UploadTicket`] (a fresh URL)
//! - `POST   /me/photo/uploads/{id}/complete`  → 200 [`MyPhoto`], or 422 `invalid_image`
//! - `DELETE /me/photo/uploads/{id}`           → 204, cancelled

use crate::audit::{Entry, Grants, Subject};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, ClientIp, Now};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use lanyard_wire::{AuditAction, MyPhoto, UploadRequest, UploadTicket};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_photo, delete_photo))
        .routes(routes!(begin_upload))
        .routes(routes!(renew_url))
        .routes(routes!(complete_upload))
        .routes(routes!(cancel_upload))
}

#[utoipa::path(
    get,
    path = "/me/photo",
    tag = "photos",
    responses(
        (status = 200, description = "One's own photo versions and the upload limits", body = lanyard_wire::MyPhoto),
        crate::openapi::Unauthenticated,
        crate::openapi::RateLimited,
    ),
    security(("session" = [])),
)]
async fn my_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
) -> AppResult<AppJson<MyPhoto>> {
    let photo = state
        .uploads
        .my_photo(user.id.0, &state.photos, now.0)
        .await?;
    let grants = own_grants(&user, &photo);
    crate::limits::grant(&state.limits, &state.audit, user.id.0, ip, now, grants).await?;
    Ok(AppJson(photo))
}

/// The URLs of one's own photo versions in `photo`, for the audit log.
fn own_grants(user: &CurrentUser, photo: &MyPhoto) -> Grants {
    let mut grants = Grants::new("their own photo");
    for version in [&photo.current, &photo.latest].into_iter().flatten() {
        if version.photo.is_some() {
            grants.granted(user.id.0, Some(&version.id));
        }
    }
    grants
}

/// Records an upload step on `version` by its owner.
async fn record_step(
    state: &AppState,
    user: &CurrentUser,
    ip: Option<String>,
    now: Now,
    action: AuditAction,
    version: &str,
) -> AppResult<()> {
    let entry = Entry {
        actor: Some(user.id.0),
        action,
        subjects: vec![Subject {
            employee_id: user.id.0,
            photo_version_id: Some(version.to_owned()),
        }],
        detail: format!("Photo version {version}."),
        ip,
    };
    state.audit.record(now.timestamp(), entry).await
}

#[utoipa::path(
    delete,
    path = "/me/photo",
    tag = "photos",
    responses(
        (status = 204, description = "Every version of one's photo and its objects are gone"),
        crate::openapi::Unauthenticated,
    ),
    security(("session" = [])),
)]
async fn delete_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
) -> AppResult<StatusCode> {
    // `delete_all` names the subject and the versions.
    let entry = Entry {
        actor: Some(user.id.0),
        action: AuditAction::PhotoDeleted,
        subjects: Vec::new(),
        detail: String::new(),
        ip,
    };
    state.uploads.delete_all(user.id.0, entry, now.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/me/photo/uploads",
    tag = "photos",
    request_body = lanyard_wire::UploadRequest,
    responses(
        (status = 201, description = "Where and how to PUT the file", body = lanyard_wire::UploadTicket),
        crate::openapi::JsonBodyErrors,
        crate::openapi::Unauthenticated,
        crate::openapi::Conflict,
        crate::openapi::RateLimited,
    ),
    security(("session" = [])),
)]
async fn begin_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppJson(request): AppJson<UploadRequest>,
) -> AppResult<(StatusCode, AppJson<UploadTicket>)> {
    state.limits.upload(user.id.0, now).await?;
    let ticket = state.uploads.begin(user.id.0, &request, now.0).await?;
    let started = AuditAction::UploadStarted;
    record_step(&state, &user, ip, now, started, &ticket.upload_id).await?;
    Ok((StatusCode::CREATED, AppJson(ticket)))
}

#[utoipa::path(
    post,
    path = "/me/photo/uploads/{id}/url",
    tag = "photos",
    params(("id" = String, Path, description = "An upload id (32 lowercase hex digits)")),
    responses(
        (status = 200, description = "A fresh PUT URL for the same upload", body = lanyard_wire::UploadTicket),
        crate::openapi::Unauthenticated,
        crate::openapi::NotFound,
        crate::openapi::Conflict,
        crate::openapi::RateLimited,
    ),
    security(("session" = [])),
)]
async fn renew_url(
    State(state): State<AppState>,
    user: CurrentUser,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<UploadTicket>> {
    state.limits.upload(user.id.0, now).await?;
    let ticket = state.uploads.renew(user.id.0, &id, now.0).await?;
    Ok(AppJson(ticket))
}

#[utoipa::path(
    post,
    path = "/me/photo/uploads/{id}/complete",
    tag = "photos",
    params(("id" = String, Path, description = "An upload id (32 lowercase hex digits)")),
    responses(
        (status = 200, description = "The upload is checked and pending review", body = lanyard_wire::MyPhoto),
        crate::openapi::Unauthenticated,
        crate::openapi::NotFound,
        crate::openapi::Conflict,
        (status = 422, description = "The uploaded file is not an image Lanyard accepts", body = lanyard_wire::ApiError),
        crate::openapi::RateLimited,
    ),
    security(("session" = [])),
)]
async fn complete_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<MyPhoto>> {
    state.limits.upload(user.id.0, now).await?;
    state.uploads.complete(user.id.0, &id, now.0).await?;
    let completed = AuditAction::UploadCompleted;
    record_step(&state, &user, ip.clone(), now, completed, &id).await?;
    let photo = state
        .uploads
        .my_photo(user.id.0, &state.photos, now.0)
        .await?;
    // The upload limit counted this request: its URLs are not counted again.
    let grants = own_grants(&user, &photo);
    state
        .audit
        .urls_granted(now.timestamp(), user.id.0, ip, grants)
        .await?;
    Ok(AppJson(photo))
}

#[utoipa::path(
    delete,
    path = "/me/photo/uploads/{id}",
    tag = "photos",
    params(("id" = String, Path, description = "An upload id (32 lowercase hex digits)")),
    responses(
        (status = 204, description = "The upload is cancelled"),
        crate::openapi::Unauthenticated,
        crate::openapi::NotFound,
        crate::openapi::Conflict,
    ),
    security(("session" = [])),
)]
async fn cancel_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<StatusCode> {
    state.uploads.cancel(user.id.0, &id, now.0).await?;
    let cancelled = AuditAction::UploadCancelled;
    record_step(&state, &user, ip, now, cancelled, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
