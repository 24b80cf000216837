//! Signing in and out, `me`, and what every API answer looks like.

use crate::helpers::{
    api_error, cookie_client, json_of, plain_client, spawn_app, spawn_app_with, DEMO_PASSWORD,
    EMPLOYEE, HR,
};
use lanyard_server::auth::Sessions;
use lanyard_server::db::{query, Exec as _};
use lanyard_wire::{ErrorCode, Me, Role};
use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use tower_sessions::session::Id;
use tower_sessions::SessionStore as _;

const ONE_MESSAGE: &str = "Email or password is incorrect.";

/// The `lanyard_session=...` pair of a sign-in answer's Set-Cookie.
fn session_cookie(response: &reqwest::Response) -> String {
    let header = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("lanyard_session="))
        .expect("a lanyard_session cookie")
        .to_owned();
    header.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn signing_in_with_the_demo_password_returns_me_and_a_session_cookie() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = app.sign_in(EMPLOYEE, DEMO_PASSWORD).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("lanyard_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "secure cookies are off in tests: {cookie}"
    );
    let me: Me = json_of(response, StatusCode::OK).await;
    assert_eq!(me.email, EMPLOYEE);
    assert_eq!(me.role, Role::Employee);
    assert!(me.photo.is_some(), "the demo employee has a photo");
    assert!(me.server_time.0 > 0);
}

#[tokio::test]
async fn the_hr_demo_account_signs_in_with_the_hr_role() {
    let app = spawn_app().await;
    let me: Me = json_of(app.sign_in(HR, DEMO_PASSWORD).await, StatusCode::OK).await;
    assert_eq!(me.role, Role::Hr);
}

#[tokio::test]
async fn signing_in_ignores_the_emails_case_and_surrounding_space() {
    let app = spawn_app().await;
    let response = app
        .sign_in("  Employee@Lanyard.EXAMPLE ", DEMO_PASSWORD)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_password_is_401_with_the_one_message() {
    let app = spawn_app().await;
    let error = api_error(
        app.sign_in(EMPLOYEE, "wrong").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(error.code, ErrorCode::InvalidCredentials);
    assert_eq!(error.message, ONE_MESSAGE);
}

#[tokio::test]
async fn an_unknown_email_gets_the_same_401_and_message() {
    let app = spawn_app().await;
    let response = app.sign_in("nobody@lanyard.example", DEMO_PASSWORD).await;
    let error = api_error(response, StatusCode::UNAUTHORIZED).await;
    assert_eq!(error.code, ErrorCode::InvalidCredentials);
    assert_eq!(error.message, ONE_MESSAGE);
}

#[tokio::test]
async fn empty_fields_get_the_same_401_and_message() {
    let app = spawn_app().await;
    for (email, password) in [("", ""), (EMPLOYEE, ""), ("", DEMO_PASSWORD), ("  ", " ")] {
        let error = api_error(app.sign_in(email, password).await, StatusCode::UNAUTHORIZED).await;
        assert_eq!(error.code, ErrorCode::InvalidCredentials, "{email:?}");
        assert_eq!(error.message, ONE_MESSAGE);
    }
}

#[tokio::test]
async fn a_seeded_person_without_a_password_cannot_sign_in() {
    let app = spawn_app().await;
    let email: String = app
        .db
        .scalar(query(
            "SELECT email FROM employees WHERE password_hash IS NULL ORDER BY id LIMIT 1",
        ))
        .await
        .unwrap();
    let error = api_error(app.sign_in(&email, "").await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(error.message, ONE_MESSAGE);
    let error = api_error(app.sign_in(&email, "x").await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(error.message, ONE_MESSAGE);
}

#[tokio::test]
async fn malformed_sign_in_json_is_a_400_json_error() {
    let app = spawn_app().await;
    for body in ["{not json", "{\"email\": 5}", "[]", "{\"email\":\"a@b.c\"}"] {
        let response = app
            .api
            .post(app.url("/api/session"))
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let error = api_error(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(error.code, ErrorCode::BadRequest, "{body}");
        assert!(!error.message.is_empty());
    }
}

#[tokio::test]
async fn a_sign_in_that_is_not_json_is_refused_with_a_json_error() {
    let app = spawn_app().await;
    let response = app
        .api
        .post(app.url("/api/session"))
        .header(CONTENT_TYPE, "text/plain")
        .body("email=a&password=b")
        .send()
        .await
        .unwrap();
    let error = api_error(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    assert_eq!(error.code, ErrorCode::BadRequest);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_a_json_error() {
    let app = spawn_app().await;
    let huge = serde_json::json!({ "email": "a".repeat(100_000), "password": "x" });
    let error = api_error(
        app.post_json("/api/session", &huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert_eq!(error.code, ErrorCode::BadRequest);
}

#[tokio::test]
async fn me_without_a_cookie_is_401_json() {
    let app = spawn_app().await;
    let error = api_error(app.get("/api/me").await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(error.code, ErrorCode::Unauthenticated);
}

#[tokio::test]
async fn me_with_a_made_up_cookie_is_401_json() {
    let app = spawn_app().await;
    for cookie in [
        "lanyard_session=AAAAAAAAAAAAAAAAAAAAAA",
        "lanyard_session=%%%",
        "lanyard_session=",
    ] {
        let response = plain_client()
            .get(app.url("/api/me"))
            .header(COOKIE, cookie)
            .send()
            .await
            .unwrap();
        let error = api_error(response, StatusCode::UNAUTHORIZED).await;
        assert_eq!(error.code, ErrorCode::Unauthenticated, "{cookie}");
    }
}

#[tokio::test]
async fn me_after_signing_in_is_the_signed_in_person() {
    let app = spawn_app().await;
    let signed_in = app.sign_in_as_employee().await;
    let me: Me = json_of(app.get("/api/me").await, StatusCode::OK).await;
    assert_eq!(me.id, signed_in.id);
    assert_eq!(me.email, EMPLOYEE);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    // Arrange: sign in, and keep a copy of the cookie as an attacker might.
    let app = spawn_app().await;
    let response = app.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let stolen = session_cookie(&response);
    let with_stolen = || {
        plain_client()
            .get(app.url("/api/me"))
            .header(COOKIE, stolen.clone())
            .send()
    };
    assert_eq!(with_stolen().await.unwrap().status(), StatusCode::OK);

    // Act
    let response = app.sign_out().await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let error = api_error(app.get("/api/me").await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(error.code, ErrorCode::Unauthenticated);
    let error = api_error(with_stolen().await.unwrap(), StatusCode::UNAUTHORIZED).await;
    assert_eq!(error.code, ErrorCode::Unauthenticated);
}

#[tokio::test]
async fn signing_out_without_a_session_is_401_json() {
    let app = spawn_app().await;
    let error = api_error(app.sign_out().await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(error.code, ErrorCode::Unauthenticated);
}

#[tokio::test]
async fn signing_in_issues_a_new_session_id_each_time() {
    let app = spawn_app().await;
    let first = session_cookie(&app.sign_in(EMPLOYEE, DEMO_PASSWORD).await);
    let second = session_cookie(&app.sign_in(EMPLOYEE, DEMO_PASSWORD).await);
    assert_ne!(first, second);
    // The id from before the second sign-in is no longer valid.
    let response = plain_client()
        .get(app.url("/api/me"))
        .header(COOKIE, first)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_deactivated_person_is_signed_out() {
    let app = spawn_app().await;
    let me = app.sign_in_as_employee().await;
    app.execute(&format!(
        "UPDATE employees SET active = FALSE WHERE id = {}",
        me.id.0
    ))
    .await;
    let error = api_error(app.get("/api/me").await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(error.code, ErrorCode::Unauthenticated);
    let error = api_error(
        app.sign_in(EMPLOYEE, DEMO_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(error.code, ErrorCode::InvalidCredentials);
}

#[tokio::test]
async fn every_answer_carries_the_server_time() {
    let app = spawn_app().await;
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    for path in [
        "/api/health",
        "/api/me",
        "/api/nope",
        "/",
        "/people/5",
        "/app.js",
    ] {
        let response = cookie_client().get(app.url(path)).send().await.unwrap();
        let header = response
            .headers()
            .get("x-server-time")
            .unwrap_or_else(|| panic!("no x-server-time on {path}"));
        let ms: i64 = header.to_str().unwrap().parse().unwrap();
        assert!(
            (before - 1000..before + 60_000).contains(&ms),
            "{path}: {ms}"
        );
    }
}

#[tokio::test]
async fn health_is_ok_without_a_session() {
    let app = spawn_app().await;
    let body: serde_json::Value = json_of(app.get("/api/health").await, StatusCode::OK).await;
    assert_eq!(body, serde_json::json!({ "status": "ok" }));
}

#[tokio::test]
async fn unknown_api_paths_are_404_json() {
    let app = spawn_app().await;
    app.sign_in_as_employee().await;
    for path in ["/api/nope", "/api", "/api/people/1/extra"] {
        let error = api_error(app.get(path).await, StatusCode::NOT_FOUND).await;
        assert_eq!(error.code, ErrorCode::NotFound, "{path}");
    }
}

#[tokio::test]
async fn the_api_root_with_a_trailing_slash_is_404_json_for_every_method() {
    // Regression: `/api/` fell through to the SPA: HTML for GET, a bare 405 otherwise.
    let app = spawn_app().await;
    for method in [Method::GET, Method::POST, Method::DELETE] {
        let response = app
            .api
            .request(method.clone(), app.url("/api/"))
            .send()
            .await
            .unwrap();
        let error = api_error(response, StatusCode::NOT_FOUND).await;
        assert_eq!(error.code, ErrorCode::NotFound, "{method}");
    }
}

#[tokio::test]
async fn a_wrong_method_on_an_api_path_is_405_json() {
    let app = spawn_app().await;
    let response = app.api.put(app.url("/api/session")).send().await.unwrap();
    api_error(response, StatusCode::METHOD_NOT_ALLOWED).await;
}

#[tokio::test]
async fn over_tls_the_cookie_is_secure_and_host_only() {
    // Arrange: the app's public URL is https (TLS ends at a proxy in front).
    let app =
        spawn_app_with(|config| config.public_url = vec!["https://lanyard.example".into()]).await;
    // Act
    let response = app.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    // Assert
    let cookie = set_cookie(&response);
    assert!(cookie.starts_with("__Host-lanyard_session="), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Domain"), "{cookie}");
}

#[tokio::test]
async fn the_secure_flag_can_be_turned_off_explicitly() {
    let app = spawn_app_with(|config| {
        config.public_url = vec!["https://lanyard.example".into()];
        config.secure_cookies = Some(false);
    })
    .await;
    let cookie = set_cookie(&app.sign_in(EMPLOYEE, DEMO_PASSWORD).await);
    assert!(cookie.starts_with("lanyard_session="), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn a_session_ends_at_its_maximum_age_however_busy() {
    // Arrange: a session that began 8 days ago (the default limit is 7).
    let app = spawn_app().await;
    let response = app.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let cookie = session_cookie(&response);
    let id: Id = cookie
        .trim_start_matches("lanyard_session=")
        .parse()
        .unwrap();
    let store = Sessions::new(&app.db);
    let mut record = store.load(&id).await.unwrap().expect("the session");
    let began = time::OffsetDateTime::now_utc() - time::Duration::days(8);
    record
        .data
        .insert("signed_in_at".into(), began.unix_timestamp().into());
    store.save(&record).await.unwrap();

    // Act: the session was used a moment ago, so only its age can end it.
    let response = app.get("/api/me").await;

    // Assert
    let error = api_error(response, StatusCode::UNAUTHORIZED).await;
    assert_eq!(error.code, ErrorCode::Unauthenticated);
    assert!(
        store.load(&id).await.unwrap().is_none(),
        "deleted from the store"
    );
}

#[tokio::test]
async fn a_session_younger_than_its_maximum_age_goes_on() {
    let app = spawn_app_with(|config| config.session_max_hours = 1).await;
    app.sign_in_as_employee().await;
    assert_eq!(app.get("/api/me").await.status(), StatusCode::OK);
}

/// The whole Set-Cookie header of a sign-in answer.
fn set_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a Set-Cookie")
        .to_owned()
}
