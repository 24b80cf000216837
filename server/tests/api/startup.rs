//! Starting twice on the same data folder; generated secrets.

use crate::helpers::{assert_fetches_jpeg, cookie_client, DEMO_PASSWORD, EMPLOYEE};
use lanyard_server::config::Config;
use lanyard_server::db::{query, Exec as _};
use lanyard_server::startup::Application;
use lanyard_wire::DirectoryPage;
use secrecy::ExposeSecret as _;

async fn count_people(app: &Application) -> i64 {
    app.db()
        .scalar(query("SELECT COUNT(*) FROM employees"))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_second_start_reuses_the_data_and_the_generated_secrets() {
    // Arrange: a first start with no demo password configured.
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(data.path(), "unused");
    config.demo_password = None;
    config.seed_people = 25;
    let first = Application::build(config.clone()).await.unwrap();
    let password = first.demo().password.clone().expect("a generated password");
    assert_eq!(first.demo().seeded_people, 25);
    assert_eq!(count_people(&first).await, 25);
    let credentials = std::fs::read_to_string(data.path().join("s3-credentials")).unwrap();
    drop(first);

    // Act
    let second = Application::build(config).await.unwrap();

    // Assert: nothing reseeded, the same secrets, and it all still works.
    assert_eq!(second.demo().seeded_people, 0);
    assert_eq!(count_people(&second).await, 25);
    assert_eq!(
        second.demo().password.as_ref().unwrap().expose_secret(),
        password.expose_secret()
    );
    assert!(second.banner().contains(password.expose_secret()));
    assert_eq!(
        std::fs::read_to_string(data.path().join("s3-credentials")).unwrap(),
        credentials
    );
    #[cfg(unix)]
    for file in ["s3-credentials", "demo-password"] {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(data.path().join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file}");
    }

    let address = second.address();
    tokio::spawn(second.run_until_stopped());
    let client = cookie_client();
    let response = client
        .post(format!("{address}/api/session"))
        .json(&serde_json::json!({ "email": EMPLOYEE, "password": password.expose_secret() }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let page: DirectoryPage = client
        .get(format!("{address}/api/people"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let thumb = page.people.iter().find_map(|p| p.photo.clone()).unwrap();
    assert_fetches_jpeg(&thumb.url, 160).await;
}

#[tokio::test]
async fn a_configured_demo_password_replaces_the_saved_one() {
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(data.path(), "first-password");
    config.seed_people = 20;
    drop(Application::build(config.clone()).await.unwrap());

    config.demo_password = Some(DEMO_PASSWORD.into());
    let app = Application::build(config).await.unwrap();
    let address = app.address();
    tokio::spawn(app.run_until_stopped());

    let response = cookie_client()
        .post(format!("{address}/api/session"))
        .json(&serde_json::json!({ "email": EMPLOYEE, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn seeding_can_be_turned_off() {
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(data.path(), DEMO_PASSWORD);
    config.seed = lanyard_server::config::SeedMode::None;
    let app = Application::build(config).await.unwrap();
    assert_eq!(count_people(&app).await, 0);
    assert!(app.demo().accounts.is_empty());
}

#[tokio::test]
async fn a_bad_configuration_stops_the_start_with_a_clear_error() {
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(data.path(), DEMO_PASSWORD);
    config.profile_ttl = std::time::Duration::from_secs(8 * 24 * 3600);
    let error = Application::build(config).await.err().expect("an error");
    assert!(error.to_string().contains("7 days"), "{error}");
}

#[tokio::test]
async fn ready_says_the_store_is_missing_while_health_still_answers() {
    // A server whose store does not answer (nothing listens on port 1).
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(data.path(), "pw");
    config.seed = lanyard_server::config::SeedMode::None;
    config.aws_endpoint_url_s3 = Some("http://127.0.0.1:1".into());
    config.aws_access_key_id = Some("AK".into());
    config.aws_secret_access_key = Some("sk".to_owned().into());
    let app = Application::build(config).await.unwrap();
    let url = app.address();
    let server = tokio::spawn(app.run_until_stopped());
    let get = |path: &'static str| {
        let url = url.clone();
        async move {
            let response = reqwest::get(format!("{url}{path}")).await.unwrap();
            (
                response.status(),
                response.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };

    let (status, body) = get("/api/ready").await;
    assert_eq!(status, reqwest::StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(
        (body["database"].as_str(), body["store"].as_str()),
        (Some("ok"), Some("unreachable"))
    );
    assert_eq!(get("/api/health").await.0, reqwest::StatusCode::OK);
    server.abort();
}

#[tokio::test]
async fn ready_answers_when_the_database_and_store_do() {
    let app = crate::helpers::spawn_app().await;
    let response = app.get("/api/ready").await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
}
