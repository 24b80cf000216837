//! The SQL behind HR's people admin. Unlike [`crate::directory`], these
//! read inactive people too: HR administers everyone, the directory shows
//! the active.

use super::fields::{role_name, CleanFields};
use super::plan::ExistingPerson;
use crate::directory::like_pattern;
use lanyard_wire::{AdminPersonRow, EmployeeId, PersonFields, PersonStatus};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// People per page of HR's list.
pub const ADMIN_PAGE_SIZE: u32 = 50;

const PERSON_COLUMNS: &str =
    "id, name, email, title, department, location, phone, manager_id, role, active";

/// One page of HR's list: people whose name or email contains `q`
/// (ignoring ASCII case), by name.
pub async fn list(
    conn: &mut SqliteConnection,
    q: Option<&str>,
    status: PersonStatus,
    page: u32,
) -> sqlx::Result<(Vec<AdminPersonRow>, u64)> {
    let filter = |query: &mut QueryBuilder<'_, Sqlite>| {
        query.push(match status {
            PersonStatus::Active => " WHERE active = 1",
            PersonStatus::Inactive => " WHERE active = 0",
            PersonStatus::All => " WHERE 1 = 1",
        });
        if let Some(q) = q {
            let pattern = like_pattern(q);
            query
                .push(" AND (name LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR email LIKE ")
                .push_bind(pattern)
                .push(" ESCAPE '\\')");
        }
    };
    let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM employees");
    filter(&mut count);
    let (total,): (i64,) = count.build_query_as().fetch_one(&mut *conn).await?;

    let mut rows = QueryBuilder::<Sqlite>::new(format!("SELECT {PERSON_COLUMNS} FROM employees"));
    filter(&mut rows);
    rows.push(" ORDER BY name COLLATE NOCASE, id LIMIT ")
        .push_bind(i64::from(ADMIN_PAGE_SIZE))
        .push(" OFFSET ")
        .push_bind(i64::from(page.saturating_sub(1)) * i64::from(ADMIN_PAGE_SIZE));
    let people: Vec<ExistingPerson> = rows.build_query_as().fetch_all(&mut *conn).await?;
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
pub async fn everyone(conn: &mut SqliteConnection) -> sqlx::Result<Vec<ExistingPerson>> {
    sqlx::query_as(&format!("SELECT {PERSON_COLUMNS} FROM employees"))
        .fetch_all(conn)
        .await
}

/// One person, active or not.
pub async fn find(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<ExistingPerson>> {
    sqlx::query_as(&format!(
        "SELECT {PERSON_COLUMNS} FROM employees WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Who has this email (ignoring ASCII case, as the column's collation does).
pub async fn id_by_email(conn: &mut SqliteConnection, email: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM employees WHERE email = ?")
        .bind(email)
        .fetch_optional(conn)
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
    conn: &mut SqliteConnection,
    id: i64,
) -> sqlx::Result<Option<(ExistingPerson, RecordExtras)>> {
    let Some(person) = find(&mut *conn, id).await? else {
        return Ok(None);
    };
    let extras = sqlx::query_as(
        "SELECT m.name AS manager_name, COALESCE(pv.state = 'approved', 0) AS has_photo \
         FROM employees e LEFT JOIN employees m ON m.id = e.manager_id \
         LEFT JOIN photo_versions pv ON pv.id = e.photo_version_id WHERE e.id = ?",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(Some((person, extras)))
}

/// A new person. No password: added and imported people cannot sign in
/// until Lanyard has an identity provider (single sign-on) to vouch for
/// them; they are in the directory for others to find.
pub async fn insert(
    conn: &mut SqliteConnection,
    fields: &CleanFields,
    manager: Option<i64>,
    now_ms: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO employees (name, email, title, department, location, phone, manager_id, \
         role, password_hash, active, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, ?) RETURNING id",
    )
    .bind(&fields.name)
    .bind(&fields.email)
    .bind(&fields.title)
    .bind(&fields.department)
    .bind(&fields.location)
    .bind(&fields.phone)
    .bind(manager)
    .bind(role_name(fields.role))
    .bind(now_ms)
    .fetch_one(conn)
    .await
}

/// Overwrites a person's fields and manager (never `active`, the password
/// or the photo).
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    fields: &CleanFields,
    manager: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE employees SET name = ?, email = ?, title = ?, department = ?, location = ?, \
         phone = ?, manager_id = ?, role = ? WHERE id = ?",
    )
    .bind(&fields.name)
    .bind(&fields.email)
    .bind(&fields.title)
    .bind(&fields.department)
    .bind(&fields.location)
    .bind(&fields.phone)
    .bind(manager)
    .bind(role_name(fields.role))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_active(conn: &mut SqliteConnection, id: i64, active: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE employees SET active = ? WHERE id = ?")
        .bind(active)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets who a person reports to (an imported person whose manager the
/// same import added, once both have ids).
pub async fn set_manager(
    conn: &mut SqliteConnection,
    id: i64,
    manager: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE employees SET manager_id = ? WHERE id = ?")
        .bind(manager)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether making `manager` the manager of `person` would close a loop:
/// `person` is `manager` or above them in the reporting tree. (`UNION`,
/// not `UNION ALL`, so even a loop already in the table ends the walk.)
pub async fn would_loop(
    conn: &mut SqliteConnection,
    person: i64,
    manager: i64,
) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "WITH RECURSIVE chain(id) AS (SELECT ? UNION \
         SELECT e.manager_id FROM employees e JOIN chain c ON e.id = c.id \
         WHERE e.manager_id IS NOT NULL) \
         SELECT 1 FROM chain WHERE id = ? LIMIT 1",
    )
    .bind(manager)
    .bind(person)
    .fetch_optional(conn)
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
