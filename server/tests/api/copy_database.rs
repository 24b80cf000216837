//! `lanyard copy-database` between the two databases: the demo company on
//! SQLite copied to PostgreSQL serves the same directory, and copied back
//! it has the same checksums. Runs only with `LANYARD_TEST_POSTGRES`
//! (scripts/test.sh sets it); the SQLite-to-SQLite copy is unit-tested.

use crate::backend;
use crate::helpers::{spawn_app_with, DEMO_PASSWORD, PEOPLE};
use lanyard_server::config::Config;
use lanyard_server::db::copy::copy;
use lanyard_server::startup::Application;

#[tokio::test]
async fn a_deployment_moves_to_postgres_and_back_unchanged() {
    if !backend::is_postgres() {
        eprintln!("skipped: LANYARD_TEST_POSTGRES is not set");
        return;
    }
    // Arrange: a seeded SQLite deployment, and an empty PostgreSQL database.
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(data.path(), DEMO_PASSWORD);
    config.seed_people = PEOPLE as usize;
    let app = Application::build(config).await.unwrap();
    app.db().close().await;
    drop(app);
    let sqlite = format!("sqlite://{}", data.path().join("lanyard.db").display());
    let postgres = backend::template_database().await.unwrap();

    // Act
    let there = copy(&sqlite, &postgres, true).await.unwrap();
    let back_path = data.path().join("back.db");
    let back = format!("sqlite://{}", back_path.display());
    let back_again = copy(&postgres, &back, true).await.unwrap();

    // Assert: every table the same on both sides, both ways.
    for (a, b) in there.tables.iter().zip(&back_again.tables) {
        assert_eq!(a.source_sha256, a.target_sha256, "{}", a.table);
        assert_eq!(a.target_sha256, b.target_sha256, "{} back", a.table);
        assert_eq!(a.source_rows, b.target_rows, "{}", a.table);
    }
    let employees = there
        .tables
        .iter()
        .find(|t| t.table == "employees")
        .unwrap();
    assert_eq!(employees.source_rows, PEOPLE);
    // A second copy into the now full database is refused.
    let again = copy(&sqlite, &postgres, false).await.unwrap_err();
    assert!(format!("{again:#}").contains("not empty"), "{again:#}");
    // A server on the copy answers the directory from it (photos live in
    // the store, which a database copy does not move).
    let app = spawn_app_with(|config| {
        config.database_url = Some(postgres.clone());
    })
    .await;
    app.sign_in_as_employee().await;
    let page = app.people("q=engineer&per_page=100").await;
    assert!(page.total > 0);
}
