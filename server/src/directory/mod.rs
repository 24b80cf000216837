//! The directory's queries: search, profiles, reports, the org chart,
//! filter values.
//!
//! Every read here returns active people only; inactive ones are gone from
//! the directory as far as any caller can tell. Each row carries the
//! [`PhotoFacts`] that photo visibility is decided from.

/// Each location's time zone, set by HR.
pub mod locations;
/// The org chart: chains of managers and pages of reports.
pub mod org;
/// How a directory search runs on each database.
pub mod search;
/// A person as a contact card (vCard 4.0).
pub mod vcard;

pub use search::search;

use crate::db::{query_with, Args, Db, Dialect, Exec as _};
use crate::storage::photo_urls::PhotoFacts;

/// The columns every person row starts with; `e` is `employees`, `pv` the
/// current photo version, `lz` their location's time zone.
pub(crate) const PERSON_COLUMNS: &str = "e.id, e.name, e.title, e.department, e.location, \
     lz.time_zone, e.active, e.photo_version_id, pv.state AS photo_state";
/// What [`PERSON_COLUMNS`] reads besides `e`: the current photo version
/// `pv` and the location's time zone `lz`.
pub(crate) const PERSON_JOINS: &str = " LEFT JOIN photo_versions pv ON pv.id = e.photo_version_id \
     LEFT JOIN location_time_zones lz ON lz.location = e.location";

/// Most reports one profile lists; no real manager has more.
const MAX_REPORTS: i64 = 500;

/// One person as the grid and the profile's links show them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub department: String,
    pub location: String,
    /// Their location's IANA time zone, when HR has set one.
    pub time_zone: Option<String>,
    #[sqlx(flatten)]
    pub photo: PhotoFacts,
}

/// Everything a profile page shows about one person.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DetailRow {
    #[sqlx(flatten)]
    pub person: PersonRow,
    pub email: String,
    pub phone: String,
    pub manager_id: Option<i64>,
}

/// A directory search; `None` fields do not filter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Search<'a> {
    /// 3+ characters: found anywhere in name, title or email; 1-2: the start
    /// of a word of the name or title. Case and diacritics are ignored.
    pub text: Option<&'a str>,
    /// Exact department.
    pub department: Option<&'a str>,
    /// Exact location.
    pub location: Option<&'a str>,
    /// Direct reports of this person only.
    pub manager: Option<i64>,
}

/// One page of a search plus how many people match in all.
#[derive(Debug, Clone)]
pub struct SearchPage {
    pub people: Vec<PersonRow>,
    pub total: u64,
}

/// People in name order as each database orders them: ASCII case ignored,
/// then by code point (SQLite's `NOCASE`; PostgreSQL's `name_key`), then id.
pub(crate) fn by_name(dialect: Dialect, alias: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("{alias}.name COLLATE NOCASE, {alias}.id"),
        Dialect::Postgres => format!("{alias}.name_key, {alias}.id"),
    }
}

/// `%text%` with LIKE's metacharacters in `text` escaped by `\`, for
/// searches that scan rather than use the search indexes (HR's list, which
/// includes inactive people).
pub fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

fn people_sql(dialect: Dialect, columns: &str, condition: &str) -> String {
    format!(
        "SELECT {PERSON_COLUMNS}{columns} FROM employees e{PERSON_JOINS} WHERE {condition} AND {}",
        dialect.is_true("e.active")
    )
}

/// One active person's profile, or `None`.
pub async fn person(db: &Db, id: i64) -> sqlx::Result<Option<DetailRow>> {
    let statement = query_with(|d| people_sql(d, ", e.email, e.phone, e.manager_id", "e.id = $1"));
    db.fetch_optional(statement.bind(id)).await
}

/// One active person's card, or `None` (a manager who has left, say).
pub async fn person_summary(db: &Db, id: i64) -> sqlx::Result<Option<PersonRow>> {
    db.fetch_optional(query_with(|d| people_sql(d, "", "e.id = $1")).bind(id))
        .await
}

/// The active people who report to `manager_id`, by name.
pub async fn direct_reports(db: &Db, manager_id: i64) -> sqlx::Result<Vec<PersonRow>> {
    let statement = query_with(|d| {
        format!(
            "{} ORDER BY {} LIMIT $2",
            people_sql(d, "", "e.manager_id = $1"),
            by_name(d, "e")
        )
    });
    db.fetch_all(statement.bind(manager_id).bind(MAX_REPORTS))
        .await
}

/// The active people among `ids`, in no particular order.
pub async fn people_by_ids(db: &Db, ids: &[i64]) -> sqlx::Result<Vec<PersonRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let list = args.list(ids.iter().copied());
    let statement = query_with(|d| people_sql(d, "", &format!("e.id IN ({list})")));
    db.fetch_all(statement.bind_args(args)).await
}

/// The distinct departments and locations of active people, sorted.
pub async fn facets(db: &Db) -> sqlx::Result<(Vec<String>, Vec<String>)> {
    // Ordered by code point on both. PostgreSQL reads them from the count
    // table its triggers keep (0.2 ms at 1,000,000 people, against 143 ms
    // for the DISTINCT over everyone; SEARCH.md, "Facets").
    let distinct = |column: &'static str| {
        query_with(move |d| match d {
            Dialect::Sqlite => format!(
                "SELECT DISTINCT {column} FROM employees WHERE active = 1 ORDER BY {column}"
            ),
            Dialect::Postgres => format!(
                "SELECT {column} FROM directory_counts WHERE people > 0 \
                 GROUP BY {column} ORDER BY {column} COLLATE \"C\""
            ),
        })
    };
    let departments = db.scalars(distinct("department")).await?;
    let locations = db.scalars(distinct("location")).await?;
    Ok((departments, locations))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_metacharacters() {
        assert_eq!(like_pattern("ada"), "%ada%");
        assert_eq!(like_pattern("100%"), "%100\\%%");
        assert_eq!(like_pattern("a_b"), "%a\\_b%");
        assert_eq!(like_pattern("c:\\x"), "%c:\\\\x%");
    }
}
