//! Accounts: the people who may be able to sign in, as the session and
//! the sign-in check read them. Only active people have an account.

use crate::db::{nocase, query_with, Db, Dialect, Exec as _};
use crate::directory::{PersonRow, PERSON_COLUMNS, PERSON_JOINS};
use lanyard_wire::Role;

/// A person who may be able to sign in.
#[derive(Clone, sqlx::FromRow)]
pub struct AccountRow {
    #[sqlx(flatten)]
    pub person: PersonRow,
    pub email: String,
    /// `employee` or `hr`.
    pub role: String,
    /// Argon2id PHC string; `None` for people who cannot sign in.
    pub password_hash: Option<String>,
    /// Whom they report to.
    pub manager_id: Option<i64>,
}

// Hand-written: the hash must not reach a log.
impl std::fmt::Debug for AccountRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountRow")
            .field("id", &self.person.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

fn account_sql(dialect: Dialect, condition: &str) -> String {
    format!(
        "SELECT {PERSON_COLUMNS}, e.email, e.role, e.password_hash, e.manager_id \
         FROM employees e{PERSON_JOINS} \
         WHERE {condition} AND {}",
        dialect.is_true("e.active")
    )
}

/// The active account with this email (ignoring ASCII case), if any.
pub async fn by_email(db: &Db, email: &str) -> sqlx::Result<Option<AccountRow>> {
    // No email holds a NUL (PostgreSQL's text cannot): a typed one is
    // nobody's, not a database error.
    if email.contains('\0') {
        return Ok(None);
    }
    let statement = query_with(|d| match d {
        // `email` is declared COLLATE NOCASE; PostgreSQL keeps `email_key`.
        Dialect::Sqlite => account_sql(d, "e.email = $1"),
        Dialect::Postgres => account_sql(d, "e.email_key = $1"),
    });
    db.fetch_optional(statement.bind(nocase(email))).await
}

/// The active account with this id, if any.
pub async fn by_id(db: &Db, id: i64) -> sqlx::Result<Option<AccountRow>> {
    let statement = query_with(|d| account_sql(d, "e.id = $1"));
    db.fetch_optional(statement.bind(id)).await
}

/// The wire role for a database role; anything unexpected gets the least power.
pub fn role_of(role: &str) -> Role {
    if role == Role::Hr.as_str() {
        Role::Hr
    } else {
        Role::Employee
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_roles_get_the_least_power() {
        assert_eq!(role_of("hr"), Role::Hr);
        assert_eq!(role_of("employee"), Role::Employee);
        assert_eq!(role_of("admin"), Role::Employee);
    }
}
