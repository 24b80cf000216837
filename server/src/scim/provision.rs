//! Provisioning: what a create, replace, patch or delete from an identity
//! provider does to the directory. Each is one transaction under the
//! directory lock that checks SCIM's own uniqueness (userName, externalId),
//! then applies HR's rules and audit entries through
//! [`crate::admin::edit`] (a taken email, a manager that exists and closes
//! no loop, field limits), then writes the SCIM row: all or nothing.

use super::error::{ScimError, ScimResult, ScimType};
use super::store::{self, StoredUser};
use super::user::ScimUser;
use crate::admin::edit::{self, Actor};
use crate::admin::fields::{self, CleanFields, RawFields, Required};
use crate::admin::people;
use crate::db::{Db, Tx};
use axum::http::StatusCode;
use lanyard_wire::{Role, Timestamp};

/// Creates the user, or adopts the person already in the directory with
/// that email whom SCIM does not manage yet (added by HR or an import
/// before the provider was connected): their id.
pub async fn create(db: &Db, actor: &Actor, now: Timestamp, user: &ScimUser) -> ScimResult<i64> {
    let mut tx = db.begin().await?;
    tx.lock_directory().await?;
    refuse_taken(&mut tx, user, None).await?;
    let existing = people::id_by_email(&mut tx, user.email()).await?;
    let id = match existing {
        Some(id) if store::is_managed(&mut tx, id).await? => {
            return Err(taken("A user with this email exists already."));
        }
        Some(id) => {
            let role = role_of(&mut tx, id).await?;
            let clean = clean(user, role)?;
            edit::update_in(&mut tx, actor, now, id, &clean, user.manager).await?;
            id
        }
        None => {
            let clean = clean(user, Role::Employee)?;
            edit::create_in(&mut tx, actor, now, &clean, user.manager).await?
        }
    };
    edit::set_active_in(&mut tx, actor, now, id, user.active).await?;
    store::insert(&mut tx, id, user, now.as_millis()).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces every attribute of managed user `id` with `user`'s.
pub async fn replace(
    db: &Db,
    actor: &Actor,
    now: Timestamp,
    id: i64,
    user: &ScimUser,
) -> ScimResult<()> {
    let mut tx = db.begin().await?;
    tx.lock_directory().await?;
    managed(&mut tx, id).await?;
    write(&mut tx, actor, now, id, user).await?;
    tx.commit().await?;
    Ok(())
}

/// Applies a PATCH body to managed user `id`: every operation or none.
pub async fn patch(
    db: &Db,
    actor: &Actor,
    now: Timestamp,
    id: i64,
    body: &serde_json::Value,
) -> ScimResult<()> {
    let mut tx = db.begin().await?;
    tx.lock_directory().await?;
    let mut user = managed(&mut tx, id).await?.attributes();
    user.patch(body)?;
    write(&mut tx, actor, now, id, &user).await?;
    tx.commit().await?;
    Ok(())
}

/// DELETE: the provider is done with the user. Lanyard deactivates the
/// person (their sessions end at their next request, their photo leaves
/// the directory) and stops managing them; HR keeps the record, its audit
/// trail and the photo until HR erases it.
pub async fn delete(db: &Db, actor: &Actor, now: Timestamp, id: i64) -> ScimResult<()> {
    let mut tx = db.begin().await?;
    tx.lock_directory().await?;
    managed(&mut tx, id).await?;
    edit::set_active_in(&mut tx, actor, now, id, false).await?;
    store::forget(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

async fn write(
    tx: &mut Tx,
    actor: &Actor,
    now: Timestamp,
    id: i64,
    user: &ScimUser,
) -> ScimResult<()> {
    refuse_taken(tx, user, Some(id)).await?;
    let role = role_of(tx, id).await?;
    let clean = clean(user, role)?;
    edit::update_in(tx, actor, now, id, &clean, user.manager).await?;
    edit::set_active_in(tx, actor, now, id, user.active).await?;
    store::update(tx, id, user, now.as_millis()).await?;
    Ok(())
}

async fn managed(tx: &mut Tx, id: i64) -> ScimResult<StoredUser> {
    store::find(&mut *tx, id)
        .await?
        .ok_or_else(|| ScimError::not_found(format!("No user {id}.")))
}

/// The person's role: SCIM never changes it (HR does, or the identity
/// provider's group claim at sign-in).
async fn role_of(tx: &mut Tx, id: i64) -> ScimResult<Role> {
    Ok(people::find(&mut *tx, id)
        .await?
        .map_or(Role::Employee, |p| p.role.0))
}

async fn refuse_taken(tx: &mut Tx, user: &ScimUser, except: Option<i64>) -> ScimResult<()> {
    if let Some(other) = store::id_by_user_name(&mut *tx, &user.user_name).await? {
        if Some(other) != except {
            return Err(taken("Another user has this userName."));
        }
    }
    if let Some(external) = &user.external_id {
        if let Some(other) = store::id_by_external_id(&mut *tx, external).await? {
            if Some(other) != except {
                return Err(taken("Another user has this externalId."));
            }
        }
    }
    Ok(())
}

fn taken(detail: &str) -> ScimError {
    ScimError::new(StatusCode::CONFLICT, Some(ScimType::Uniqueness), detail)
}

/// The directory's fields of `user`, checked by HR's rules (title,
/// department and location may be empty: a provider may not know them).
fn clean(user: &ScimUser, role: Role) -> ScimResult<CleanFields> {
    let name = user.directory_name();
    let raw = RawFields {
        name: &name,
        email: user.email(),
        title: user.title.as_deref().unwrap_or_default(),
        department: user.department.as_deref().unwrap_or_default(),
        location: user.location.as_deref().unwrap_or_default(),
        phone: user.phone.as_deref().unwrap_or_default(),
        role,
    };
    fields::clean_with(raw, Required::No).map_err(|errors| {
        let messages: Vec<String> = errors
            .into_iter()
            .map(|e| match e.field {
                // The email comes from emails, else userName.
                "email" => format!("userName/emails: {}", e.message),
                _ => e.message,
            })
            .collect();
        ScimError::bad(ScimType::InvalidValue, messages.join(" "))
    })
}
