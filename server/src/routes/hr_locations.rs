//! HR's locations: `GET /api/hr/locations` lists them with their time
//! zones; `PUT /api/hr/locations/time-zone` sets or clears one, audited.
//! The rules are in [`crate::directory::locations`]; this file is HTTP only.

use crate::audit::{self, Entry};
use crate::auth::HrUser;
use crate::directory::locations::{self, canonical_zone};
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, ClientIp, Now};
use crate::state::AppState;
use axum::extract::State;
use lanyard_wire::{AuditAction, LocationZone, LocationsPage, SetTimeZone};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(set_time_zone))
}

#[utoipa::path(
    get,
    path = "/hr/locations",
    tag = "hr",
    responses(
        (status = 200, description = "Every location with its time zone", body = lanyard_wire::LocationsPage),
        crate::openapi::HrOnly,
    ),
    security(("session" = [])),
)]
async fn list(
    State(state): State<AppState>,
    _user: HrUser,
    now: Now,
) -> AppResult<AppJson<LocationsPage>> {
    let locations = locations::list(&state.db)
        .await?
        .into_iter()
        .map(|row| LocationZone {
            location: row.location,
            time_zone: row.time_zone,
            people: u64::try_from(row.people).unwrap_or_default(),
        })
        .collect();
    Ok(AppJson(LocationsPage {
        server_time: now.timestamp(),
        locations,
    }))
}

#[utoipa::path(
    put,
    path = "/hr/locations/time-zone",
    tag = "hr",
    request_body = lanyard_wire::SetTimeZone,
    responses(
        (status = 200, description = "The location with its new time zone", body = lanyard_wire::LocationZone),
        crate::openapi::JsonBodyErrors,
        crate::openapi::HrOnly,
    ),
    security(("session" = [])),
)]
async fn set_time_zone(
    State(state): State<AppState>,
    user: HrUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppJson(request): AppJson<SetTimeZone>,
) -> AppResult<AppJson<LocationZone>> {
    lanyard_wire::check_text(&request.location)
        .map_err(|problem| AppError::bad_request(format!("The location {}", problem.describe())))?;
    let location = request.location.trim();
    if location.is_empty() {
        return Err(AppError::bad_request("Say which location."));
    }
    let zone = match request.time_zone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(name) => Some(canonical_zone(name).map_err(|p| AppError::bad_request(p.to_string()))?),
    };
    let mut tx = state.db.begin().await?;
    let previous = locations::set(
        &mut tx,
        location,
        zone.as_deref(),
        now.timestamp().as_millis(),
    )
    .await?;
    let detail = match (&previous, &zone) {
        (_, Some(zone)) => format!("Set the time zone of {location} to {zone}."),
        (Some(old), None) => format!("Cleared the time zone of {location} (was {old})."),
        (None, None) => format!("Cleared the time zone of {location} (none was set)."),
    };
    let entry = Entry {
        actor: Some(user.0.id.0),
        action: AuditAction::TimeZoneSet,
        subjects: Vec::new(),
        detail,
        ip,
    };
    audit::append(&mut tx, now.timestamp(), &entry).await?;
    tx.commit().await?;
    let people = locations::people_at(&state.db, location).await?;
    Ok(AppJson(LocationZone {
        location: location.to_owned(),
        time_zone: zone,
        people,
    }))
}
