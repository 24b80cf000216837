//! `POST /api/photos/urls`: fresh URLs for a batch of people's photos.
//!
//! The SPA coalesces refreshes of expiring or failed images into one call.
//! Only people the caller may see are answered; a person without a visible
//! photo gets `photo: null`.

use crate::audit::Grants;
use crate::auth::CurrentUser;
use crate::directory;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, ClientIp, Now};
use crate::state::AppState;
use axum::extract::State;
use lanyard_wire::{
    EmployeeId, PersonPhotoUrl, PhotoUrlsRequest, PhotoUrlsResponse, MAX_PHOTO_BATCH,
};
use std::collections::HashSet;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(photo_urls))
}

/// The distinct ids of a batch in first-seen order, refusing an empty or
/// oversized batch.
fn distinct_ids(request: &PhotoUrlsRequest) -> AppResult<Vec<i64>> {
    if request.people.is_empty() {
        return Err(AppError::bad_request("Ask for at least one person."));
    }
    if request.people.len() > MAX_PHOTO_BATCH {
        return Err(AppError::bad_request(format!(
            "Ask for at most {MAX_PHOTO_BATCH} people at a time."
        )));
    }
    let mut seen = HashSet::with_capacity(request.people.len());
    Ok(request
        .people
        .iter()
        .map(|id| id.0)
        .filter(|id| seen.insert(*id))
        .collect())
}

#[utoipa::path(
    post,
    path = "/photos/urls",
    tag = "photos",
    request_body = lanyard_wire::PhotoUrlsRequest,
    responses(
        (status = 200, description = "Fresh URLs for the visible people asked about", body = lanyard_wire::PhotoUrlsResponse),
        crate::openapi::JsonBodyErrors,
        crate::openapi::Unauthenticated,
        crate::openapi::RateLimited,
    ),
    security(("session" = [])),
)]
async fn photo_urls(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppJson(request): AppJson<PhotoUrlsRequest>,
) -> AppResult<AppJson<PhotoUrlsResponse>> {
    let ids = distinct_ids(&request)?;
    let rows = directory::people_by_ids(&state.db, &ids).await?;
    let mut grants = Grants::new("refreshed photos");
    let urls = rows
        .into_iter()
        .map(|row| PersonPhotoUrl {
            person: EmployeeId(row.id),
            photo: grants.sign(&state.photos, row.id, &row.photo, request.size, now.0),
        })
        .collect();
    crate::limits::grant(&state.limits, &state.audit, user.id.0, ip, now, grants).await?;
    Ok(AppJson(PhotoUrlsResponse {
        server_time: now.timestamp(),
        urls,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanyard_wire::PhotoSize;

    fn request(ids: impl IntoIterator<Item = i64>) -> PhotoUrlsRequest {
        PhotoUrlsRequest {
            people: ids.into_iter().map(EmployeeId).collect(),
            size: PhotoSize::Thumb,
        }
    }

    #[test]
    fn duplicates_are_asked_once_in_order() {
        assert_eq!(distinct_ids(&request([3, 1, 3, 2, 1])).unwrap(), [3, 1, 2]);
    }

    #[test]
    fn an_empty_batch_is_refused() {
        assert!(distinct_ids(&request([])).is_err());
    }

    #[test]
    fn an_oversized_batch_is_refused() {
        let max = i64::try_from(MAX_PHOTO_BATCH).unwrap();
        assert!(distinct_ids(&request(1..=max)).is_ok());
        assert!(distinct_ids(&request(1..=max + 1)).is_err());
    }
}
