//! The org chart: `GET /api/people/{id}/org` (the chain of managers, the
//! person and the first page of their reports) and
//! `GET /api/people/{id}/reports` (a further page of any branch). Every
//! page's thumbnails are granted in one batch, audited and counted against
//! the URL budget like a grid page's.

use super::people::person_id;
use crate::audit::Grants;
use crate::auth::CurrentUser;
use crate::directory;
use crate::directory::org::{self, OrgRow, ReportsRows};
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, ClientIp, Now};
use crate::routes::timing::server_timing;
use crate::state::AppState;
use axum::extract::State;
use axum::middleware;
use lanyard_wire::{
    EmployeeId, OrgChart, OrgPerson, OrgReports, PhotoSize, ReportsPage, ReportsQuery,
    ORG_PAGE_SIZE,
};
use std::time::SystemTime;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(org_chart))
        .routes(routes!(reports))
        .route_layer(middleware::from_fn(server_timing))
}

#[utoipa::path(
    get,
    path = "/people/{id}/org",
    tag = "directory",
    params(("id" = i64, Path, description = "A person id")),
    responses(
        (status = 200, description = "The person's chain of managers and first page of reports, with thumbnail URLs", body = lanyard_wire::OrgChart),
        crate::openapi::BadRequest,
        crate::openapi::Unauthenticated,
        crate::openapi::NotFound,
        crate::openapi::RateLimited,
    ),
    security(("session" = [])),
)]
async fn org_chart(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<OrgChart>> {
    let id = person_id(&id)?;
    let person = org::org_person(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let chain = org::chain(&state.db, id).await?;
    let first = org::reports(&state.db, id, ORG_PAGE_SIZE, 0).await?;
    let mut grants = Grants::new("the org chart");
    let mut node = |row: OrgRow| org_person(&state, &mut grants, row, now.0);
    let chart = OrgChart {
        server_time: now.timestamp(),
        managers: chain.managers.into_iter().map(&mut node).collect(),
        loop_cut: chain.loop_cut,
        person: node(person),
        reports: page_of(first, 1, &mut node),
    };
    crate::limits::grant(&state.limits, &state.audit, user.id.0, ip, now, grants).await?;
    Ok(AppJson(chart))
}

#[utoipa::path(
    get,
    path = "/people/{id}/reports",
    tag = "directory",
    params(("id" = i64, Path, description = "A person id"), ReportsQuery),
    responses(
        (status = 200, description = "A page of the person's direct reports, with thumbnail URLs", body = lanyard_wire::ReportsPage),
        crate::openapi::BadRequest,
        crate::openapi::Unauthenticated,
        crate::openapi::NotFound,
        crate::openapi::RateLimited,
    ),
    security(("session" = [])),
)]
async fn reports(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppPath(id): AppPath<String>,
    AppQuery(query): AppQuery<ReportsQuery>,
) -> AppResult<AppJson<ReportsPage>> {
    let id = person_id(&id)?;
    let page = query.page.unwrap_or(1);
    if page == 0 {
        return Err(AppError::bad_request("page starts at 1."));
    }
    // Someone who has left has no branch to open (like their profile).
    if directory::person_summary(&state.db, id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let offset = u64::from(page - 1) * u64::from(ORG_PAGE_SIZE);
    let rows = org::reports(&state.db, id, ORG_PAGE_SIZE, offset).await?;
    let mut grants = Grants::new("the org chart");
    let reports = page_of(rows, page, |row| {
        org_person(&state, &mut grants, row, now.0)
    });
    crate::limits::grant(&state.limits, &state.audit, user.id.0, ip, now, grants).await?;
    Ok(AppJson(ReportsPage {
        server_time: now.timestamp(),
        manager: EmployeeId(id),
        reports,
    }))
}

fn page_of(rows: ReportsRows, page: u32, node: impl FnMut(OrgRow) -> OrgPerson) -> OrgReports {
    OrgReports {
        people: rows.people.into_iter().map(node).collect(),
        total: rows.total,
        page,
        per_page: ORG_PAGE_SIZE,
    }
}

fn org_person(state: &AppState, grants: &mut Grants, row: OrgRow, now: SystemTime) -> OrgPerson {
    let person = row.person;
    OrgPerson {
        photo: grants.sign(
            &state.photos,
            person.id,
            &person.photo,
            PhotoSize::Thumb,
            now,
        ),
        id: EmployeeId(person.id),
        name: person.name,
        title: person.title,
        department: person.department,
        reports: u64::try_from(row.reports).unwrap_or_default(),
    }
}
