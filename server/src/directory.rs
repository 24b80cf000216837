//! The directory's queries: search, profiles, facets, accounts.
//!
//! Every read here returns active people only; inactive ones are gone from
//! the directory as far as any caller can tell. Each row carries the
//! [`PhotoFacts`] that [`crate::photos`] decides photo visibility from.

use crate::photos::PhotoFacts;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

/// The columns every person row starts with; `e` is `employees`, `pv` the
/// current photo version.
pub(crate) const PERSON_COLUMNS: &str = "e.id, e.name, e.title, e.department, e.location, \
     e.active, e.photo_version_id, pv.state AS photo_state";
/// The current photo version `pv` of `e`.
pub(crate) const PHOTO_JOIN: &str = " LEFT JOIN photo_versions pv ON pv.id = e.photo_version_id";
const FROM_PEOPLE: &str =
    " FROM employees e LEFT JOIN photo_versions pv ON pv.id = e.photo_version_id";

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

/// A person who may be able to sign in.
#[derive(Clone, sqlx::FromRow)]
pub struct AccountRow {
    #[sqlx(flatten)]
    pub person: PersonRow,
    pub email: String,
    /// `employee` or `hr`.
    pub role: String,
    /// Argon2id PHC string; `None` for people who cannot sign in.
    pub password_hash: Option<String>,
}

// Hand-written: the hash must not reach a log.
impl std::fmt::Debug for AccountRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountRow")
            .field("id", &self.person.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
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
}

/// One page of a search plus how many people match in all.
#[derive(Debug, Clone)]
pub struct SearchPage {
    pub people: Vec<PersonRow>,
    pub total: u64,
}

/// Searches active people, sorted by name then id; see [`crate::search`]
/// for what the text matches and how each search is answered.
pub async fn search(
    pool: &SqlitePool,
    search: Search<'_>,
    limit: u32,
    offset: u64,
) -> sqlx::Result<SearchPage> {
    crate::search::search(pool, search, limit, offset).await
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

/// One active person's profile, or `None`.
pub async fn person(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<DetailRow>> {
    let sql = format!(
        "SELECT {PERSON_COLUMNS}, e.email, e.phone, e.manager_id{FROM_PEOPLE} \
         WHERE e.id = ? AND e.active = 1"
    );
    sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
}

/// One active person's card, or `None` (a manager who has left, say).
pub async fn person_summary(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<PersonRow>> {
    let sql = format!("SELECT {PERSON_COLUMNS}{FROM_PEOPLE} WHERE e.id = ? AND e.active = 1");
    sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
}

/// The active people who report to `manager_id`, by name.
pub async fn direct_reports(pool: &SqlitePool, manager_id: i64) -> sqlx::Result<Vec<PersonRow>> {
    let sql = format!(
        "SELECT {PERSON_COLUMNS}{FROM_PEOPLE} WHERE e.manager_id = ? AND e.active = 1 \
         ORDER BY e.name COLLATE NOCASE, e.id LIMIT ?"
    );
    sqlx::query_as(&sql)
        .bind(manager_id)
        .bind(MAX_REPORTS)
        .fetch_all(pool)
        .await
}

/// The active people among `ids`, in no particular order.
pub async fn people_by_ids(pool: &SqlitePool, ids: &[i64]) -> sqlx::Result<Vec<PersonRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = QueryBuilder::<Sqlite>::new("SELECT ");
    query
        .push(PERSON_COLUMNS)
        .push(FROM_PEOPLE)
        .push(" WHERE e.active = 1 AND e.id IN (");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    query.push(")");
    query.build_query_as().fetch_all(pool).await
}

/// The distinct departments and locations of active people, sorted.
pub async fn facets(pool: &SqlitePool) -> sqlx::Result<(Vec<String>, Vec<String>)> {
    let departments: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT department FROM employees WHERE active = 1 ORDER BY department",
    )
    .fetch_all(pool)
    .await?;
    let locations: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT location FROM employees WHERE active = 1 ORDER BY location",
    )
    .fetch_all(pool)
    .await?;
    Ok((
        departments.into_iter().map(|(d,)| d).collect(),
        locations.into_iter().map(|(l,)| l).collect(),
    ))
}

fn account_sql(condition: &str) -> String {
    format!(
        "SELECT {PERSON_COLUMNS}, e.email, e.role, e.password_hash{FROM_PEOPLE} \
         WHERE {condition} AND e.active = 1"
    )
}

/// The active account with this email (case-insensitively), if any.
pub async fn account_by_email(pool: &SqlitePool, email: &str) -> sqlx::Result<Option<AccountRow>> {
    // `email` is declared COLLATE NOCASE, so `=` ignores ASCII case.
    sqlx::query_as(&account_sql("e.email = ?"))
        .bind(email)
        .fetch_optional(pool)
        .await
}

/// The active account with this id, if any.
pub async fn account_by_id(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<AccountRow>> {
    sqlx::query_as(&account_sql("e.id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
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
