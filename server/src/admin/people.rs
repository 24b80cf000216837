//! The SQL behind HR's people admin. Unlike [`crate::directory`], these
//! read inactive people too: HR administers everyone, the directory shows
//! the active.

use super::fields::{role_name, CleanFields};
use super::plan::ExistingPerson;
use crate::db::{nocase, query, query_each, query_with, Args, Dialect, Exec, Tx};
use crate::directory::{by_name, like_pattern};
use lanyard_wire::{AdminPersonRow, EmployeeId, PersonFields, PersonStatus};

/// People per page of HR's list.
pub const ADMIN_PAGE_SIZE: u32 = 50;

const PERSON_COLUMNS: &str =
    "id, name, email, title, department, location, phone, manager_id, role, active";

/// One page of HR's list: people whose name or email contains `q`
/// (ignoring ASCII case), by name.
pub async fn list(
    ex: impl Exec + Copy,
    q: Option<&str>,
    status: PersonStatus,
    page: u32,
) -> sqlx::Result<(Vec<AdminPersonRow>, u64)> {
    // SQLite's LIKE ignores ASCII case; on PostgreSQL the `_key` columns
    // hold the ASCII-lowercased text to match a lowercased pattern.
    let mut args = Args::default();
    let pattern = q.map(|q| args.add(nocase(&like_pattern(q))));
    let filter = |d: Dialect| {
        let mut sql = match status {
            PersonStatus::Active => format!(" WHERE {}", d.is_true("e.active")),
            PersonStatus::Inactive => format!(" WHERE {}", d.is_false("e.active")),
            PersonStatus::All => " WHERE 1 = 1".to_owned(),
        };
        if let Some(p) = &pattern {
            let (name, email) = match d {
                Dialect::Sqlite => ("e.name", "e.email"),
                Dialect::Postgres => ("e.name_key", "e.email_key"),
            };
            sql += &format!(" AND ({name} LIKE {p} ESCAPE '\\' OR {email} LIKE {p} ESCAPE '\\')");
        }
        sql
    };
    let total: i64 = ex
        .scalar(
            query_with(|d| format!("SELECT COUNT(*) FROM employees e{}", filter(d)))
                .bind_args(args.clone()),
        )
        .await?;
    let (limit, offset) = (
        args.add(i64::from(ADMIN_PAGE_SIZE)),
        args.add(i64::from(page.saturating_sub(1)) * i64::from(ADMIN_PAGE_SIZE)),
    );
    let people: Vec<ExistingPerson> = ex
        .fetch_all(
            query_with(|d| {
                format!(
                    "SELECT {PERSON_COLUMNS} FROM employees e{} ORDER BY {} LIMIT {limit} OFFSET {offset}",
                    filter(d),
                    by_name(d, "e")
                )
            })
            .bind_args(args),
        )
        .await?;
    let people = people
        .into_iter()
        .map(|p| AdminPersonRow {
            id: EmployeeId(p.id),
            name: p.name,
            email: p.email,
            title: p.title,
            department: p.department,
            role: p.role.0,
            active: p.active,
        })
        .collect();
    Ok((people, u64::try_from(total).unwrap_or(0)))
}

/// Everyone, active or not: what an import is planned against.
pub async fn everyone(ex: impl Exec) -> sqlx::Result<Vec<ExistingPerson>> {
    ex.fetch_all(query(format!("SELECT {PERSON_COLUMNS} FROM employees e")))
        .await
}

/// One person, active or not.
pub async fn find(ex: impl Exec, id: i64) -> sqlx::Result<Option<ExistingPerson>> {
    ex.fetch_optional(
        query(format!(
            "SELECT {PERSON_COLUMNS} FROM employees e WHERE id = $1"
        ))
        .bind(id),
    )
    .await
}

/// Who has this email (ignoring ASCII case, as the database compares emails).
pub async fn id_by_email(ex: impl Exec, email: &str) -> sqlx::Result<Option<i64>> {
    ex.optional_scalar(
        query_each(
            "SELECT id FROM employees WHERE email = $1",
            "SELECT id FROM employees WHERE email_key = $1",
        )
        .bind(nocase(email)),
    )
    .await
}

/// What HR sees of one person beyond their fields.
#[derive(Debug, sqlx::FromRow)]
pub struct RecordExtras {
    pub manager_name: Option<String>,
    pub has_photo: bool,
}

/// The person's fields plus their manager's name and whether they have an
/// approved photo; `None` for an unknown id.
pub async fn record(
    ex: impl Exec + Copy,
    id: i64,
) -> sqlx::Result<Option<(ExistingPerson, RecordExtras)>> {
    let Some(person) = find(ex, id).await? else {
        return Ok(None);
    };
    let extras = ex
        .fetch_one(
            query_with(|d| {
                let has_photo = match d {
                    Dialect::Sqlite => "COALESCE(pv.state = 'approved', 0)",
                    Dialect::Postgres => "COALESCE(pv.state = 'approved', FALSE)",
                };
                format!(
                    "SELECT m.name AS manager_name, {has_photo} AS has_photo \
                     FROM employees e LEFT JOIN employees m ON m.id = e.manager_id \
                     LEFT JOIN photo_versions pv ON pv.id = e.photo_version_id WHERE e.id = $1"
                )
            })
            .bind(id),
        )
        .await?;
    Ok(Some((person, extras)))
}

/// A new person. No password: added and imported people cannot sign in
/// with one until they set it (a one-time sign-in link from HR) or sign in
/// through the company's identity provider.
pub async fn insert(
    tx: &mut Tx,
    fields: &CleanFields,
    manager: Option<i64>,
    now_ms: i64,
) -> sqlx::Result<i64> {
    tx.scalar(
        query(
            "INSERT INTO employees (name, email, title, department, location, phone, manager_id, \
             role, password_hash, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10) RETURNING id",
        )
        .bind(&fields.name)
        .bind(&fields.email)
        .bind(&fields.title)
        .bind(&fields.department)
        .bind(&fields.location)
        .bind(&fields.phone)
        .bind(manager)
        .bind(role_name(fields.role))
        .bind(true)
        .bind(now_ms),
    )
    .await
}

/// Overwrites a person's fields and manager (never `active`, the password
/// or the photo).
pub async fn update(
    tx: &mut Tx,
    id: i64,
    fields: &CleanFields,
    manager: Option<i64>,
) -> sqlx::Result<()> {
    tx.execute(
        query(
            "UPDATE employees SET name = $1, email = $2, title = $3, department = $4, \
             location = $5, phone = $6, manager_id = $7, role = $8 WHERE id = $9",
        )
        .bind(&fields.name)
        .bind(&fields.email)
        .bind(&fields.title)
        .bind(&fields.department)
        .bind(&fields.location)
        .bind(&fields.phone)
        .bind(manager)
        .bind(role_name(fields.role))
        .bind(id),
    )
    .await?;
    Ok(())
}

/// Deactivates or reactivates a person.
pub async fn set_active(tx: &mut Tx, id: i64, active: bool) -> sqlx::Result<()> {
    tx.execute(
        query("UPDATE employees SET active = $1 WHERE id = $2")
            .bind(active)
            .bind(id),
    )
    .await?;
    Ok(())
}

/// Sets who a person reports to (an imported person whose manager the
/// same import added, once both have ids).
pub async fn set_manager(tx: &mut Tx, id: i64, manager: Option<i64>) -> sqlx::Result<()> {
    tx.execute(
        query("UPDATE employees SET manager_id = $1 WHERE id = $2")
            .bind(manager)
            .bind(id),
    )
    .await?;
    Ok(())
}

/// Whether making `manager` the manager of `person` would close a loop:
/// `person` is `manager` or above them in the reporting tree. (`UNION`,
/// not `UNION ALL`, so even a loop already in the table ends the walk.)
pub async fn would_loop(tx: &mut Tx, person: i64, manager: i64) -> sqlx::Result<bool> {
    let found: Option<i64> = tx
        .optional_scalar(
            query(
                "WITH RECURSIVE chain(id) AS (SELECT CAST($1 AS BIGINT) UNION \
                 SELECT e.manager_id FROM employees e JOIN chain c ON e.id = c.id \
                 WHERE e.manager_id IS NOT NULL) \
                 SELECT id FROM chain WHERE id = $2 LIMIT 1",
            )
            .bind(manager)
            .bind(person),
        )
        .await?;
    Ok(found.is_some())
}

/// A person's fields as the wire carries them.
pub fn wire_fields(person: &ExistingPerson) -> PersonFields {
    PersonFields {
        name: person.name.clone(),
        email: person.email.clone(),
        title: person.title.clone(),
        department: person.department.clone(),
        location: person.location.clone(),
        phone: person.phone.clone(),
        manager: person.manager_id.map(EmployeeId),
        role: person.role.0,
    }
}

/// A person's fields as [`CleanFields`] (they were checked when written).
pub fn clean_fields(person: &ExistingPerson) -> CleanFields {
    CleanFields {
        name: person.name.clone(),
        email: person.email.clone(),
        title: person.title.clone(),
        department: person.department.clone(),
        location: person.location.clone(),
        phone: person.phone.clone(),
        role: person.role.0,
    }
}
