//! Directory search on SQLite: two FTS5 indexes over active people
//! (migration `20261126000004_search.sql`): trigrams of name, title and
//! email for 3+ characters, and word prefixes of name and title for 1-2.
//!
//! Measured at 100,000 people (docs/performance.md, "100,000 people"):
//! - The indexes hold active people only, so an unfiltered search counts
//!   its matches without touching `employees`.
//! - A page is found as ids first, through indexes only, and only its rows
//!   are then read in full: `OFFSET` over a join read (and threw away) every
//!   skipped person's row and photo, 0.4 s for the last page.
//! - Many matches: walk the people in name order (an index), from whichever
//!   end is nearer the page, keeping those in the match set, and stop after
//!   the page. Few matches: read and sort them all, which is cheaper than a
//!   walk past mostly non-matching people. With a department or location,
//!   always walk (and count) that filter's own name-ordered index; with a
//!   manager, their reports through the manager index (a few hundred at
//!   most, sorted).

use super::{has_filters, page_window, Text};
use crate::db::{query, Args, Db, Exec as _};
use crate::directory::{PersonRow, Search, SearchPage, PERSON_COLUMNS, PERSON_JOINS};

/// Sorting the matches costs about `SORT_COST` times as much per match as
/// walking costs per index entry (a row read and comparisons against an
/// index step and a probe; measured at 100,000 people).
const SORT_COST: u64 = 2;
const BY_NAME: &str = " ORDER BY e.name COLLATE NOCASE, e.id";
const BY_NAME_REVERSED: &str = " ORDER BY e.name COLLATE NOCASE DESC, e.id DESC";

/// The FTS5 table and query for a search text.
fn fts(text: &Text<'_>) -> Option<(&'static str, String)> {
    // Inside an FTS5 string every character is literal but `"`, doubled.
    let quoted = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    match text {
        Text::Substring(t) => Some(("people_search", quoted(t))),
        Text::WordPrefix(t) => Some(("people_words", format!("{}*", quoted(t)))),
        Text::Any | Text::Nobody => None,
    }
}

pub(super) async fn search(
    db: &Db,
    search: &Search<'_>,
    text: &Text<'_>,
    limit: u32,
    offset: u64,
) -> sqlx::Result<SearchPage> {
    let fts = fts(text);
    let total = count(db, search, fts.as_ref()).await?;
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
    let mut args = Args::default();
    let ids = match &fts {
        // A filter's own index is as good as sorted: its people are few
        // enough to walk, and reading every match's row to check the filter
        // (the other plan) costs more than probing the matches.
        Some((table, fts))
            if has_filters(search)
                || walk_is_cheaper(db, window.skip + window.rows, total).await? =>
        {
            walk(&mut args, search, table, fts)
        }
        Some((table, fts)) => matches_then_people(&mut args, search, table, fts),
        None => format!(
            " FROM employees e WHERE e.active = 1{}",
            filters(&mut args, search)
        ),
    };
    let sql = format!(
        "SELECT {PERSON_COLUMNS} FROM (SELECT e.id{ids}{order} LIMIT {} OFFSET {}) page \
         CROSS JOIN employees e ON e.id = page.id{PERSON_JOINS}{BY_NAME}",
        args.add(window.rows as i64),
        args.add(window.skip as i64),
    );
    // The page's ids drive the join: only its rows are read.
    let people: Vec<PersonRow> = db.fetch_all(query(sql).bind_args(args)).await?;
    Ok(SearchPage { people, total })
}

/// Whether walking the index to the page's `position` (from its end) costs
/// less than sorting all `matches`. The walk passes about `position * people
/// / matches` entries; `people` is bounded by the largest id (one cheap
/// look-up; an exact count would cost a walk of its own).
async fn walk_is_cheaper(db: &Db, position: u64, matches: u64) -> sqlx::Result<bool> {
    let people: i64 = db
        .scalar(query("SELECT COALESCE(MAX(id), 0) FROM employees"))
        .await?;
    let people = u64::try_from(people).unwrap_or(0);
    Ok(u128::from(position) * u128::from(people)
        < u128::from(SORT_COST) * u128::from(matches) * u128::from(matches))
}

/// How many active people match.
async fn count(db: &Db, search: &Search<'_>, fts: Option<&(&str, String)>) -> sqlx::Result<u64> {
    let mut args = Args::default();
    let from = match fts {
        Some((table, fts)) if !has_filters(search) => {
            // The index holds active people only: no row to read.
            format!(
                " FROM {table} WHERE {table} MATCH {}",
                args.add(fts.as_str())
            )
        }
        Some((table, fts)) => walk(&mut args, search, table, fts),
        None => format!(
            " FROM employees e WHERE e.active = 1{}",
            filters(&mut args, search)
        ),
    };
    let total: i64 = db
        .scalar(query(format!("SELECT COUNT(*){from}")).bind_args(args))
        .await?;
    Ok(u64::try_from(total).unwrap_or(0))
}

/// Ids of matching people, in name order, by walking the name-ordered index
/// of the filters and keeping the ids in the match set.
fn walk(args: &mut Args, search: &Search<'_>, table: &str, fts: &str) -> String {
    // Left to itself the planner starts from the match set and sorts it,
    // which is the other plan: name the index that is already in order.
    let index = match (search.department, search.location) {
        // One person's reports are few: their index, then a sort.
        _ if search.manager.is_some() => "employees_by_manager",
        (Some(_), Some(_)) => "employees_by_department_location",
        (Some(_), None) => "employees_by_department",
        (None, Some(_)) => "employees_by_location",
        (None, None) => "employees_by_name",
    };
    let filters = filters(args, search);
    format!(
        " FROM employees e INDEXED BY {index} WHERE e.active = 1{filters} \
         AND e.id IN (SELECT rowid FROM {table} WHERE {table} MATCH {})",
        args.add(fts)
    )
}

/// The matching people, driven by the match set: each match's row is read
/// for its name, to sort them.
fn matches_then_people(args: &mut Args, search: &Search<'_>, table: &str, fts: &str) -> String {
    // CROSS JOIN keeps this join order: SQLite otherwise may walk a
    // department's index and run the full-text query once per person.
    let matched = args.add(fts);
    format!(
        " FROM {table} s CROSS JOIN employees e ON e.id = s.rowid WHERE {table} MATCH {matched} \
         AND e.active = 1{}",
        filters(args, search)
    )
}

fn filters(args: &mut Args, search: &Search<'_>) -> String {
    let mut sql = String::new();
    if let Some(department) = search.department {
        sql.push_str(&format!(" AND e.department = {}", args.add(department)));
    }
    if let Some(location) = search.location {
        sql.push_str(&format!(" AND e.location = {}", args.add(location)));
    }
    if let Some(manager) = search.manager {
        sql.push_str(&format!(" AND e.manager_id = {}", args.add(manager)));
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_characters_or_more_are_a_trigram_phrase() {
        let phrase = |t| fts(&Text::Substring(t));
        assert_eq!(phrase("ada"), Some(("people_search", "\"ada\"".into())));
        assert_eq!(
            phrase("ada lovelace"),
            Some(("people_search", "\"ada lovelace\"".into()))
        );
        // FTS5 syntax in the text is only text.
        assert_eq!(
            phrase("a\" OR x*"),
            Some(("people_search", "\"a\"\" OR x*\"".into()))
        );
    }

    #[test]
    fn one_or_two_letters_are_a_word_prefix_query() {
        assert_eq!(
            fts(&Text::WordPrefix("Li")),
            Some(("people_words", "\"Li\"*".into()))
        );
    }
}
