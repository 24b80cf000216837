//! Running a CSV import: read the file, plan it ([`super::plan`]), and —
//! unless it is a dry run or has errors — apply the plan in one
//! transaction together with its audit entry. All or
//! nothing: one bad line and nobody is added or changed.
//!
//! A real import plans inside its write transaction, against the directory
//! as it is at that moment, so what is checked is exactly what is written
//! on (no other write can come in between).

use super::csv_file;
use super::edit::Actor;
use super::fields::email_key;
use super::people;
use super::plan::{self, ManagerRef, Plan};
use crate::audit::{self, Entry, Subject};
use crate::db::{Db, Exec, Tx};
use crate::error::{AppError, AppResult};
use anyhow::Context as _;
use lanyard_wire::{AuditAction, ImportChange, ImportLineError, ImportReport, Timestamp};
use std::collections::HashMap;

/// How many line errors a refused import's message quotes.
const ERRORS_IN_MESSAGE: usize = 5;

/// Checks `csv` and, unless `dry_run` or it has errors, imports it. The
/// report's `applied` says whether anything was written.
pub async fn run(
    db: &Db,
    actor: &Actor,
    now: Timestamp,
    csv: String,
    dry_run: bool,
) -> AppResult<ImportReport> {
    // Only HR imports (a provider keeps people current over SCIM instead).
    let hr = actor.person().ok_or(AppError::Forbidden)?;
    if dry_run {
        let plan = plan_on(db, csv, hr).await?;
        return Ok(report(&plan, now, true, false));
    }
    let mut tx = db.begin().await?;
    // No other change to the directory between the plan and its writes.
    tx.lock_directory().await?;
    let plan = plan_on(&mut tx, csv, hr).await?;
    if !plan.errors.is_empty() {
        // Dropping the transaction rolls it back; it wrote nothing anyway.
        return Ok(report(&plan, now, false, false));
    }
    apply(&mut tx, &plan, actor, now).await?;
    tx.commit().await?;
    tracing::info!(
        actor = hr,
        added = plan.adds.len(),
        updated = plan.updates.len(),
        "import applied"
    );
    Ok(report(&plan, now, false, true))
}

/// Reads everyone on `conn` and plans the file against them, off the async
/// workers (a large directory and file take a moment of CPU).
async fn plan_on(ex: impl Exec, csv: String, actor: i64) -> AppResult<Plan> {
    let everyone = people::everyone(ex).await?;
    let plan = tokio::task::spawn_blocking(move || {
        let file = csv_file::parse(&csv);
        plan::plan(&everyone, &file, actor)
    })
    .await
    .context("planning an import panicked")?;
    Ok(plan)
}

/// Writes `plan` on `conn` (inside the caller's transaction): the adds,
/// then the managers the import itself added, then the updates, then one
/// audit entry naming everyone added or changed.
async fn apply(tx: &mut Tx, plan: &Plan, actor: &Actor, now: Timestamp) -> AppResult<()> {
    let mut added: HashMap<String, i64> = HashMap::new();
    let mut subjects = Vec::new();
    for add in &plan.adds {
        let manager = match &add.manager {
            Some(ManagerRef::Existing(id)) => Some(*id),
            // Set below, once every added person has an id.
            Some(ManagerRef::Added(_)) | None => None,
        };
        // Imported people get no password either: see `people::insert`.
        let id = people::insert(tx, &add.fields, manager, now.as_millis()).await?;
        added.insert(email_key(&add.fields.email), id);
        subjects.push(id);
    }
    let resolve =
        |manager: &Option<ManagerRef>| -> AppResult<Option<i64>> {
            Ok(match manager {
                None => None,
                Some(ManagerRef::Existing(id)) => Some(*id),
                Some(ManagerRef::Added(key)) => Some(*added.get(key).with_context(|| {
                    format!("the import's plan names {key} but never adds them")
                })?),
            })
        };
    for add in &plan.adds {
        if let Some(ManagerRef::Added(_)) = &add.manager {
            let id = added[&email_key(&add.fields.email)];
            people::set_manager(tx, id, resolve(&add.manager)?).await?;
        }
    }
    for update in &plan.updates {
        let manager = resolve(&update.manager)?;
        people::update(tx, update.id, &update.fields, manager).await?;
        subjects.push(update.id);
    }
    let entry = Entry {
        actor: actor.person(),
        action: AuditAction::ImportApplied,
        subjects: subjects
            .into_iter()
            .map(|employee_id| Subject {
                employee_id,
                photo_version_id: None,
            })
            .collect(),
        detail: format!(
            "Imported a CSV file: {} added, {} updated, {} unchanged.",
            plan.adds.len(),
            plan.updates.len(),
            plan.unchanged
        ),
        ip: actor.ip(),
    };
    audit::append(tx, now, &entry).await?;
    Ok(())
}

fn report(plan: &Plan, now: Timestamp, dry_run: bool, applied: bool) -> ImportReport {
    ImportReport {
        server_time: now,
        dry_run,
        applied,
        adds: plan
            .adds
            .iter()
            .map(|add| ImportChange {
                line: add.line,
                email: add.fields.email.clone(),
                name: add.fields.name.clone(),
                changed: Vec::new(),
            })
            .collect(),
        updates: plan
            .updates
            .iter()
            .map(|update| ImportChange {
                line: update.line,
                email: update.fields.email.clone(),
                name: update.fields.name.clone(),
                changed: update.changed.iter().map(|&c| c.to_owned()).collect(),
            })
            .collect(),
        unchanged: plan.unchanged,
        errors: plan.errors.clone(),
    }
}

/// The message of a refused import: that nothing was imported, and the
/// first few line errors.
pub fn refusal(errors: &[ImportLineError]) -> String {
    let mut message = format!("Nothing was imported: {} line error(s). ", errors.len());
    let quoted: Vec<_> = errors
        .iter()
        .take(ERRORS_IN_MESSAGE)
        .map(|e| format!("Line {}: {}", e.line, e.message))
        .collect();
    message.push_str(&quoted.join(" "));
    if errors.len() > ERRORS_IN_MESSAGE {
        message.push_str(&format!(
            " … and {} more.",
            errors.len() - ERRORS_IN_MESSAGE
        ));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(line: u32) -> ImportLineError {
        ImportLineError {
            line,
            message: format!("problem {line}."),
        }
    }

    #[test]
    fn a_refusal_quotes_the_first_errors_and_counts_the_rest() {
        let errors: Vec<_> = (2..10).map(error).collect();
        let message = refusal(&errors);
        assert!(
            message.starts_with("Nothing was imported: 8 line error(s)."),
            "{message}"
        );
        assert!(message.contains("Line 2: problem 2."), "{message}");
        assert!(message.contains("Line 6: problem 6."), "{message}");
        assert!(!message.contains("Line 7"), "{message}");
        assert!(message.ends_with("… and 3 more."), "{message}");
    }
}
