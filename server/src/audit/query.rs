//! Reading the audit log: filtered, newest first, paged by cursor (the
//! last entry id seen), with the names of the people each entry names.

use super::action_name;
use crate::db::{query, Args, Db, Exec as _};
use lanyard_wire::{AuditAction, AuditEntry, AuditExportQuery, AuditPerson, AuditQuery};
use lanyard_wire::{EmployeeId, Timestamp};
use lanyard_wire::{DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE};
use std::collections::HashMap;

/// The filters of an [`AuditQuery`], checked.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub person: Option<i64>,
    pub actor: Option<i64>,
    pub action: Option<AuditAction>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

impl Filter {
    pub fn of(query: &AuditQuery) -> Result<Self, String> {
        Self::of_export(&AuditExportQuery {
            person: query.person,
            actor: query.actor,
            action: query.action,
            from: query.from,
            to: query.to,
        })
    }

    /// The filters of an export, which are a page's without the paging.
    /// `unknown` is how a reader spells an action a newer release wrote; a
    /// filter must name an action this release knows.
    pub fn of_export(query: &AuditExportQuery) -> Result<Self, String> {
        if query.action == Some(AuditAction::Unknown) {
            return Err("action is not an audit action this server knows.".to_owned());
        }
        Ok(Self {
            person: query.person.map(|p| p.0),
            actor: query.actor.map(|p| p.0),
            action: query.action,
            from: query.from,
            to: query.to,
        })
    }
}

/// The page size a query asks for, or why it may not.
pub fn page_size(query: &AuditQuery) -> Result<u32, String> {
    match query.limit.unwrap_or(DEFAULT_AUDIT_PAGE) {
        0 => Err("limit must be at least 1.".to_owned()),
        n if n > MAX_AUDIT_PAGE => Err(format!("limit may be at most {MAX_AUDIT_PAGE}.")),
        n => Ok(n),
    }
}

#[derive(sqlx::FromRow)]
struct LogRow {
    id: i64,
    at: i64,
    actor_id: Option<i64>,
    actor_name: Option<String>,
    actor_label: Option<String>,
    action: String,
    detail: String,
    ip: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SubjectRow {
    entry_id: i64,
    employee_id: i64,
    name: Option<String>,
}

/// Up to `limit` entries matching `filter` with ids below `before`, newest
/// first, and whether there are more.
pub async fn entries(
    db: &Db,
    filter: &Filter,
    before: Option<i64>,
    limit: u32,
) -> sqlx::Result<(Vec<AuditEntry>, bool)> {
    let mut args = Args::default();
    let mut sql = "SELECT l.id, l.at, l.actor_id, a.name AS actor_name, l.actor_label, l.action, l.detail, l.ip \
         FROM audit_log l LEFT JOIN employees a ON a.id = l.actor_id WHERE 1 = 1"
        .to_owned();
    if let Some(person) = filter.person {
        sql += &format!(
            " AND l.id IN (SELECT entry_id FROM audit_subjects WHERE employee_id = {})",
            args.add(person)
        );
    }
    if let Some(actor) = filter.actor {
        sql += &format!(" AND l.actor_id = {}", args.add(actor));
    }
    if let Some(action) = filter.action {
        sql += &format!(" AND l.action = {}", args.add(action_name(action)));
    }
    if let Some(from) = filter.from {
        sql += &format!(" AND l.at >= {}", args.add(from.0));
    }
    if let Some(to) = filter.to {
        sql += &format!(" AND l.at < {}", args.add(to.0));
    }
    if let Some(before) = before {
        sql += &format!(" AND l.id < {}", args.add(before));
    }
    sql += &format!(
        " ORDER BY l.id DESC LIMIT {}",
        args.add(i64::from(limit) + 1)
    );
    let mut rows: Vec<LogRow> = db.fetch_all(query(sql).bind_args(args)).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let mut subjects = subjects_of(db, rows.iter().map(|r| r.id)).await?;
    let entries = rows
        .into_iter()
        .map(|row| AuditEntry {
            id: row.id,
            at: Timestamp(row.at),
            actor: row.actor_id.map(|id| person(id, row.actor_name)),
            via: row.actor_label,
            action: parse_action(&row.action),
            subjects: subjects.remove(&row.id).unwrap_or_default(),
            detail: row.detail,
            ip: row.ip,
        })
        .collect();
    Ok((entries, more))
}

/// The subjects of the entries `ids`, each list in the order written.
async fn subjects_of(
    db: &Db,
    ids: impl Iterator<Item = i64>,
) -> sqlx::Result<HashMap<i64, Vec<AuditPerson>>> {
    let ids: Vec<i64> = ids.collect();
    let mut found: HashMap<i64, Vec<AuditPerson>> = HashMap::new();
    if ids.is_empty() {
        return Ok(found);
    }
    let mut args = Args::default();
    let sql = format!(
        "SELECT s.entry_id, s.employee_id, e.name FROM audit_subjects s \
         LEFT JOIN employees e ON e.id = s.employee_id WHERE s.entry_id IN ({}) \
         ORDER BY s.entry_id, s.employee_id",
        args.list(ids)
    );
    let rows: Vec<SubjectRow> = db.fetch_all(query(sql).bind_args(args)).await?;
    for row in rows {
        found
            .entry(row.entry_id)
            .or_default()
            .push(person(row.employee_id, row.name));
    }
    Ok(found)
}

fn person(id: i64, name: Option<String>) -> AuditPerson {
    AuditPerson {
        id: EmployeeId(id),
        // The log outlives records; a missing one still shows its id.
        name: name.unwrap_or_else(|| format!("person #{id}")),
    }
}

fn parse_action(stored: &str) -> AuditAction {
    serde_json::from_value(serde_json::Value::String(stored.to_owned()))
        .unwrap_or(AuditAction::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_action_names_read_back() {
        for action in [
            AuditAction::SignInFailed,
            AuditAction::UrlsGranted,
            AuditAction::PhotoErased,
        ] {
            assert_eq!(parse_action(&action_name(action)), action);
        }
        assert_eq!(parse_action("from_the_future"), AuditAction::Unknown);
    }

    #[test]
    fn page_sizes_default_and_are_capped() {
        let mut query = AuditQuery::default();
        assert_eq!(page_size(&query), Ok(DEFAULT_AUDIT_PAGE));
        query.limit = Some(0);
        assert!(page_size(&query).is_err());
        query.limit = Some(MAX_AUDIT_PAGE + 1);
        assert!(page_size(&query).is_err());
        query.limit = Some(MAX_AUDIT_PAGE);
        assert_eq!(page_size(&query), Ok(MAX_AUDIT_PAGE));
    }
}
