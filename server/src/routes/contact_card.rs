//! `GET /api/people/{id}/vcard`: "Add to contacts". A download is recorded
//! in the audit log like a photo URL grant (who took whose details, when,
//! from where) and counts against the person's photo URL budget, so contact
//! cards cannot be harvested faster than photos.

use super::people::person_id;
use crate::audit::{Entry, Subject};
use crate::auth::CurrentUser;
use crate::directory::{self, vcard};
use crate::error::{AppError, AppResult};
use crate::extract::{AppPath, ClientIp, Now};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use lanyard_wire::AuditAction;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(contact_card))
}

#[utoipa::path(
    get,
    path = "/people/{id}/vcard",
    tag = "directory",
    params(("id" = i64, Path, description = "A person id")),
    responses(
        (status = 200, description = "The person's contact card (vCard 4.0, no photo)", content_type = "text/vcard", body = String),
        crate::openapi::BadRequest,
        crate::openapi::Unauthenticated,
        crate::openapi::NotFound,
        crate::openapi::RateLimited,
    ),
    security(("session" = [])),
)]
async fn contact_card(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<Response> {
    let id = person_id(&id)?;
    let row = directory::person(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    state.limits.urls(user.id.0, 1, now.timestamp().0).await?;
    let text = vcard::render(&vcard::Card {
        name: &row.person.name,
        title: &row.person.title,
        organization: &state.organization.0,
        department: &row.person.department,
        email: &row.email,
        phone: &row.phone,
        location: &row.person.location,
    });
    let entry = Entry {
        actor: Some(user.id.0),
        action: AuditAction::ContactCardDownloaded,
        subjects: vec![Subject {
            employee_id: id,
            photo_version_id: None,
        }],
        detail: format!("Downloaded the contact card of {}.", row.person.name),
        ip,
    };
    // Recorded before the card leaves, like a grant.
    state.audit.record(now.timestamp(), entry).await?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        vcard::file_name(&row.person.name)
    );
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/vcard; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
