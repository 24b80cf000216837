use super::tables::{is_derived, Kind, TABLES};
use super::*;

async fn sqlite(dir: &tempfile::TempDir, name: &str) -> (String, Db) {
    let url = format!("sqlite://{}", dir.path().join(name).display());
    let db = Db::connect(&url).await.unwrap();
    (url, db)
}

/// A few rows in every table, with the awkward values: NULLs, non-ASCII,
/// a boolean false, bytes, a time.
async fn fill(db: &Db) {
    for sql in [
        "INSERT INTO employees (id, name, email, title, department, location, phone, role, \
         password_hash, active, created_at) VALUES \
         (1, 'Zoë Ångström', 'zoe@x.example', 'Chief', 'Ops', 'Oslo', '+47', 'hr', 'hash', TRUE, 5), \
         (7, 'Bob', 'BOB@x.example', 'Dev', 'Eng', 'Remote', '', 'employee', NULL, FALSE, 6)",
        "UPDATE employees SET manager_id = 1 WHERE id = 7",
        "INSERT INTO photo_versions (id, employee_id, state, created_at, decided_at) VALUES \
         ('0123456789abcdef0123456789abcdef', 1, 'approved', 10, 11)",
        "UPDATE employees SET photo_version_id = '0123456789abcdef0123456789abcdef' WHERE id = 1",
        "INSERT INTO object_deletions (key, delete_after) VALUES ('uploads/x', 99)",
        "INSERT INTO retired_photo_versions (id, employee_id) VALUES ('fedcba9876543210fedcba9876543210', 7)",
        "INSERT INTO audit_log (id, at, actor_id, action, detail, ip) VALUES \
         (3, 100, 1, 'sign_in', '', '127.0.0.1'), (9, 200, NULL, 'sign_in_failed', 'Email typed: \"x\"', NULL)",
        "INSERT INTO audit_subjects (entry_id, employee_id, photo_version_id) VALUES (3, 7, NULL)",
    ] {
        db.execute(query(sql)).await.unwrap();
    }
    db.execute(
        query("INSERT INTO tower_sessions (id, data, expiry_date) VALUES ($1, $2, $3)")
            .bind("session-1")
            .bind(vec![0u8, 1, 2, 255])
            .bind(
                time::OffsetDateTime::from_unix_timestamp_nanos(1_800_000_000_123_456_789).unwrap(),
            ),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_copy_has_every_row_and_the_same_checksums() {
    let dir = tempfile::tempdir().unwrap();
    let (from, source) = sqlite(&dir, "from.db").await;
    fill(&source).await;
    let to = format!("sqlite://{}", dir.path().join("to.db").display());

    let report = copy(&from, &to, true).await.unwrap();

    assert_eq!(report.tables.len(), TABLES.len());
    for t in &report.tables {
        assert_eq!(t.source_rows, t.target_rows, "{}", t.table);
        assert_eq!(t.source_sha256, t.target_sha256, "{}", t.table);
    }
    let rows = |name: &str| {
        report
            .tables
            .iter()
            .find(|t| t.table == name)
            .unwrap()
            .source_rows
    };
    assert_eq!(
        (rows("employees"), rows("audit_log"), rows("tower_sessions")),
        (2, 2, 1)
    );
    // The copy is a working database: its triggers filled the search index.
    let target = Db::connect(&to).await.unwrap();
    let found: i64 = target
        .scalar(query(
            "SELECT COUNT(*) FROM people_search WHERE people_search MATCH '\"zoe\"'",
        ))
        .await
        .unwrap();
    assert_eq!(found, 1);
    assert!(report.to_string().contains("employees"));
}

#[tokio::test]
async fn sessions_are_copied_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (from, source) = sqlite(&dir, "from.db").await;
    fill(&source).await;
    let to = format!("sqlite://{}", dir.path().join("to.db").display());

    let report = copy(&from, &to, false).await.unwrap();

    assert!(report.tables.iter().all(|t| t.table != "tower_sessions"));
    let target = Db::connect(&to).await.unwrap();
    let sessions: i64 = target
        .scalar(query("SELECT COUNT(*) FROM tower_sessions"))
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn a_target_with_rows_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (from, source) = sqlite(&dir, "from.db").await;
    fill(&source).await;
    let (to, target) = sqlite(&dir, "to.db").await;
    target
        .execute(query(
            "INSERT INTO object_deletions (key, delete_after) VALUES ('mine', 1)",
        ))
        .await
        .unwrap();

    let error = copy(&from, &to, true).await.unwrap_err();

    let message = format!("{error:#}");
    assert!(message.contains("not empty"), "{message}");
    assert!(message.contains("object_deletions has 1 row"), "{message}");
    let employees: i64 = target
        .scalar(query("SELECT COUNT(*) FROM employees"))
        .await
        .unwrap();
    assert_eq!(employees, 0);
}

#[tokio::test]
async fn a_target_with_foreign_tables_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (from, source) = sqlite(&dir, "from.db").await;
    fill(&source).await;
    let path = dir.path().join("other.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true);
    let other = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::query("CREATE TABLE invoices (id INTEGER)")
        .execute(&other)
        .await
        .unwrap();
    other.close().await;

    let error = copy(&from, &format!("sqlite://{}", path.display()), true)
        .await
        .unwrap_err();

    assert!(
        format!("{error:#}").contains("a table Lanyard does not know: invoices"),
        "{error:#}"
    );
}

#[tokio::test]
async fn the_same_database_twice_is_refused() {
    let error = copy("sqlite://x.db", "sqlite://x.db", false)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("same database"), "{error}");
    let error = copy("mysql://x", "sqlite://y.db", false).await.unwrap_err();
    assert!(error.to_string().starts_with("--from:"), "{error}");
}

#[tokio::test]
async fn every_column_of_the_schema_is_copied() {
    // A migration that adds a column or a table must add it here too.
    let dir = tempfile::tempdir().unwrap();
    let (_, db) = sqlite(&dir, "schema.db").await;
    let tables: Vec<String> = db
        .scalars(query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        ))
        .await
        .unwrap();
    for table in tables.iter().filter(|t| !is_derived(t)) {
        let spec = TABLES
            .iter()
            .find(|t| t.name == table)
            .unwrap_or_else(|| panic!("copy-database does not know the table {table}"));
        let columns: Vec<String> = db
            .scalars(query(format!(
                "SELECT name FROM pragma_table_info('{table}')"
            )))
            .await
            .unwrap();
        let copied: Vec<String> = spec.columns.iter().map(|(c, _)| (*c).to_owned()).collect();
        assert_eq!(columns, copied, "{table}");
    }
    assert!(TABLES
        .iter()
        .all(|t| tables.iter().any(|name| name == t.name)));
    assert!(TABLES
        .iter()
        .any(|t| t.columns.iter().any(|(_, k)| *k == Kind::Time)));
}
