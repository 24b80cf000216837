//! The directory: search with filters and paging, profiles, filter values.

use crate::audit::Grants;
use crate::auth::CurrentUser;
use crate::directory::{self, PersonRow, Search};
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, ClientIp, Now};
use crate::routes::timing::{server_timing, DbTime};
use crate::state::AppState;
use axum::extract::State;
use axum::middleware;
use axum::Extension;
use lanyard_wire::{
    DirectoryPage, DirectoryQuery, EmployeeId, Facets, PersonDetail, PersonRef, PersonSummary,
    PhotoSize, Profile, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Longer search texts and filter values are refused: no name, title,
/// email, department or location is this long.
pub const MAX_QUERY_CHARS: usize = lanyard_wire::MAX_TEXT_CHARS;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(profile))
        .routes(routes!(facets))
        .route_layer(middleware::from_fn(server_timing))
}

/// A [`DirectoryQuery`] whose values have been checked.
#[derive(Debug)]
struct Checked<'a> {
    search: Search<'a>,
    page: u32,
    per_page: u32,
}

impl<'a> Checked<'a> {
    fn parse(query: &'a DirectoryQuery) -> AppResult<Self> {
        let page = query.page.unwrap_or(1);
        if page == 0 {
            return Err(AppError::bad_request("page starts at 1."));
        }
        let per_page = query.per_page.unwrap_or(DEFAULT_PAGE_SIZE);
        if per_page == 0 || per_page > MAX_PAGE_SIZE {
            return Err(AppError::bad_request(format!(
                "per_page must be between 1 and {MAX_PAGE_SIZE}."
            )));
        }
        check_text("The search text", query.q.as_deref())?;
        check_text("The department", query.department.as_deref())?;
        check_text("The location", query.location.as_deref())?;
        // Blank means "no filter": an emptied search box or "all departments".
        let non_blank =
            |v: &'a Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty());
        Ok(Self {
            search: Search {
                text: non_blank(&query.q),
                department: non_blank(&query.department),
                location: non_blank(&query.location),
                manager: query.manager.map(|m| m.0),
            },
            page,
            per_page,
        })
    }

    fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

/// Refuses an overlong value or one with control characters. SQLite's LIKE
/// stops reading its pattern at a NUL, so `q=%00` would match everybody;
/// nobody types a control character into a search box or a filter.
fn check_text(what: &str, value: Option<&str>) -> AppResult<()> {
    let Some(value) = value else {
        return Ok(());
    };
    lanyard_wire::check_text(value)
        .map_err(|problem| AppError::bad_request(format!("{what} {}", problem.describe())))
}

/// A person id from the path. Parsed here rather than by `Path<i64>`, whose
/// rejection talks about Rust types.
pub(crate) fn person_id(raw: &str) -> AppResult<i64> {
    raw.parse()
        .map_err(|_| AppError::bad_request("A person id is a whole number, like /api/people/42."))
}

#[utoipa::path(
    get,
    path = "/people",
    operation_id = "list_people",
    tag = "directory",
    params(lanyard_wire::DirectoryQuery),
    responses(
        (status = 200, description = "A page of the directory, with thumbnail URLs", body = lanyard_wire::DirectoryPage),
        crate::openapi::BadRequest,
        crate::openapi::Unauthenticated,
        crate::openapi::RateLimited,
    ),
    security(("session" = [])),
)]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppQuery(query): AppQuery<DirectoryQuery>,
) -> AppResult<(Extension<DbTime>, AppJson<DirectoryPage>)> {
    let checked = Checked::parse(&query)?;
    let manager = checked.search.manager;
    let started = std::time::Instant::now();
    let found = directory::search(
        &state.db,
        checked.search,
        checked.per_page,
        checked.offset(),
    )
    .await?;
    let db_time = DbTime(started.elapsed());
    let mut grants = Grants::new("a directory page");
    let people = found
        .people
        .into_iter()
        .map(|row| PersonSummary {
            photo: grants.sign(&state.photos, row.id, &row.photo, PhotoSize::Thumb, now.0),
            id: EmployeeId(row.id),
            name: row.name,
            title: row.title,
            department: row.department,
            location: row.location,
            time_zone: row.time_zone,
        })
        .collect();
    crate::limits::grant(&state.limits, &state.audit, user.id.0, ip, now, grants).await?;
    // The filter's label; nobody's for an id that is no active person's.
    let manager_name = match manager {
        Some(id) => directory::person_summary(&state.db, id)
            .await?
            .map(|row| row.name),
        None => None,
    };
    let page = DirectoryPage {
        server_time: now.timestamp(),
        people,
        total: found.total,
        page: checked.page,
        per_page: checked.per_page,
        manager_name,
    };
    Ok((Extension(db_time), AppJson(page)))
}

#[utoipa::path(
    get,
    path = "/people/{id}",
    tag = "directory",
    params(("id" = i64, Path, description = "A person id")),
    responses(
        (status = 200, description = "A profile, with its photo URLs", body = lanyard_wire::Profile),
        crate::openapi::BadRequest,
        crate::openapi::Unauthenticated,
        crate::openapi::NotFound,
        crate::openapi::RateLimited,
    ),
    security(("session" = [])),
)]
async fn profile(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<AppJson<Profile>> {
    let id = person_id(&id)?;
    let row = directory::person(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let manager = match row.manager_id {
        Some(manager_id) => directory::person_summary(&state.db, manager_id).await?,
        None => None,
    };
    let reports = directory::direct_reports(&state.db, id).await?;
    let mut grants = Grants::new("a profile");
    let (photos, size) = (&state.photos, PhotoSize::Profile);
    let photo = grants.sign(photos, row.person.id, &row.person.photo, size, now.0);
    let mut person_ref = |r: PersonRow| PersonRef {
        photo: grants.sign(&state.photos, r.id, &r.photo, PhotoSize::Thumb, now.0),
        id: EmployeeId(r.id),
        name: r.name,
        title: r.title,
    };
    let person = PersonDetail {
        photo,
        id: EmployeeId(row.person.id),
        name: row.person.name,
        title: row.person.title,
        department: row.person.department,
        location: row.person.location,
        time_zone: row.person.time_zone,
        email: row.email,
        phone: row.phone,
        manager: manager.map(&mut person_ref),
        reports: reports.into_iter().map(&mut person_ref).collect(),
    };
    crate::limits::grant(&state.limits, &state.audit, user.id.0, ip, now, grants).await?;
    Ok(AppJson(Profile {
        server_time: now.timestamp(),
        person,
    }))
}

#[utoipa::path(
    get,
    path = "/facets",
    tag = "directory",
    responses(
        (status = 200, description = "The directory filters' values", body = lanyard_wire::Facets),
        crate::openapi::Unauthenticated,
    ),
    security(("session" = [])),
)]
async fn facets(
    State(state): State<AppState>,
    _user: CurrentUser,
    now: Now,
) -> AppResult<AppJson<Facets>> {
    let (departments, locations) = directory::facets(&state.db).await?;
    Ok(AppJson(Facets {
        server_time: now.timestamp(),
        departments,
        locations,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: Option<&str>, page: Option<u32>, per_page: Option<u32>) -> DirectoryQuery {
        DirectoryQuery {
            q: q.map(str::to_owned),
            page,
            per_page,
            ..DirectoryQuery::default()
        }
    }

    #[test]
    fn an_empty_query_is_the_first_default_page() {
        let q = DirectoryQuery::default();
        let checked = Checked::parse(&q).unwrap();
        assert_eq!(checked.page, 1);
        assert_eq!(checked.per_page, DEFAULT_PAGE_SIZE);
        assert_eq!(checked.offset(), 0);
        assert_eq!(checked.search.text, None);
    }

    #[test]
    fn blank_filters_do_not_filter() {
        let q = DirectoryQuery {
            q: Some("   ".into()),
            department: Some(String::new()),
            location: Some(" Berlin ".into()),
            ..DirectoryQuery::default()
        };
        let checked = Checked::parse(&q).unwrap();
        assert_eq!(checked.search.text, None);
        assert_eq!(checked.search.department, None);
        assert_eq!(checked.search.location, Some("Berlin"));
    }

    #[test]
    fn page_zero_is_refused() {
        assert!(Checked::parse(&query(None, Some(0), None)).is_err());
    }

    #[test]
    fn page_sizes_are_capped() {
        assert!(Checked::parse(&query(None, None, Some(0))).is_err());
        assert!(Checked::parse(&query(None, None, Some(MAX_PAGE_SIZE + 1))).is_err());
        assert!(Checked::parse(&query(None, None, Some(MAX_PAGE_SIZE))).is_ok());
    }

    #[test]
    fn overlong_search_text_is_refused() {
        let long = "x".repeat(MAX_QUERY_CHARS + 1);
        assert!(Checked::parse(&query(Some(&long), None, None)).is_err());
    }

    #[test]
    fn control_characters_in_search_or_filters_are_refused() {
        // Regression: `q=%00` reached SQLite's LIKE as an empty pattern and
        // matched the whole directory.
        for (q, department, location) in [
            (Some("\0"), None, None),
            (Some("ada\u{7}"), None, None),
            (None, Some("Engineering\n"), None),
            (None, None, Some("\u{1b}[31mParis")),
        ] {
            let query = DirectoryQuery {
                q: q.map(str::to_owned),
                department: department.map(str::to_owned),
                location: location.map(str::to_owned),
                ..DirectoryQuery::default()
            };
            let err = Checked::parse(&query).unwrap_err();
            assert!(err.to_string().contains("control characters"), "{err}");
        }
    }

    #[test]
    fn overlong_filters_are_refused() {
        let query = DirectoryQuery {
            department: Some("d".repeat(MAX_QUERY_CHARS + 1)),
            ..DirectoryQuery::default()
        };
        assert!(Checked::parse(&query).is_err());
    }

    #[test]
    fn person_ids_are_whole_numbers_with_a_plain_message() {
        assert_eq!(person_id("42").unwrap(), 42);
        assert_eq!(person_id("-1").unwrap(), -1);
        for bad in ["", "abc", "1.5", "99999999999999999999", "4\u{0}2", "٤٢"] {
            let err = person_id(bad).unwrap_err().to_string();
            assert!(err.contains("whole number"), "{bad:?}: {err}");
            assert!(!err.contains("i64"), "{err}");
        }
    }

    #[test]
    fn offsets_never_overflow() {
        let q = query(None, Some(u32::MAX), Some(MAX_PAGE_SIZE));
        let checked = Checked::parse(&q).unwrap();
        assert_eq!(
            checked.offset(),
            u64::from(u32::MAX - 1) * u64::from(MAX_PAGE_SIZE)
        );
    }
}
