//! The org chart's reads: a person's chain of managers and a page of
//! someone's direct reports, each person with their own count of reports.
//!
//! The chain is one recursive query, capped in depth, so old data with a
//! reporting loop (A reports to B, B to A) costs one bounded query and the
//! loop is cut in [`cut_chain`] instead of walked forever.

use super::{by_name, PersonRow, PERSON_COLUMNS, PERSON_JOINS};
use crate::db::{query_with, Db, Dialect, Exec as _};
use lanyard_wire::MAX_CHAIN;

/// One person in the chart with how many active people report to them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgRow {
    #[sqlx(flatten)]
    pub person: PersonRow,
    pub reports: i64,
}

/// The managers above someone, top first, and whether a loop cut them.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    pub managers: Vec<OrgRow>,
    pub loop_cut: bool,
}

/// A page of someone's direct reports plus how many there are in all.
#[derive(Debug, Clone)]
pub struct ReportsRows {
    pub people: Vec<OrgRow>,
    pub total: u64,
}

/// `e`'s active direct reports, counted (`employees_by_manager` index).
fn reports_column(dialect: Dialect) -> String {
    format!(
        "(SELECT COUNT(*) FROM employees r WHERE r.manager_id = e.id AND {}) AS reports",
        dialect.is_true("r.active")
    )
}

/// One active person with their count of reports, or `None`.
pub async fn org_person(db: &Db, id: i64) -> sqlx::Result<Option<OrgRow>> {
    let statement = query_with(|d| {
        format!(
            "SELECT {PERSON_COLUMNS}, {} FROM employees e{PERSON_JOINS} WHERE e.id = $1 AND {}",
            reports_column(d),
            d.is_true("e.active")
        )
    });
    db.fetch_optional(statement.bind(id)).await
}

/// The managers above `id`, top first.
pub async fn chain(db: &Db, id: i64) -> sqlx::Result<Chain> {
    // One row per step up, nearest manager first, at most MAX_CHAIN + 1 of
    // them: one more than the chart shows tells a loop from a top.
    let statement = query_with(|d| {
        format!(
            "WITH RECURSIVE up (id, depth) AS ( \
                 SELECT manager_id, 1 FROM employees WHERE id = $1 AND manager_id IS NOT NULL \
                 UNION ALL \
                 SELECT e.manager_id, up.depth + 1 FROM up JOIN employees e ON e.id = up.id \
                 WHERE e.manager_id IS NOT NULL AND up.depth <= $2) \
             SELECT {PERSON_COLUMNS}, {}, up.depth FROM up JOIN employees e ON e.id = up.id{PERSON_JOINS} \
             ORDER BY up.depth",
            reports_column(d)
        )
    });
    let cap = i64::try_from(MAX_CHAIN).unwrap_or(i64::MAX);
    let rows: Vec<OrgRow> = db.fetch_all(statement.bind(id).bind(cap)).await?;
    Ok(cut_chain(id, rows))
}

/// The chain the chart shows from the rows above `person`, nearest first:
/// it ends below a manager who has left (as the profile's "Reports to"
/// does), and where someone comes round again (a loop) or the chain runs
/// past [`MAX_CHAIN`]. Top first.
pub(crate) fn cut_chain(person: i64, rows: Vec<OrgRow>) -> Chain {
    let mut seen = std::collections::HashSet::from([person]);
    let mut managers = Vec::new();
    let mut loop_cut = false;
    for row in rows {
        if !row.person.photo.active {
            break;
        }
        if !seen.insert(row.person.id) || managers.len() == MAX_CHAIN {
            loop_cut = true;
            break;
        }
        managers.push(row);
    }
    managers.reverse();
    Chain { managers, loop_cut }
}

/// One page of `manager`'s active direct reports, by name.
pub async fn reports(db: &Db, manager: i64, limit: u32, offset: u64) -> sqlx::Result<ReportsRows> {
    let count = query_with(|d| {
        format!(
            "SELECT COUNT(*) FROM employees e WHERE e.manager_id = $1 AND {}",
            d.is_true("e.active")
        )
    });
    let total: i64 = db.scalar(count.bind(manager)).await?;
    let total = u64::try_from(total).unwrap_or_default();
    if offset >= total {
        return Ok(ReportsRows {
            people: Vec::new(),
            total,
        });
    }
    let page = query_with(|d| {
        format!(
            "SELECT {PERSON_COLUMNS}, {} FROM employees e{PERSON_JOINS} \
             WHERE e.manager_id = $1 AND {} ORDER BY {} LIMIT $2 OFFSET $3",
            reports_column(d),
            d.is_true("e.active"),
            by_name(d, "e")
        )
    });
    let offset = i64::try_from(offset).unwrap_or(i64::MAX);
    let people = db
        .fetch_all(page.bind(manager).bind(i64::from(limit)).bind(offset))
        .await?;
    Ok(ReportsRows { people, total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::photo_urls::PhotoFacts;

    fn row(id: i64, active: bool) -> OrgRow {
        OrgRow {
            person: PersonRow {
                id,
                name: format!("P{id}"),
                title: String::new(),
                department: String::new(),
                location: String::new(),
                time_zone: None,
                photo: PhotoFacts {
                    active,
                    photo_version_id: None,
                    photo_state: None,
                },
            },
            reports: 1,
        }
    }

    fn ids(chain: &Chain) -> Vec<i64> {
        chain.managers.iter().map(|r| r.person.id).collect()
    }

    #[test]
    fn a_chain_is_shown_top_first() {
        let chain = cut_chain(1, vec![row(2, true), row(3, true), row(4, true)]);
        assert_eq!(ids(&chain), [4, 3, 2]);
        assert!(!chain.loop_cut);
    }

    #[test]
    fn a_manager_who_left_ends_the_chain() {
        let chain = cut_chain(1, vec![row(2, true), row(3, false), row(4, true)]);
        assert_eq!(ids(&chain), [2]);
        assert!(!chain.loop_cut);
    }

    #[test]
    fn a_loop_back_to_the_person_is_cut() {
        // 1 → 2 → 3 → 1 → 2 …: the recursive query repeats until its cap.
        let rows = [2, 3, 1, 2, 3, 1].map(|id| row(id, true)).to_vec();
        let chain = cut_chain(1, rows);
        assert_eq!(ids(&chain), [3, 2]);
        assert!(chain.loop_cut);
    }

    #[test]
    fn a_loop_above_the_person_is_cut_where_it_repeats() {
        // 1 → 2 → 3 → 4 → 3 → 4 …
        let rows = [2, 3, 4, 3, 4, 3].map(|id| row(id, true)).to_vec();
        let chain = cut_chain(1, rows);
        assert_eq!(ids(&chain), [4, 3, 2]);
        assert!(chain.loop_cut);
    }

    #[test]
    fn someone_managing_themself_has_no_managers() {
        let chain = cut_chain(1, vec![row(1, true), row(1, true)]);
        assert!(chain.managers.is_empty());
        assert!(chain.loop_cut);
    }

    #[test]
    fn a_chain_longer_than_the_cap_is_cut_at_the_cap() {
        let rows: Vec<_> = (2..).take(MAX_CHAIN + 1).map(|id| row(id, true)).collect();
        let chain = cut_chain(1, rows);
        assert_eq!(chain.managers.len(), MAX_CHAIN);
        assert!(chain.loop_cut);
        let full: Vec<_> = (2..).take(MAX_CHAIN).map(|id| row(id, true)).collect();
        assert!(!cut_chain(1, full).loop_cut);
    }
}
