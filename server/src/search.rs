//! How a directory search runs: which index answers it, and in what order.
//!
//! Measured at 100,000 people (docs/performance.md, "100,000 people"):
//! - A search text is looked up in a full-text index (migration
//!   `20261126000004_search.sql`): 3 or more characters anywhere in name,
//!   title or email through trigrams; 1-2 characters as the start of a word
//!   of the name or title. Those indexes hold active people only, so an
//!   unfiltered search counts its matches without touching `employees`.
//! - A page is found as ids first, through indexes only, and only its rows
//!   are then read in full: `OFFSET` over a join read (and threw away) every
//!   skipped person's row and photo, 0.4 s for the last page.
//! - Many matches: walk the people in name order (an index), from whichever
//!   end is nearer the page, keeping those in the match set, and stop after
//!   the page. Few matches: read and sort them all, which is cheaper than a
//!   walk past mostly non-matching people. With a department or location,
//!   always walk (and count) that filter's own name-ordered index.

use crate::directory::{PersonRow, Search, SearchPage, PERSON_COLUMNS, PHOTO_JOIN};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

/// Sorting the matches costs about `SORT_COST` times as much per match as
/// walking costs per index entry (a row read and comparisons against an
/// index step and a probe; measured at 100,000 people).
const SORT_COST: u64 = 2;
const BY_NAME: &str = " ORDER BY e.name COLLATE NOCASE, e.id";
const BY_NAME_REVERSED: &str = " ORDER BY e.name COLLATE NOCASE DESC, e.id DESC";

/// What the search text matches against.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Text {
    /// No text: everyone (within the filters).
    Any,
    /// Text that cannot match anyone (1-2 characters that are not a word).
    Nobody,
    /// An FTS5 query for `table`.
    Index { table: &'static str, query: String },
}

fn text_query(text: Option<&str>) -> Text {
    let Some(text) = text else {
        return Text::Any;
    };
    // Inside an FTS5 string every character is literal but `"`, doubled.
    let quoted = format!("\"{}\"", text.replace('"', "\"\""));
    if text.chars().count() >= 3 {
        Text::Index {
            table: "people_search",
            query: quoted,
        }
    } else if text.chars().all(char::is_alphanumeric) {
        Text::Index {
            table: "people_words",
            query: format!("{quoted}*"),
        }
    } else {
        // The word tokenizer drops punctuation, so "%" or "a." would turn
        // into "everyone" or "a"; no word is punctuation.
        Text::Nobody
    }
}

/// Searches active people, sorted by name then id.
pub async fn search(
    pool: &SqlitePool,
    search: Search<'_>,
    limit: u32,
    offset: u64,
) -> sqlx::Result<SearchPage> {
    let text = text_query(search.text);
    let total = match &text {
        Text::Nobody => 0,
        _ => count(pool, &search, &text).await?,
    };
    if offset >= total {
        return Ok(SearchPage {
            people: Vec::new(),
            total,
        });
    }
    let rows = u64::from(limit).min(total - offset);
    // Past the middle, the page is found from the end (in reverse name
    // order): the last page costs what the first does.
    let backwards = offset * 2 + rows > total;
    let (order, skip) = if backwards {
        (BY_NAME_REVERSED, total - offset - rows)
    } else {
        (BY_NAME, offset)
    };
    let mut query = QueryBuilder::<Sqlite>::new("SELECT ");
    query.push(PERSON_COLUMNS).push(" FROM (SELECT e.id");
    match &text {
        Text::Index { table, query: fts } => {
            // A filter's own index is as good as sorted: its people are few
            // enough to walk, and reading every match's row to check the
            // filter (the other plan) costs more than probing the matches.
            if has_filters(&search) || walk_is_cheaper(pool, skip + rows, total).await? {
                push_walk(&mut query, &search, table, fts);
            } else {
                push_matches_then_people(&mut query, &search, table, fts);
            }
        }
        _ => {
            query.push(" FROM employees e WHERE e.active = 1");
            push_filters(&mut query, &search);
        }
    }
    query
        .push(order)
        .push(" LIMIT ")
        .push_bind(rows as i64)
        .push(" OFFSET ")
        .push_bind(skip as i64)
        // The page's ids drive the join: only its rows are read.
        .push(") page CROSS JOIN employees e ON e.id = page.id")
        .push(PHOTO_JOIN)
        .push(BY_NAME);
    let people: Vec<PersonRow> = query.build_query_as().fetch_all(pool).await?;
    Ok(SearchPage { people, total })
}

/// Whether walking the index to the page's `position` (from its end) costs
/// less than sorting all `matches`. The walk passes about `position * people
/// / matches` entries; `people` is bounded by the largest id (one cheap
/// look-up; an exact count would cost a walk of its own).
async fn walk_is_cheaper(pool: &SqlitePool, position: u64, matches: u64) -> sqlx::Result<bool> {
    let (people,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM employees")
        .fetch_one(pool)
        .await?;
    let people = u64::try_from(people).unwrap_or(0);
    Ok(u128::from(position) * u128::from(people)
        < u128::from(SORT_COST) * u128::from(matches) * u128::from(matches))
}

/// How many active people match.
async fn count(pool: &SqlitePool, search: &Search<'_>, text: &Text) -> sqlx::Result<u64> {
    let mut query = QueryBuilder::<Sqlite>::new("SELECT COUNT(*)");
    match text {
        Text::Index { table, query: fts } if !has_filters(search) => {
            // The index holds active people only: no row to read.
            query
                .push(format!(" FROM {table} WHERE {table} MATCH "))
                .push_bind(fts.clone());
        }
        Text::Index { table, query: fts } => {
            push_walk(&mut query, search, table, fts);
        }
        _ => {
            query.push(" FROM employees e WHERE e.active = 1");
            push_filters(&mut query, search);
        }
    }
    let (total,): (i64,) = query.build_query_as().fetch_one(pool).await?;
    Ok(u64::try_from(total).unwrap_or(0))
}

/// Ids of matching people, in name order, by walking the name-ordered index
/// of the filters and keeping the ids in the match set.
fn push_walk<'a>(
    query: &mut QueryBuilder<'a, Sqlite>,
    search: &Search<'a>,
    table: &str,
    fts: &str,
) {
    // Left to itself the planner starts from the match set and sorts it,
    // which is the other plan: name the index that is already in order.
    let index = match (search.department, search.location) {
        (Some(_), Some(_)) => "employees_by_department_location",
        (Some(_), None) => "employees_by_department",
        (None, Some(_)) => "employees_by_location",
        (None, None) => "employees_by_name",
    };
    query.push(format!(
        " FROM employees e INDEXED BY {index} WHERE e.active = 1"
    ));
    push_filters(query, search);
    query
        .push(format!(
            " AND e.id IN (SELECT rowid FROM {table} WHERE {table} MATCH "
        ))
        .push_bind(fts.to_owned())
        .push(")");
}

/// The matching people, driven by the match set: each match's row is read
/// for its name, to sort them.
fn push_matches_then_people<'a>(
    query: &mut QueryBuilder<'a, Sqlite>,
    search: &Search<'a>,
    table: &str,
    fts: &str,
) {
    // CROSS JOIN keeps this join order: SQLite otherwise may walk a
    // department's index and run the full-text query once per person.
    query
        .push(format!(
            " FROM {table} s CROSS JOIN employees e ON e.id = s.rowid WHERE {table} MATCH "
        ))
        .push_bind(fts.to_owned())
        .push(" AND e.active = 1");
    push_filters(query, search);
}

fn has_filters(search: &Search<'_>) -> bool {
    search.department.is_some() || search.location.is_some()
}

fn push_filters<'a>(query: &mut QueryBuilder<'a, Sqlite>, search: &Search<'a>) {
    if let Some(department) = search.department {
        query.push(" AND e.department = ").push_bind(department);
    }
    if let Some(location) = search.location {
        query.push(" AND e.location = ").push_bind(location);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(table: &'static str, query: &str) -> Text {
        Text::Index {
            table,
            query: query.to_owned(),
        }
    }

    #[test]
    fn three_characters_or_more_are_a_trigram_phrase() {
        assert_eq!(text_query(Some("ada")), index("people_search", "\"ada\""));
        assert_eq!(
            text_query(Some("ada lovelace")),
            index("people_search", "\"ada lovelace\"")
        );
        // FTS5 syntax in the text is only text.
        assert_eq!(
            text_query(Some("a\" OR x*")),
            index("people_search", "\"a\"\" OR x*\"")
        );
        assert_eq!(text_query(Some("%_%")), index("people_search", "\"%_%\""));
    }

    #[test]
    fn one_or_two_letters_are_a_word_prefix() {
        assert_eq!(text_query(Some("Li")), index("people_words", "\"Li\"*"));
        assert_eq!(text_query(Some("ë")), index("people_words", "\"ë\"*"));
        assert_eq!(text_query(Some("7")), index("people_words", "\"7\"*"));
    }

    #[test]
    fn short_punctuation_matches_nobody() {
        for text in ["%", "_", "\\", "a%", "\"", "*", ".", "a-"] {
            assert_eq!(text_query(Some(text)), Text::Nobody, "{text:?}");
        }
    }

    #[test]
    fn no_text_is_everyone() {
        assert_eq!(text_query(None), Text::Any);
    }
}
