//! Directory search on PostgreSQL (migration `…04_search.sql`; the SQL and
//! its measurements: `server/migrations/postgres/SEARCH.md`):
//! - 3+ characters: `search_text LIKE lanyard_contains_pattern($1)`, a
//!   pg_trgm GIN index over name, title and email folded for case and
//!   diacritics (unaccent), joined by a control character no search text
//!   holds, so a match never spans two fields, as in SQLite's FTS5 columns;
//! - 1-2 characters: `search_prefixes @> ARRAY[lanyard_fold($1)]`, the
//!   folded 1- and 2-character starts of every word (FTS5's prefix index);
//! - order: `name_key` (ASCII case folded, code point order: SQLite's
//!   `NOCASE`), then id.
//!
//! Counts without a text, or with 1-2 characters, are sums over count
//! tables the triggers keep; a 3+ character text is counted through its
//! index. A page is a walk in name order (an index) when matches are
//! many, or every match collected and sorted when they are few: few is at
//! most 3 % of the people the filters leave, or SQLite's rule says so
//! (word prefixes bunch up in name order, which the rule alone misses).
//! Every statement runs unprepared ([`crate::db::Statement::unprepared`]).

use super::{has_filters, page_window, Text};
use crate::db::{query, Args, Db, Exec as _};
use crate::directory::{PersonRow, Search, SearchPage, PERSON_COLUMNS, PERSON_JOINS};

/// As on SQLite: sorting costs about twice a walk's step per match.
const SORT_COST: u64 = 2;
/// Matches up to this percentage of the filtered people are sorted.
const SORT_PERCENT: u64 = 3;

pub(super) async fn search(
    db: &Db,
    search: &Search<'_>,
    text: &Text<'_>,
    limit: u32,
    offset: u64,
) -> sqlx::Result<SearchPage> {
    let total = count(db, search, text).await?;
    let Some(window) = page_window(total, limit, offset) else {
        return Ok(SearchPage {
            people: Vec::new(),
            total,
        });
    };
    // Past the middle the page is read from the end; the outer ORDER BY
    // puts it back in name order.
    let order = if window.backwards {
        "ORDER BY {k}.name_key DESC, {k}.id DESC"
    } else {
        "ORDER BY {k}.name_key, {k}.id"
    };
    let sort = match text {
        // One person's reports are few: collect and sort them.
        _ if search.manager.is_some() => true,
        Text::Any | Text::Nobody => false,
        _ => {
            let people = count(db, search, &Text::Any).await?;
            total * 100 <= people * SORT_PERCENT
                || (window.skip + window.rows) * people >= SORT_COST * total * total
        }
    };
    let mut args = Args::default();
    let condition = matching(&mut args, search, text);
    let (rows, skip) = (args.add(window.rows as i64), args.add(window.skip as i64));
    let sql = if sort {
        format!(
            "WITH matches AS MATERIALIZED (SELECT e.id, e.name_key, e.active FROM employees e \
             WHERE {condition}) \
             SELECT {PERSON_COLUMNS} FROM (SELECT m.id FROM matches m {} LIMIT {rows} OFFSET {skip}) page \
             JOIN employees e ON e.id = page.id{PERSON_JOINS} ORDER BY e.name_key, e.id",
            order.replace("{k}", "m")
        )
    } else {
        format!(
            "SELECT {PERSON_COLUMNS} FROM (SELECT e.id FROM employees e WHERE {condition} {} \
             LIMIT {rows} OFFSET {skip}) page \
             JOIN employees e ON e.id = page.id{PERSON_JOINS} ORDER BY e.name_key, e.id",
            order.replace("{k}", "e")
        )
    };
    let people: Vec<PersonRow> = db
        .fetch_all(query(sql).bind_args(args).unprepared())
        .await?;
    Ok(SearchPage { people, total })
}

/// How many active people match: from the count tables, or through the
/// trigram index for a 3+ character text.
async fn count(db: &Db, search: &Search<'_>, text: &Text<'_>) -> sqlx::Result<u64> {
    let mut args = Args::default();
    let sql = match text {
        // The count tables are per department and location only; one
        // person's reports are counted through the manager index.
        _ if search.manager.is_some() => format!(
            "SELECT count(*) FROM employees e WHERE {}",
            matching(&mut args, search, text)
        ),
        Text::Substring(_) => {
            // `FILTER` names a column no index holds, which keeps the
            // planner on the trigram index's bitmap rather than a scan of
            // every entry of the covering index (SEARCH.md, "The count").
            format!(
                "SELECT count(*) FILTER (WHERE e.active) FROM employees e WHERE {}",
                matching(&mut args, search, text)
            )
        }
        Text::WordPrefix(t) => format!(
            "SELECT coalesce(sum(c.people), 0)::bigint FROM directory_prefix_counts c \
             WHERE c.prefix = lanyard_fold({}){}",
            args.add(*t),
            count_filters(&mut args, search)
        ),
        Text::Any | Text::Nobody => {
            let filters = count_filters(&mut args, search);
            let filters = filters.strip_prefix(" AND ").map(|f| format!(" WHERE {f}"));
            format!(
                "SELECT coalesce(sum(c.people), 0)::bigint FROM directory_counts c{}",
                filters.unwrap_or_default()
            )
        }
    };
    let total: i64 = db.scalar(query(sql).bind_args(args).unprepared()).await?;
    Ok(u64::try_from(total).unwrap_or(0))
}

fn count_filters(args: &mut Args, search: &Search<'_>) -> String {
    let mut sql = String::new();
    if let Some(department) = search.department {
        sql += &format!(" AND c.department = {}", args.add(department));
    }
    if let Some(location) = search.location {
        sql += &format!(" AND c.location = {}", args.add(location));
    }
    sql
}

/// The condition on `e` for active people matching the search. The text
/// is bound as typed: folding and LIKE's escaping happen in SQL, escaping
/// after folding (unaccent turns "％" into "%").
fn matching(args: &mut Args, search: &Search<'_>, text: &Text<'_>) -> String {
    let mut sql = "e.active".to_owned();
    match text {
        Text::Substring(t) => {
            sql += &format!(
                " AND e.search_text LIKE lanyard_contains_pattern({})",
                args.add(*t)
            );
        }
        Text::WordPrefix(t) => {
            sql += &format!(
                " AND e.search_prefixes @> ARRAY[lanyard_fold({})]",
                args.add(*t)
            );
        }
        Text::Any | Text::Nobody => {}
    }
    if has_filters(search) {
        if let Some(department) = search.department {
            sql += &format!(" AND e.department = {}", args.add(department));
        }
        if let Some(location) = search.location {
            sql += &format!(" AND e.location = {}", args.add(location));
        }
        if let Some(manager) = search.manager {
            sql += &format!(" AND e.manager_id = {}", args.add(manager));
        }
    }
    sql
}
