//! The SQL behind SCIM: the people SCIM manages (`scim_users`, joined with
//! their `employees` row), for both dialects.

use super::query::Condition;
use super::user::ScimUser;
use crate::db::{nocase, query, query_each, query_with, Args, Db, Dialect, Exec, Tx};

/// A managed person as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredUser {
    pub employee_id: i64,
    pub user_name: String,
    pub external_id: Option<String>,
    pub display_name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub email: String,
    pub title: String,
    pub department: String,
    pub location: String,
    pub phone: String,
    pub manager_id: Option<i64>,
    pub active: bool,
}

impl StoredUser {
    /// Its attributes, as a PATCH starts from.
    pub fn attributes(&self) -> ScimUser {
        let some = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
        ScimUser {
            user_name: self.user_name.clone(),
            external_id: self.external_id.clone(),
            display_name: self.display_name.clone(),
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            email: Some(self.email.clone()),
            title: some(&self.title),
            phone: some(&self.phone),
            location: some(&self.location),
            department: some(&self.department),
            manager: self.manager_id,
            active: self.active,
        }
    }
}

const COLUMNS: &str = "s.employee_id, s.user_name, s.external_id, s.display_name, s.given_name, \
     s.family_name, s.created_at, s.updated_at, e.email, e.title, e.department, e.location, \
     e.phone, e.manager_id, e.active";

/// One managed person.
pub async fn find(ex: impl Exec, id: i64) -> sqlx::Result<Option<StoredUser>> {
    ex.fetch_optional(
        query(format!(
            "SELECT {COLUMNS} FROM scim_users s JOIN employees e ON e.id = s.employee_id \
             WHERE s.employee_id = $1"
        ))
        .bind(id),
    )
    .await
}

/// The managed people matching every condition, by id: one page from
/// `start` (1-based) of at most `count`, and how many match in all.
pub async fn list(
    db: &Db,
    conditions: &[Condition],
    start: u32,
    count: u32,
) -> sqlx::Result<(Vec<StoredUser>, u64)> {
    let mut args = Args::default();
    let mut parts: Vec<Box<dyn Fn(Dialect) -> String + Send + Sync>> = Vec::new();
    for condition in conditions {
        match condition {
            Condition::UserName(name) => {
                let p = args.add(nocase(name));
                parts.push(Box::new(move |d| match d {
                    Dialect::Sqlite => format!("s.user_name = {p}"),
                    Dialect::Postgres => format!("s.user_name_key = {p}"),
                }));
            }
            Condition::Email(email) => {
                let p = args.add(nocase(email));
                parts.push(Box::new(move |d| match d {
                    Dialect::Sqlite => format!("e.email = {p}"),
                    Dialect::Postgres => format!("e.email_key = {p}"),
                }));
            }
            Condition::ExternalId(id) => {
                let p = args.add(id.clone());
                parts.push(Box::new(move |_| format!("s.external_id = {p}")));
            }
            Condition::Id(id) => {
                let p = args.add(*id);
                parts.push(Box::new(move |_| format!("s.employee_id = {p}")));
            }
            Condition::Active(active) => {
                let active = *active;
                parts.push(Box::new(move |d| {
                    if active {
                        d.is_true("e.active")
                    } else {
                        d.is_false("e.active")
                    }
                }));
            }
            Condition::Nothing => parts.push(Box::new(|_| "1 = 0".to_owned())),
        }
    }
    let filter = move |d: Dialect| {
        let mut sql = " WHERE 1 = 1".to_owned();
        for part in &parts {
            sql += " AND ";
            sql += &part(d);
        }
        sql
    };
    let from = "FROM scim_users s JOIN employees e ON e.id = s.employee_id";
    let total: i64 = db
        .scalar(
            query_with(|d| format!("SELECT COUNT(*) {from}{}", filter(d))).bind_args(args.clone()),
        )
        .await?;
    if count == 0 {
        return Ok((Vec::new(), u64::try_from(total).unwrap_or(0)));
    }
    let limit = args.add(i64::from(count));
    let offset = args.add(i64::from(start) - 1);
    let users = db
        .fetch_all(
            query_with(|d| {
                format!(
                    "SELECT {COLUMNS} {from}{} ORDER BY s.employee_id LIMIT {limit} OFFSET {offset}",
                    filter(d)
                )
            })
            .bind_args(args),
        )
        .await?;
    Ok((users, u64::try_from(total).unwrap_or(0)))
}

/// Who holds `user_name` (ignoring ASCII case), if anyone.
pub async fn id_by_user_name(ex: impl Exec, user_name: &str) -> sqlx::Result<Option<i64>> {
    ex.optional_scalar(
        query_each(
            "SELECT employee_id FROM scim_users WHERE user_name = $1",
            "SELECT employee_id FROM scim_users WHERE user_name_key = $1",
        )
        .bind(nocase(user_name)),
    )
    .await
}

/// Who holds `external_id`, if anyone.
pub async fn id_by_external_id(ex: impl Exec, external_id: &str) -> sqlx::Result<Option<i64>> {
    ex.optional_scalar(
        query("SELECT employee_id FROM scim_users WHERE external_id = $1").bind(external_id),
    )
    .await
}

/// Whether SCIM manages person `id`.
pub async fn is_managed(ex: impl Exec, id: i64) -> sqlx::Result<bool> {
    Ok(ex
        .optional_scalar::<i64>(
            query("SELECT employee_id FROM scim_users WHERE employee_id = $1").bind(id),
        )
        .await?
        .is_some())
}

/// Starts managing person `id` with `user`'s SCIM-only attributes.
pub async fn insert(tx: &mut Tx, id: i64, user: &ScimUser, now_ms: i64) -> sqlx::Result<()> {
    write(
        tx,
        "INSERT INTO scim_users (employee_id, user_name, external_id, display_name, \
         given_name, family_name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        id,
        user,
        now_ms,
    )
    .await
}

/// Writes `user`'s SCIM-only attributes of person `id`.
pub async fn update(tx: &mut Tx, id: i64, user: &ScimUser, now_ms: i64) -> sqlx::Result<()> {
    write(
        tx,
        "UPDATE scim_users SET user_name = $2, external_id = $3, display_name = $4, \
         given_name = $5, family_name = $6, updated_at = $7 WHERE employee_id = $1",
        id,
        user,
        now_ms,
    )
    .await
}

/// `sql` with the SCIM-only attributes bound in one order ($1 the person,
/// $2–$6 the attributes, $7 the time).
async fn write(tx: &mut Tx, sql: &str, id: i64, user: &ScimUser, now_ms: i64) -> sqlx::Result<()> {
    tx.execute(
        query(sql)
            .bind(id)
            .bind(user.user_name.clone())
            .bind(user.external_id.clone())
            .bind(user.display_name.clone())
            .bind(user.given_name.clone())
            .bind(user.family_name.clone())
            .bind(now_ms),
    )
    .await?;
    Ok(())
}

/// Stops managing person `id` (their record stays, for HR).
pub async fn forget(tx: &mut Tx, id: i64) -> sqlx::Result<()> {
    tx.execute(query("DELETE FROM scim_users WHERE employee_id = $1").bind(id))
        .await?;
    Ok(())
}
