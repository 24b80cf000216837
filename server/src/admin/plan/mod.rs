//! What an import would do, decided without touching anything: a pure
//! function from the people the directory has and the lines of the file to
//! a [`Plan`] of adds, updates, unchanged lines and errors by line.
//!
//! Sans-IO, so every rule is unit-tested without a database, and so the
//! same code answers a dry run (planned against a snapshot) and a real
//! import (planned inside the write transaction that applies it, so nothing
//! can change between the check and the write).
//!
//! People are matched by email, ignoring ASCII case as the database does.
//! A manager may be someone already in the directory or someone the same
//! file adds, on any line, before or after. The reporting tree the import
//! would leave is checked for loops as a whole.

use super::csv_file::{CsvFile, CsvRow};
use super::fields::{self, CleanFields, RawFields};
use lanyard_wire::{ImportLineError, Role};
use std::collections::{HashMap, HashSet};

/// One person as the directory has them (active or not).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExistingPerson {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    pub location: String,
    pub phone: String,
    pub manager_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub role: DbRole,
    pub active: bool,
}

/// A role as stored (`employee` / `hr`), readable by sqlx.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DbRole(pub Role);

impl From<String> for DbRole {
    fn from(value: String) -> Self {
        Self(crate::auth::role_of(&value))
    }
}

/// Who a planned person reports to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManagerRef {
    /// Someone already in the directory.
    Existing(i64),
    /// Someone this import adds, by email key (they have no id yet).
    Added(String),
}

/// A line that adds a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedAdd {
    pub line: u32,
    pub fields: CleanFields,
    pub manager: Option<ManagerRef>,
}

/// A line that changes a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedUpdate {
    pub line: u32,
    pub id: i64,
    /// The fields after the import. The email stays as the directory
    /// spells it (the file's may differ in case only).
    pub fields: CleanFields,
    pub manager: Option<ManagerRef>,
    /// Which fields change: `name`, `title`, `department`, `location`,
    /// `phone`, `manager`, `role`.
    pub changed: Vec<&'static str>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub adds: Vec<PlannedAdd>,
    pub updates: Vec<PlannedUpdate>,
    /// Lines that match their person exactly.
    pub unchanged: u32,
    /// Sorted by line. Not empty: nothing may be written.
    pub errors: Vec<ImportLineError>,
}

/// One line on its way through the checks.
struct Candidate<'a> {
    row: &'a CsvRow,
    key: String,
    existing: Option<&'a ExistingPerson>,
    fields: Option<CleanFields>,
    /// `Err(())`: the manager cell is wrong (its error is already recorded).
    manager: Result<Option<ManagerRef>, ()>,
}

/// Plans the import of `file` into a directory holding `people`, on behalf
/// of HR member `actor` (who cannot take away their own HR role this way,
/// any more than in the editor).
pub fn plan(people: &[ExistingPerson], file: &CsvFile, actor: i64) -> Plan {
    let by_key: HashMap<String, &ExistingPerson> = people
        .iter()
        .map(|p| (fields::email_key(&p.email), p))
        .collect();
    let by_id: HashMap<i64, &ExistingPerson> = people.iter().map(|p| (p.id, p)).collect();
    let mut errors = file.errors.clone();
    let mut error = |line: u32, message: String| errors.push(ImportLineError { line, message });

    // Each email once: a later line with the same email is an error, the
    // first one stands (and is what other lines' manager_email refer to).
    let mut first_line: HashMap<String, u32> = HashMap::new();
    let mut rows = Vec::new();
    for row in &file.rows {
        let key = fields::email_key(&row.email);
        match first_line.get(&key) {
            Some(first) if !key.is_empty() => error(
                row.line,
                format!("email {} is also on line {first}.", row.email.trim()),
            ),
            _ => {
                first_line.insert(key.clone(), row.line);
                rows.push((row, key));
            }
        }
    }

    let mut candidates = Vec::with_capacity(rows.len());
    for (row, key) in rows {
        let existing = by_key.get(&key).copied();
        let keep_role = existing.map_or(Role::Employee, |p| p.role.0);
        let role = match row.role.as_deref().map(str::trim) {
            None | Some("") => Some(keep_role),
            Some(spelled) => fields::parse_role(spelled),
        };
        if role.is_none() {
            error(
                row.line,
                "role must be employee or hr (or empty).".to_owned(),
            );
        }
        let raw = RawFields {
            name: &row.name,
            email: &row.email,
            title: &row.title,
            department: &row.department,
            location: &row.location,
            phone: &row.phone,
            role: role.unwrap_or(keep_role),
        };
        let fields = match fields::clean(raw) {
            Ok(clean) => role.map(|_| clean),
            Err(problems) => {
                for problem in problems {
                    error(row.line, format!("{problem}"));
                }
                None
            }
        };
        if let (Some(me), Some(clean)) = (existing, &fields) {
            if me.id == actor && me.role.0 == Role::Hr && clean.role != Role::Hr {
                error(
                    row.line,
                    "role: you cannot take away your own HR role.".to_owned(),
                );
            }
        }
        let manager = manager_of(row, &key, existing, &first_line, &by_key, &by_id)
            .map_err(|message| error(row.line, message));
        candidates.push(Candidate {
            row,
            key,
            existing,
            fields,
            manager,
        });
    }

    for (line, message) in loops(&candidates, &by_key, &by_id) {
        error(line, message);
    }
    errors.sort_by_key(|e| e.line);

    let mut plan = Plan::default();
    let failed: HashSet<u32> = errors.iter().map(|e| e.line).collect();
    for candidate in candidates {
        let (Some(fields), Ok(manager)) = (candidate.fields, candidate.manager) else {
            continue;
        };
        if failed.contains(&candidate.row.line) {
            continue;
        }
        let line = candidate.row.line;
        match candidate.existing {
            None => plan.adds.push(PlannedAdd {
                line,
                fields,
                manager,
            }),
            Some(me) => {
                let fields = CleanFields {
                    email: me.email.clone(),
                    ..fields
                };
                let changed = changes(me, &fields, manager.as_ref());
                if changed.is_empty() {
                    plan.unchanged += 1;
                } else {
                    plan.updates.push(PlannedUpdate {
                        line,
                        id: me.id,
                        fields,
                        manager,
                        changed,
                    });
                }
            }
        }
    }
    plan.errors = errors;
    plan
}

/// Whom the line's person will report to, or what is wrong with its
/// `manager_email` cell.
fn manager_of(
    row: &CsvRow,
    key: &str,
    existing: Option<&ExistingPerson>,
    in_file: &HashMap<String, u32>,
    by_key: &HashMap<String, &ExistingPerson>,
    by_id: &HashMap<i64, &ExistingPerson>,
) -> Result<Option<ManagerRef>, String> {
    let current = existing.and_then(|p| p.manager_id);
    let Some(cell) = row.manager_email.as_deref().map(str::trim) else {
        // No manager_email column: managers stay as they are.
        return Ok(current.map(ManagerRef::Existing));
    };
    if cell.is_empty() {
        return Ok(None);
    }
    let manager_key = fields::email_key(cell);
    if manager_key == key {
        return Err("manager_email is this person themself.".to_owned());
    }
    match by_key.get(&manager_key) {
        Some(manager) => {
            // Someone who has left may stay the manager of record of those
            // who already report to them (reports keep working when their
            // manager is deactivated), but no one new reports to them.
            let is_current = current == Some(manager.id);
            let still_inactive = !by_id.get(&manager.id).is_some_and(|m| m.active);
            if still_inactive && !is_current {
                return Err(format!(
                    "manager_email {cell} belongs to someone deactivated."
                ));
            }
            Ok(Some(ManagerRef::Existing(manager.id)))
        }
        None if in_file.contains_key(&manager_key) => Ok(Some(ManagerRef::Added(manager_key))),
        None => Err(format!(
            "manager_email {cell} is neither in the directory nor in this file."
        )),
    }
}

/// The fields of `me` that `fields` and `manager` would change.
fn changes(
    me: &ExistingPerson,
    fields: &CleanFields,
    manager: Option<&ManagerRef>,
) -> Vec<&'static str> {
    let mut changed = Vec::new();
    for (name, before, after) in [
        ("name", &me.name, &fields.name),
        ("title", &me.title, &fields.title),
        ("department", &me.department, &fields.department),
        ("location", &me.location, &fields.location),
        ("phone", &me.phone, &fields.phone),
    ] {
        if before != after {
            changed.push(name);
        }
    }
    let manager_after = match manager {
        None => None,
        Some(ManagerRef::Existing(id)) => Some(*id),
        // A person the import adds has no id yet: certainly a change.
        Some(ManagerRef::Added(_)) => Some(i64::MIN),
    };
    if me.manager_id != manager_after {
        changed.push("manager");
    }
    if me.role.0 != fields.role {
        changed.push("role");
    }
    changed
}

/// Lines whose person would be in a loop of the reporting tree after the
/// import, each with a message naming the loop. The directory itself has
/// no loops, so every loop runs through at least one line of the file, and
/// every line on it is reported.
fn loops(
    candidates: &[Candidate<'_>],
    by_key: &HashMap<String, &ExistingPerson>,
    by_id: &HashMap<i64, &ExistingPerson>,
) -> Vec<(u32, String)> {
    let from_file: HashMap<&str, &Candidate<'_>> =
        candidates.iter().map(|c| (c.key.as_str(), c)).collect();
    let key_of_id = |id: i64| by_id.get(&id).map(|p| fields::email_key(&p.email));
    let next = |key: &str| -> Option<String> {
        match from_file.get(key) {
            Some(candidate) => match &candidate.manager {
                Ok(Some(ManagerRef::Existing(id))) => key_of_id(*id),
                Ok(Some(ManagerRef::Added(k))) => Some(k.clone()),
                // No manager, or a wrong cell (reported already): the chain ends.
                Ok(None) | Err(()) => None,
            },
            None => by_key
                .get(key)
                .and_then(|p| p.manager_id)
                .and_then(key_of_id),
        }
    };
    // Each person has at most one manager, so walking up from every line
    // and remembering finished people visits each person once.
    let mut finished: HashSet<String> = HashSet::new();
    let mut found = Vec::new();
    for candidate in candidates {
        let mut path: Vec<String> = Vec::new();
        let mut on_path: HashSet<String> = HashSet::new();
        let mut current = Some(candidate.key.clone());
        while let Some(key) = current {
            if finished.contains(&key) {
                break;
            }
            if on_path.contains(&key) {
                let start = path.iter().position(|k| *k == key).unwrap_or(0);
                found.push(path[start..].to_vec());
                break;
            }
            on_path.insert(key.clone());
            path.push(key.clone());
            current = next(&key);
        }
        finished.extend(path);
    }
    let mut lines = Vec::new();
    for cycle in found {
        let mut shown = cycle.clone();
        shown.push(cycle[0].clone());
        let shown = shown.join(" → ");
        for key in &cycle {
            if let Some(candidate) = from_file.get(key.as_str()) {
                lines.push((
                    candidate.row.line,
                    format!("manager_email makes a loop in the reporting line: {shown}."),
                ));
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests;
