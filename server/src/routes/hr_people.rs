//! HR's people admin: `/api/hr/people…` and `/api/hr/import`.
//!
//! Every handler takes [`HrUser`]: 401 without a session, 403 for an
//! employee, before anything else is looked at. The work is in
//! [`crate::admin`]; this file is HTTP only.

use crate::admin::edit::{self, Actor};
use crate::admin::{import, people};
use crate::auth::HrUser;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, ClientIp, Now};
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use lanyard_wire::{
    AdminPeoplePage, AdminPeopleQuery, ImportReport, ImportRequest, PersonFields, PersonRecord,
    MAX_IMPORT_BYTES,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The import's JSON body may be larger than the file it carries: every
/// `"` and newline of the CSV takes two characters in a JSON string. The
/// file itself is held to [`MAX_IMPORT_BYTES`] once decoded.
pub const IMPORT_BODY_LIMIT: usize = 2 * MAX_IMPORT_BYTES + 64 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    // A router of its own, so its larger body limit is for it alone: the
    // rest of the API keeps its small one.
    let import = OpenApiRouter::new()
        .routes(routes!(import_csv))
        .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT));
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update))
        .routes(routes!(deactivate))
        .routes(routes!(reactivate))
        .merge(import)
}

fn actor(user: &HrUser, ip: ClientIp) -> Actor {
    Actor::Person {
        id: user.0.id.0,
        ip: ip.0,
    }
}

/// A person id from the path, refused in plain words when it is not one.
fn person_id(raw: &str) -> AppResult<i64> {
    raw.parse().map_err(|_| {
        AppError::bad_request("A person id is a whole number, like /api/hr/people/42.")
    })
}

#[utoipa::path(
    get,
    path = "/hr/people",
    operation_id = "hr_list_people",
    tag = "hr",
    params(lanyard_wire::AdminPeopleQuery),
    responses(
        (status = 200, description = "A page of people, active or not", body = lanyard_wire::AdminPeoplePage),
        crate::openapi::BadRequest,
        crate::openapi::HrOnly,
    ),
    security(("session" = [])),
)]
async fn list(
    State(state): State<AppState>,
    _user: HrUser,
    now: Now,
    AppQuery(query): AppQuery<AdminPeopleQuery>,
) -> AppResult<AppJson<AdminPeoplePage>> {
    let page = query.page.unwrap_or(1);
    if page == 0 {
        return Err(AppError::bad_request("page starts at 1."));
    }
    if let Some(q) = query.q.as_deref() {
        lanyard_wire::check_text(q).map_err(|problem| {
            AppError::bad_request(format!("The search text {}", problem.describe()))
        })?;
    }
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let status = query.status.unwrap_or_default();
    let (people, total) = people::list(&state.db, q, status, page).await?;
    Ok(AppJson(AdminPeoplePage {
        server_time: now.timestamp(),
        people,
        total,
        page,
        per_page: people::ADMIN_PAGE_SIZE,
    }))
}

#[utoipa::path(
    get,
    path = "/hr/people/{id}",
    tag = "hr",
    params(("id" = i64, Path, description = "A person id")),
    responses(
        (status = 200, description = "A person's record", body = lanyard_wire::PersonRecord),
        crate::openapi::BadRequest,
        crate::openapi::HrOnly,
        crate::openapi::NotFound,
    ),
    security(("session" = [])),
)]
async fn show(
    State(state): State<AppState>,
    _user: HrUser,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<PersonRecord>> {
    let id = person_id(&id)?;
    Ok(AppJson(edit::record(&state.db, id, now.timestamp()).await?))
}

#[utoipa::path(
    post,
    path = "/hr/people",
    tag = "hr",
    request_body = lanyard_wire::PersonFields,
    responses(
        (status = 201, description = "The person was added", body = lanyard_wire::PersonRecord),
        crate::openapi::JsonBodyErrors,
        crate::openapi::HrOnly,
        crate::openapi::Conflict,
        crate::openapi::UnknownManager,
    ),
    security(("session" = [])),
)]
async fn create(
    State(state): State<AppState>,
    user: HrUser,
    ip: ClientIp,
    now: Now,
    AppJson(fields): AppJson<PersonFields>,
) -> AppResult<(StatusCode, AppJson<PersonRecord>)> {
    let id = edit::create(&state.db, &actor(&user, ip), now.timestamp(), &fields).await?;
    let record = edit::record(&state.db, id, now.timestamp()).await?;
    Ok((StatusCode::CREATED, AppJson(record)))
}

#[utoipa::path(
    put,
    path = "/hr/people/{id}",
    tag = "hr",
    params(("id" = i64, Path, description = "A person id")),
    request_body = lanyard_wire::PersonFields,
    responses(
        (status = 200, description = "The person was updated", body = lanyard_wire::PersonRecord),
        crate::openapi::JsonBodyErrors,
        crate::openapi::HrOnly,
        crate::openapi::NotFound,
        crate::openapi::Conflict,
        crate::openapi::UnknownManager,
    ),
    security(("session" = [])),
)]
async fn update(
    State(state): State<AppState>,
    user: HrUser,
    ip: ClientIp,
    now: Now,
    AppPath(id): AppPath<String>,
    AppJson(fields): AppJson<PersonFields>,
) -> AppResult<AppJson<PersonRecord>> {
    let id = person_id(&id)?;
    edit::update(&state.db, &actor(&user, ip), now.timestamp(), id, &fields).await?;
    Ok(AppJson(edit::record(&state.db, id, now.timestamp()).await?))
}

#[utoipa::path(
    post,
    path = "/hr/people/{id}/deactivate",
    tag = "hr",
    params(("id" = i64, Path, description = "A person id")),
    responses(
        (status = 200, description = "The person is out of the directory; their sessions end", body = lanyard_wire::PersonRecord),
        crate::openapi::BadRequest,
        crate::openapi::HrOnly,
        crate::openapi::NotFound,
        crate::openapi::Conflict,
    ),
    security(("session" = [])),
)]
async fn deactivate(
    State(state): State<AppState>,
    user: HrUser,
    ip: ClientIp,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<PersonRecord>> {
    set_active(&state, &user, ip, now, &id, false).await
}

#[utoipa::path(
    post,
    path = "/hr/people/{id}/reactivate",
    tag = "hr",
    params(("id" = i64, Path, description = "A person id")),
    responses(
        (status = 200, description = "The person is back in the directory", body = lanyard_wire::PersonRecord),
        crate::openapi::BadRequest,
        crate::openapi::HrOnly,
        crate::openapi::NotFound,
        crate::openapi::Conflict,
    ),
    security(("session" = [])),
)]
async fn reactivate(
    State(state): State<AppState>,
    user: HrUser,
    ip: ClientIp,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<PersonRecord>> {
    set_active(&state, &user, ip, now, &id, true).await
}

async fn set_active(
    state: &AppState,
    user: &HrUser,
    ip: ClientIp,
    now: Now,
    id: &str,
    active: bool,
) -> AppResult<AppJson<PersonRecord>> {
    let id = person_id(id)?;
    edit::set_active(&state.db, &actor(user, ip), now.timestamp(), id, active).await?;
    Ok(AppJson(edit::record(&state.db, id, now.timestamp()).await?))
}

/// A dry run answers its report, errors or not. A real import with errors
/// answers 422 and writes nothing, so a script cannot take it for success.
#[utoipa::path(
    post,
    path = "/hr/import",
    tag = "hr",
    request_body = lanyard_wire::ImportRequest,
    responses(
        (status = 200, description = "The report: a dry run, or an import written in one transaction", body = lanyard_wire::ImportReport),
        crate::openapi::JsonBodyErrors,
        crate::openapi::HrOnly,
        (status = 422, description = "A real import with bad lines: nothing was written", body = lanyard_wire::ApiError),
    ),
    security(("session" = [])),
)]
async fn import_csv(
    State(state): State<AppState>,
    user: HrUser,
    ip: ClientIp,
    now: Now,
    AppJson(request): AppJson<ImportRequest>,
) -> AppResult<AppJson<ImportReport>> {
    if request.csv.len() > MAX_IMPORT_BYTES {
        return Err(AppError::Rejected {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: format!(
                "The file is larger than {} MiB; split it into smaller files.",
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        });
    }
    let report = import::run(
        &state.db,
        &actor(&user, ip),
        now.timestamp(),
        request.csv,
        request.dry_run,
    )
    .await?;
    if !report.dry_run && !report.errors.is_empty() {
        return Err(AppError::Unprocessable(import::refusal(&report.errors)));
    }
    Ok(AppJson(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_ids_are_whole_numbers() {
        assert_eq!(person_id("42").unwrap(), 42);
        for bad in ["", "x", "1.5", "99999999999999999999"] {
            assert!(person_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_import_limit_leaves_room_for_json_escaping() {
        const { assert!(IMPORT_BODY_LIMIT >= 2 * MAX_IMPORT_BYTES) };
        const { assert!(IMPORT_BODY_LIMIT > super::super::API_BODY_LIMIT) };
    }
}
