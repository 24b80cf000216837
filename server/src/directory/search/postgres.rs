//! Directory search on PostgreSQL: pg_trgm and an array of word prefixes,
//! over text folded for case and diacritics by `lanyard_fold` (lower of
//! unaccent, behind an immutable wrapper; migration `…04_search.sql`).
//! Partial GIN indexes hold active people only.
//!
//! - 3+ characters: `lanyard_search_text(name, title, email) LIKE
//!   '%text%'`, served by a trigram index. The three fields are joined by a
//!   control character, which a search text never holds (the API refuses
//!   it), so a match never spans two fields, as in SQLite's FTS5 columns.
//! - 1-2 characters: `lanyard_word_prefixes(name, title) @> ARRAY[text]`,
//!   the folded 1- and 2-character starts of every word, the equivalent of
//!   FTS5's `prefix = '1 2'` index.
//! - Order: `name_key` (ASCII case folded, compared by code point, exactly
//!   SQLite's `NOCASE`), then id, from an index per filter as on SQLite.

use super::{page_window, Text};
use crate::db::{query, Args, Db, Exec as _};
use crate::directory::{like_pattern, PersonRow, Search, SearchPage, PERSON_COLUMNS, PHOTO_JOIN};

const BY_NAME: &str = " ORDER BY e.name_key, e.id";
const BY_NAME_REVERSED: &str = " ORDER BY e.name_key DESC, e.id DESC";

pub(super) async fn search(
    db: &Db,
    search: &Search<'_>,
    text: &Text<'_>,
    limit: u32,
    offset: u64,
) -> sqlx::Result<SearchPage> {
    let mut args = Args::default();
    let matching = matching(&mut args, search, text);
    let total: i64 = db
        .scalar(
            query(format!("SELECT COUNT(*) FROM employees e WHERE {matching}"))
                .bind_args(args.clone()),
        )
        .await?;
    let total = u64::try_from(total).unwrap_or(0);
    let Some(window) = page_window(total, limit, offset) else {
        return Ok(SearchPage {
            people: Vec::new(),
            total,
        });
    };
    let order = if window.backwards {
        BY_NAME_REVERSED
    } else {
        BY_NAME
    };
    let sql = format!(
        "SELECT {PERSON_COLUMNS} FROM (SELECT e.id FROM employees e WHERE {matching}{order} \
         LIMIT {} OFFSET {}) page JOIN employees e ON e.id = page.id{PHOTO_JOIN}{BY_NAME}",
        args.add(window.rows as i64),
        args.add(window.skip as i64),
    );
    let people: Vec<PersonRow> = db.fetch_all(query(sql).bind_args(args)).await?;
    Ok(SearchPage { people, total })
}

/// The condition on `e` for active people matching the search.
fn matching(args: &mut Args, search: &Search<'_>, text: &Text<'_>) -> String {
    let mut sql = "e.active".to_owned();
    match text {
        Text::Substring(t) => {
            sql += &format!(
                " AND lanyard_search_text(e.name, e.title, e.email) LIKE lanyard_fold({}) ESCAPE '\\'",
                args.add(like_pattern(t))
            );
        }
        Text::WordPrefix(t) => {
            sql += &format!(
                " AND lanyard_word_prefixes(e.name, e.title) @> ARRAY[lanyard_fold({})]",
                args.add(*t)
            );
        }
        Text::Any | Text::Nobody => {}
    }
    if let Some(department) = search.department {
        sql += &format!(" AND e.department = {}", args.add(department));
    }
    if let Some(location) = search.location {
        sql += &format!(" AND e.location = {}", args.add(location));
    }
    sql
}
