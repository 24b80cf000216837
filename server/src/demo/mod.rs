//! The demo company seeded into an empty database, and its two accounts.
//!
//! The demo password comes from `LANYARD_DEMO_PASSWORD`; without it one is
//! generated on first seed and kept in `<data>/demo-password` (0600), so a
//! later start can print it again. When the variable is set on a later start,
//! the demo accounts are switched to it, so the banner is always right.

/// Generated portraits (JPEG) for demo people.
pub mod avatar;
/// The generated company: people, titles, reporting tree.
pub mod company;
/// Its departments and locations.
pub mod departments;
/// Built-in first and last names.
mod names;
/// Writing the company into the database and the bucket.
pub mod seed;

use crate::auth::{hash_password, verify_password};
use crate::config::{Config, SeedMode};
use crate::db::{nocase, query, query_with, Db, Dialect, Exec as _};
use crate::secrets;
use crate::storage::ObjectStore;
use anyhow::Context as _;
use secrecy::{ExposeSecret as _, SecretString};
use std::sync::Arc;

/// The demo employee's sign-in email.
pub const EMPLOYEE_EMAIL: &str = "employee@lanyard.example";
/// The demo HR person's sign-in email.
pub const HR_EMAIL: &str = "hr@lanyard.example";
/// The seed of the generated company: the same people on every machine.
const COMPANY_SEED: u64 = 0x1A2B_3C4D;

/// What the start-up banner says about the demo.
#[derive(Debug, Clone)]
pub struct DemoInfo {
    /// The demo accounts that exist in the database.
    pub accounts: Vec<&'static str>,
    /// Their password, when known.
    pub password: Option<SecretString>,
    /// How many people this start seeded (0 when the data was reused).
    pub seeded_people: usize,
}

/// Seeds an empty database (when seeding is on) and settles the demo password.
pub async fn prepare(
    config: &Config,
    db: &Db,
    store: &Arc<ObjectStore>,
) -> anyhow::Result<DemoInfo> {
    let mut seeded_people = 0;
    let password = if is_empty(db).await? {
        if config.seed == SeedMode::None {
            None
        } else {
            let password = resolve_password(config, true)?;
            let plain = password
                .as_ref()
                .map(|p| p.expose_secret())
                .unwrap_or_default();
            let report = seed::seed(db, store, config.seed_people, COMPANY_SEED, plain).await?;
            seeded_people = report.people;
            password
        }
    } else {
        if let Some(password) = &config.demo_password {
            align_password(db, password).await?;
        }
        resolve_password(config, false)?
    };
    Ok(DemoInfo {
        accounts: existing_accounts(db).await?,
        password,
        seeded_people,
    })
}

/// The configured password, else the saved one, else (when `generate`) a
/// fresh one saved for later starts.
fn resolve_password(config: &Config, generate: bool) -> anyhow::Result<Option<SecretString>> {
    if let Some(password) = &config.demo_password {
        return Ok(Some(password.clone()));
    }
    let file = config.demo_password_file();
    if let Some(saved) = secrets::read(&file)? {
        return Ok(Some(SecretString::from(saved)));
    }
    if !generate {
        return Ok(None);
    }
    let fresh = secrets::random_token(16);
    secrets::create(&file, &format!("{fresh}\n"))?;
    Ok(Some(SecretString::from(fresh)))
}

/// Switches the demo accounts to `password` if they use another one.
async fn align_password(db: &Db, password: &SecretString) -> anyhow::Result<()> {
    let rows: Vec<(i64, Option<String>)> = db
        .fetch_all(
            query_with(|d| match d {
                Dialect::Sqlite => {
                    "SELECT id, password_hash FROM employees WHERE email IN ($1, $2)".to_owned()
                }
                Dialect::Postgres => {
                    "SELECT id, password_hash FROM employees WHERE email_key IN ($1, $2)".to_owned()
                }
            })
            .bind(nocase(EMPLOYEE_EMAIL))
            .bind(nocase(HR_EMAIL)),
        )
        .await?;
    for (id, hash) in rows {
        let plain = password.expose_secret().to_owned();
        let current = hash.unwrap_or_default();
        let hash = tokio::task::spawn_blocking(move || {
            if verify_password(&current, &plain) {
                Ok(None)
            } else {
                hash_password(&plain).map(Some)
            }
        })
        .await
        .context("hashing the demo password panicked")??;
        if let Some(hash) = hash {
            db.execute(
                query("UPDATE employees SET password_hash = $1 WHERE id = $2")
                    .bind(hash)
                    .bind(id),
            )
            .await?;
            tracing::info!(employee = id, "demo account now uses LANYARD_DEMO_PASSWORD");
        }
    }
    Ok(())
}

async fn existing_accounts(db: &Db) -> anyhow::Result<Vec<&'static str>> {
    let mut found = Vec::new();
    for email in [EMPLOYEE_EMAIL, HR_EMAIL] {
        let exists = crate::auth::accounts::by_email(db, email).await?;
        if exists.is_some() {
            found.push(email);
        }
    }
    Ok(found)
}

/// Whether the directory has nobody in it yet (a fresh database).
pub async fn is_empty(ex: impl crate::db::Exec) -> sqlx::Result<bool> {
    let count: i64 = ex.scalar(query("SELECT COUNT(*) FROM employees")).await?;
    Ok(count == 0)
}
