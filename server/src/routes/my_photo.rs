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

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, Now};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use lanyard_wire::{MyPhoto, UploadRequest, UploadTicket};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/photo", get(my_photo).delete(delete_photo))
        .route("/me/photo/uploads", post(begin_upload))
        .route("/me/photo/uploads/{id}/url", post(renew_url))
        .route("/me/photo/uploads/{id}/complete", post(complete_upload))
        .route("/me/photo/uploads/{id}", delete(cancel_upload))
}

async fn my_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    now: Now,
) -> AppResult<AppJson<MyPhoto>> {
    let photo = state
        .uploads
        .my_photo(user.id.0, &state.photos, now.0)
        .await?;
    Ok(AppJson(photo))
}

async fn delete_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    now: Now,
) -> AppResult<StatusCode> {
    state.uploads.delete_all(user.id.0, now.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn begin_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    now: Now,
    AppJson(request): AppJson<UploadRequest>,
) -> AppResult<(StatusCode, AppJson<UploadTicket>)> {
    let ticket = state.uploads.begin(user.id.0, &request, now.0).await?;
    Ok((StatusCode::CREATED, AppJson(ticket)))
}

async fn renew_url(
    State(state): State<AppState>,
    user: CurrentUser,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<UploadTicket>> {
    let ticket = state.uploads.renew(user.id.0, &id, now.0).await?;
    Ok(AppJson(ticket))
}

async fn complete_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<MyPhoto>> {
    state.uploads.complete(user.id.0, &id, now.0).await?;
    let photo = state
        .uploads
        .my_photo(user.id.0, &state.photos, now.0)
        .await?;
    Ok(AppJson(photo))
}

async fn cancel_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<StatusCode> {
    state.uploads.cancel(user.id.0, &id, now.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
