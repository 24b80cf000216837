//! Who gets in through single sign-on: the directory decides. No account is
//! ever created from a sign-in.
//!
//! - A known identity (issuer and subject linked before) is that person,
//!   whatever email the provider now gives: an email changed at the
//!   provider neither breaks the link nor moves it to someone else.
//! - An unknown identity is matched once, by its *verified* email (ASCII
//!   case ignored, as the database compares emails), among the directory's
//!   people, then linked. A person already linked to another identity of
//!   the same provider is not linked again: whoever now holds their email
//!   at the provider does not become them.
//! - A person who has left (deactivated) is refused either way.

use super::accounts::{self, role_of, AccountRow};
use super::oidc::Identity;
use crate::db::{nocase, query, query_each, Db, Exec as _};
use lanyard_wire::Role;

/// What the directory says about a verified identity.
#[derive(Debug)]
pub enum Decision {
    /// This person, who may sign in; `linked` on their first sign-in;
    /// `role` when the provider's claim changed their role (from, to).
    Person {
        account: Box<AccountRow>,
        linked: bool,
        role: Option<(Role, Role)>,
    },
    /// Nobody in the directory has this identity or its email.
    Unknown,
    /// The provider has not verified the email (and no link exists).
    EmailNotVerified,
    /// The person has left the directory.
    Deactivated { employee: i64 },
    /// Their directory entry is linked to another identity at this provider.
    LinkedElsewhere { employee: i64 },
}

/// Decides for `identity`, linking it on a first sign-in and following the
/// provider's HR claim, at `now_ms`.
pub async fn decide(db: &Db, identity: &Identity, now_ms: i64) -> sqlx::Result<Decision> {
    // No identity Lanyard could have linked holds a NUL (PostgreSQL's text
    // cannot): whoever sends one is nobody here.
    if identity.subject.contains('\0') || identity.issuer.contains('\0') {
        return Ok(Decision::Unknown);
    }
    let linked: Option<i64> = db
        .optional_scalar(
            query("SELECT employee_id FROM oidc_identities WHERE issuer = $1 AND subject = $2")
                .bind(&identity.issuer)
                .bind(&identity.subject),
        )
        .await?;
    let (employee, newly_linked) = match linked {
        Some(employee) => (employee, false),
        None => {
            if !identity.email_verified {
                return Ok(Decision::EmailNotVerified);
            }
            let Some(email) = identity.email.as_deref().filter(|e| !e.contains('\0')) else {
                return Ok(Decision::Unknown);
            };
            let found: Option<i64> = db
                .optional_scalar(
                    query_each(
                        "SELECT id FROM employees WHERE email = $1",
                        "SELECT id FROM employees WHERE email_key = $1",
                    )
                    .bind(nocase(email.trim())),
                )
                .await?;
            let Some(employee) = found else {
                return Ok(Decision::Unknown);
            };
            match link(db, identity, employee, now_ms).await? {
                Link::Made => (employee, true),
                Link::Elsewhere => return Ok(Decision::LinkedElsewhere { employee }),
            }
        }
    };
    let Some(account) = accounts::by_id(db, employee).await? else {
        return Ok(Decision::Deactivated { employee });
    };
    let role = match identity.hr {
        Some(hr) => follow_role(db, &account, hr).await?,
        None => None,
    };
    let account = match role {
        Some(_) => accounts::by_id(db, employee)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?,
        None => account,
    };
    Ok(Decision::Person {
        account: Box::new(account),
        linked: newly_linked,
        role,
    })
}

enum Link {
    Made,
    Elsewhere,
}

/// Links `identity` to `employee` unless they have another identity at
/// this issuer. Two first sign-ins at once: the loser finds the winner's
/// link, which is the same one.
async fn link(db: &Db, identity: &Identity, employee: i64, now_ms: i64) -> sqlx::Result<Link> {
    db.execute(
        query(
            "INSERT INTO oidc_identities (issuer, subject, employee_id, linked_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(&identity.issuer)
        .bind(&identity.subject)
        .bind(employee)
        .bind(now_ms),
    )
    .await?;
    let subject: Option<String> = db
        .optional_scalar(
            query("SELECT subject FROM oidc_identities WHERE employee_id = $1 AND issuer = $2")
                .bind(employee)
                .bind(&identity.issuer),
        )
        .await?;
    Ok(match subject {
        Some(s) if s == identity.subject => Link::Made,
        _ => Link::Elsewhere,
    })
}

/// Sets the role the claim gives; (from, to) when it changed.
async fn follow_role(
    db: &Db,
    account: &AccountRow,
    hr: bool,
) -> sqlx::Result<Option<(Role, Role)>> {
    let (before, after) = (
        role_of(&account.role),
        if hr { Role::Hr } else { Role::Employee },
    );
    if before == after {
        return Ok(None);
    }
    db.execute(
        query("UPDATE employees SET role = $1 WHERE id = $2")
            .bind(after.as_str())
            .bind(account.person.id),
    )
    .await?;
    Ok(Some((before, after)))
}
