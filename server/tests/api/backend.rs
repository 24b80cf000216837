//! Which database the integration tests run on. SQLite by default: a file
//! in each test's data folder. With `LANYARD_TEST_POSTGRES` set to a
//! PostgreSQL server's admin URL (`scripts/test.sh` starts a throwaway
//! cluster and sets it), every test gets a database of its own instead,
//! copied from a template seeded once per test binary; the whole suite runs
//! on each, unchanged.

use sqlx::{Connection as _, PgConnection};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::LazyLock;

/// The PostgreSQL server to use, if any: a URL whose database may create
/// databases (e.g. `postgres://postgres@127.0.0.1:5433/postgres`).
static POSTGRES: LazyLock<Option<String>> = LazyLock::new(|| {
    std::env::var("LANYARD_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
});

/// Databases made so far by this test binary.
static MADE: AtomicU32 = AtomicU32::new(0);

/// Whether the tests run on PostgreSQL.
pub fn is_postgres() -> bool {
    POSTGRES.is_some()
}

/// The URL of database `name` on the test server.
fn url_of(admin: &str, name: &str) -> String {
    let (base, query) = admin
        .split_once('?')
        .map_or((admin, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(server, _)| server);
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// A new, empty database for the template, or `None` on SQLite (the
/// server then makes its file in the data folder).
pub async fn template_database() -> Option<String> {
    let admin = POSTGRES.as_deref()?;
    Some(create(admin, None).await)
}

/// A fresh copy of `template` for one test, or `None` on SQLite (the data
/// folder copied from the template's holds the database file).
pub async fn copy_of(template: Option<&str>) -> Option<String> {
    let admin = POSTGRES.as_deref()?;
    let template = template.expect("a PostgreSQL template database");
    let name = template
        .rsplit_once('/')
        .map(|(_, n)| n)
        .unwrap_or(template);
    Some(create(admin, Some(name)).await)
}

async fn create(admin: &str, template: Option<&str>) -> String {
    let n = MADE.fetch_add(1, Ordering::Relaxed);
    let name = format!("lanyard_test_{}_{n}", std::process::id());
    let mut conn = PgConnection::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("LANYARD_TEST_POSTGRES: {e}"));
    let sql = match template {
        // A file copy of the template: fast, and it may have no connection
        // open while copied (its pool was closed once seeded).
        Some(template) => {
            format!("CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
        }
        None => format!("CREATE DATABASE {name}"),
    };
    sqlx::query(&sql)
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    conn.close().await.ok();
    url_of(admin, &name)
}

#[cfg(test)]
mod tests {
    use super::url_of;

    #[test]
    fn database_urls_keep_the_server_and_options() {
        assert_eq!(
            url_of("postgres://postgres@127.0.0.1:5433/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5433/t1"
        );
        assert_eq!(
            url_of("postgres://u@h:1/db?sslmode=disable", "t2"),
            "postgres://u@h:1/t2?sslmode=disable"
        );
    }
}
