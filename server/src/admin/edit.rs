//! HR's single edits: add a person, change one, deactivate or reactivate
//! one. Each is one `BEGIN IMMEDIATE` transaction that checks, writes and
//! appends its audit entry, so the checks see what the write changes and
//! the change and its record commit together.

use super::fields::{self, CleanFields, RawFields};
use super::people;
use super::plan::ExistingPerson;
use crate::audit::{self, Entry, Subject};
use crate::db::{Db, Tx};
use crate::error::{AppError, AppResult};
use lanyard_wire::{AuditAction, EmployeeId, PersonFields, PersonRecord, Role, Timestamp};

/// Who is making a change, and from where (for the audit log).
#[derive(Debug, Clone)]
pub enum Actor {
    /// A signed-in person (HR).
    Person { id: i64, ip: Option<String> },
    /// An identity provider over SCIM: `label` is what the audit log shows
    /// as the actor, e.g. `SCIM (okta)`.
    Provider { label: String, ip: Option<String> },
}

impl Actor {
    /// The acting person, if a person acts.
    pub fn person(&self) -> Option<i64> {
        match self {
            Self::Person { id, .. } => Some(*id),
            Self::Provider { .. } => None,
        }
    }

    pub fn ip(&self) -> Option<String> {
        match self {
            Self::Person { ip, .. } | Self::Provider { ip, .. } => ip.clone(),
        }
    }

    fn label(&self) -> Option<&str> {
        match self {
            Self::Person { .. } => None,
            Self::Provider { label, .. } => Some(label),
        }
    }
}

/// Adds a person; their id.
pub async fn create(
    db: &Db,
    actor: &Actor,
    now: Timestamp,
    input: &PersonFields,
) -> AppResult<i64> {
    let clean = checked(input)?;
    let mut tx = db.begin().await?;
    tx.lock_directory().await?;
    let id = create_in(&mut tx, actor, now, &clean, input.manager.map(|m| m.0)).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create`] inside the caller's transaction, which holds the directory
/// lock, for checked fields.
pub async fn create_in(
    tx: &mut Tx,
    actor: &Actor,
    now: Timestamp,
    clean: &CleanFields,
    manager: Option<i64>,
) -> AppResult<i64> {
    refuse_taken_email(tx, &clean.email, None).await?;
    if let Some(manager) = manager {
        check_manager(tx, actor, None, manager).await?;
    }
    let id = people::insert(tx, clean, manager, now.as_millis())
        .await
        .map_err(conflict_on_duplicate)?;
    let detail = format!(
        "Added {} <{}> as {}.",
        clean.name,
        clean.email,
        fields::role_name(clean.role)
    );
    record_change(tx, now, actor, AuditAction::PersonAdded, id, detail).await?;
    tracing::info!(actor = ?actor.person(), employee = id, "person added");
    Ok(id)
}

/// Overwrites a person's fields; a request that changes nothing writes
/// nothing (and records nothing).
pub async fn update(
    db: &Db,
    actor: &Actor,
    now: Timestamp,
    id: i64,
    input: &PersonFields,
) -> AppResult<()> {
    let clean = checked(input)?;
    let mut tx = db.begin().await?;
    tx.lock_directory().await?;
    let changed = update_in(&mut tx, actor, now, id, &clean, input.manager.map(|m| m.0)).await?;
    if changed {
        tx.commit().await?;
    }
    Ok(())
}

/// [`update`] inside the caller's transaction, which holds the directory
/// lock, for checked fields: whether anything changed (and was recorded).
pub async fn update_in(
    tx: &mut Tx,
    actor: &Actor,
    now: Timestamp,
    id: i64,
    clean: &CleanFields,
    manager: Option<i64>,
) -> AppResult<bool> {
    let before = people::find(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    refuse_taken_email(tx, &clean.email, Some(id)).await?;
    if actor.person() == Some(id) && before.role.0 == Role::Hr && clean.role != Role::Hr {
        // Otherwise the last HR member could lock everyone out of HR's desk.
        // 409 like deactivating oneself: the body is well formed, and what
        // refuses it is who is asking (a 400 failed schemathesis'
        // positive_data_acceptance in a cold CI run).
        return Err(AppError::Conflict(
            "You cannot take away your own HR role.".into(),
        ));
    }
    // The current manager may stay even if they have left since (their
    // reports keep working); a new one must pass every check.
    if let Some(manager) = manager {
        if Some(manager) != before.manager_id || manager == id {
            check_manager(tx, actor, Some(id), manager).await?;
        }
    }
    let changed = changes(&before, clean, manager);
    if changed.is_empty() {
        return Ok(false);
    }
    people::update(tx, id, clean, manager)
        .await
        .map_err(conflict_on_duplicate)?;
    let detail = format!("Changed {}.", changed.join(", "));
    record_change(tx, now, actor, AuditAction::PersonUpdated, id, detail).await?;
    tracing::info!(actor = ?actor.person(), employee = id, ?changed, "person updated");
    Ok(true)
}

/// Deactivates (`active: false`) or reactivates a person. Already so:
/// nothing written, nothing recorded.
///
/// A deactivated person is out of the directory (every directory query
/// asks for `active = 1`), their photos are signed for nobody
/// ([`crate::storage::photo_urls::PhotoFacts::visible_version`] requires an active
/// person) and their session ends at their next request
/// ([`crate::auth::CurrentUser`] only finds active accounts). Those who
/// report to them keep their `manager_id`: they keep working, shown without
/// a manager, until HR gives them a new one.
pub async fn set_active(
    db: &Db,
    actor: &Actor,
    now: Timestamp,
    id: i64,
    active: bool,
) -> AppResult<()> {
    let mut tx = db.begin().await?;
    tx.lock_person(id).await?;
    if set_active_in(&mut tx, actor, now, id, active).await? {
        tx.commit().await?;
    }
    Ok(())
}

/// [`set_active`] inside the caller's transaction, which holds the
/// person's lock: whether anything changed (and was recorded).
pub async fn set_active_in(
    tx: &mut Tx,
    actor: &Actor,
    now: Timestamp,
    id: i64,
    active: bool,
) -> AppResult<bool> {
    let person = people::find(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !active && actor.person() == Some(id) {
        return Err(AppError::Conflict("You cannot deactivate yourself.".into()));
    }
    if person.active == active {
        return Ok(false);
    }
    people::set_active(&mut *tx, id, active).await?;
    let (action, verb) = if active {
        (AuditAction::PersonReactivated, "Reactivated")
    } else {
        (AuditAction::PersonDeactivated, "Deactivated")
    };
    let detail = format!("{verb} {} <{}>.", person.name, person.email);
    record_change(tx, now, actor, action, id, detail).await?;
    tracing::info!(
        actor = ?actor.person(),
        employee = id,
        active,
        "person (re)activated"
    );
    Ok(true)
}

/// The person as HR sees them, active or not.
pub async fn record(db: &Db, id: i64, now: Timestamp) -> AppResult<PersonRecord> {
    let (person, extras) = people::record(db, id).await?.ok_or(AppError::NotFound)?;
    Ok(PersonRecord {
        server_time: now,
        id: EmployeeId(person.id),
        fields: people::wire_fields(&person),
        manager_name: extras.manager_name,
        active: person.active,
        has_photo: extras.has_photo,
    })
}

/// The fields trimmed and checked; a 400 naming every wrong field.
pub fn checked(input: &PersonFields) -> AppResult<CleanFields> {
    fields::clean(RawFields::from(input)).map_err(|errors| {
        let messages: Vec<_> = errors.into_iter().map(|e| e.message).collect();
        AppError::bad_request(messages.join(" "))
    })
}

async fn refuse_taken_email(tx: &mut Tx, email: &str, except: Option<i64>) -> AppResult<()> {
    match people::id_by_email(tx, email).await? {
        Some(other) if Some(other) != except => Err(taken()),
        _ => Ok(()),
    }
}

fn taken() -> AppError {
    AppError::Conflict("Another person already has this email.".into())
}

/// The unique index is the last word on emails; the check before it gives
/// the friendly answer, this keeps a race from becoming a 500.
fn conflict_on_duplicate(err: sqlx::Error) -> AppError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => taken(),
        _ => err.into(),
    }
}

/// A new manager must exist, be active (when HR picks them), and not be the person or anyone
/// who (indirectly) reports to them. Refused with 422: the request is
/// well-formed, what it names cannot be. `person` is `None` for a new person,
/// who has nobody reporting to them yet.
async fn check_manager(
    tx: &mut Tx,
    actor: &Actor,
    person: Option<i64>,
    manager: i64,
) -> AppResult<()> {
    if person == Some(manager) {
        return Err(AppError::Unprocessable(
            "manager cannot be the person themself.".to_owned(),
        ));
    }
    let Some(found) = people::find(&mut *tx, manager).await? else {
        return Err(AppError::Unprocessable(
            "manager is not in the directory.".to_owned(),
        ));
    };
    // An identity provider may name a manager it has disabled (they left;
    // their reports are not updated yet): refusing would stop the whole
    // person's sync. They are kept and shown without a manager, as when a
    // manager is deactivated after the fact. HR's forms must pick someone
    // active.
    if !found.active && actor.person().is_some() {
        return Err(AppError::Unprocessable(format!(
            "manager {} has been deactivated.",
            found.name
        )));
    }
    if let Some(person) = person {
        if people::would_loop(tx, person, manager).await? {
            return Err(AppError::Unprocessable(format!(
                "manager {} reports (perhaps indirectly) to this person: that would be a loop.",
                found.name
            )));
        }
    }
    Ok(())
}

/// The wire names of the fields an edit changes.
fn changes(
    before: &ExistingPerson,
    after: &CleanFields,
    manager: Option<i64>,
) -> Vec<&'static str> {
    let old = people::clean_fields(before);
    let mut changed = Vec::new();
    for (name, a, b) in [
        ("name", &old.name, &after.name),
        ("email", &old.email, &after.email),
        ("title", &old.title, &after.title),
        ("department", &old.department, &after.department),
        ("location", &old.location, &after.location),
        ("phone", &old.phone, &after.phone),
    ] {
        if a != b {
            changed.push(name);
        }
    }
    if before.manager_id != manager {
        changed.push("manager");
    }
    if old.role != after.role {
        changed.push("role");
    }
    changed
}

/// Appends the audit entry of a change to `subject` by `actor`.
pub async fn record_change(
    tx: &mut Tx,
    now: Timestamp,
    actor: &Actor,
    action: AuditAction,
    subject: i64,
    detail: String,
) -> AppResult<()> {
    let entry = Entry {
        actor: actor.person(),
        action,
        subjects: vec![Subject {
            employee_id: subject,
            photo_version_id: None,
        }],
        detail,
        ip: actor.ip(),
    };
    audit::append_by(tx, now, &entry, actor.label()).await?;
    Ok(())
}
