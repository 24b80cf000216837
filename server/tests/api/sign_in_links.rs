//! One-time sign-in links: HR makes one, the person sets a password with
//! it and is signed in; it then works no more, a newer one replaces it,
//! an expired one fails, a weak password is refused and nothing is used up.

use crate::helpers::{cookie_client, spawn_app, spawn_app_with, TestApp, HR};
use lanyard_server::db::{query, Exec as _};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A person the demo seed made without a password.
async fn someone_without_a_password(app: &TestApp) -> (i64, String) {
    app.db
        .fetch_one(query(
            "SELECT id, email FROM employees WHERE password_hash IS NULL ORDER BY id LIMIT 1",
        ))
        .await
        .unwrap()
}

async fn hr_makes_a_link(app: &TestApp, id: i64) -> Value {
    app.sign_in(HR, crate::helpers::DEMO_PASSWORD).await;
    let response = app
        .post_empty(&format!("/api/hr/people/{id}/sign-in-link"))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

fn token_of(link: &Value) -> String {
    link["url"]
        .as_str()
        .unwrap()
        .split("#token=")
        .nth(1)
        .unwrap()
        .to_owned()
}

async fn set_password(
    app: &TestApp,
    browser: &reqwest::Client,
    token: &str,
    password: &str,
) -> reqwest::Response {
    browser
        .post(app.url("/api/sign-in-link/password"))
        .json(&json!({ "token": token, "password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_person_sets_a_password_with_their_link_once() {
    let app = spawn_app().await;
    let (id, email) = someone_without_a_password(&app).await;
    let link = hr_makes_a_link(&app, id).await;
    let token = token_of(&link);
    assert!(
        link["url"].as_str().unwrap().contains("/welcome#token="),
        "{link}"
    );
    // The table keeps the hash only.
    let stored: String = app
        .db
        .scalar(query("SELECT token_hash FROM sign_in_links WHERE employee_id = $1").bind(id))
        .await
        .unwrap();
    assert_ne!(stored, token);

    let browser = cookie_client();
    let info: Value = browser
        .post(app.url("/api/sign-in-link"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["email"], email);
    let response = set_password(&app, &browser, &token, "purple otter kite").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        browser
            .get(app.url("/api/me"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // The password now works; the link does not.
    assert_eq!(
        app.sign_in(&email, "purple otter kite").await.status(),
        StatusCode::OK
    );
    let again = set_password(&app, &cookie_client(), &token, "another fine phrase").await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    app.audit.flush().await;
    let actions: Vec<String> = app
        .db
        .scalars(query("SELECT action FROM audit_log WHERE id IN (SELECT entry_id FROM audit_subjects WHERE employee_id = $1) ORDER BY id").bind(id))
        .await
        .unwrap();
    for action in ["sign_in_link_created", "password_set", "sign_in"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_new_link_replaces_the_old_and_a_weak_password_uses_nothing_up() {
    let app = spawn_app().await;
    let (id, email) = someone_without_a_password(&app).await;
    let old = token_of(&hr_makes_a_link(&app, id).await);
    let new = token_of(&hr_makes_a_link(&app, id).await);
    assert_eq!(
        set_password(&app, &cookie_client(), &old, "purple otter kite")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    for weak in ["short", "password1234", &email] {
        let response = set_password(&app, &cookie_client(), &new, weak).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{weak}");
    }
    assert_eq!(
        set_password(&app, &cookie_client(), &new, "purple otter kite")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_expired_link_fails() {
    let app = spawn_app_with(|config| {
        config.sign_in.sign_in_link_ttl = std::time::Duration::from_secs(60);
    })
    .await;
    let (id, _) = someone_without_a_password(&app).await;
    let token = token_of(&hr_makes_a_link(&app, id).await);
    app.execute(&format!(
        "UPDATE sign_in_links SET expires_at = 1 WHERE employee_id = {id}"
    ))
    .await;

    let response = set_password(&app, &cookie_client(), &token, "purple otter kite").await;

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("Ask HR"),
        "{body}"
    );
}

#[tokio::test]
async fn a_deactivated_persons_link_fails_and_hr_cannot_make_one() {
    let app = spawn_app().await;
    let (id, _) = someone_without_a_password(&app).await;
    let token = token_of(&hr_makes_a_link(&app, id).await);
    app.execute(&format!(
        "UPDATE employees SET active = FALSE WHERE id = {id}"
    ))
    .await;

    assert_eq!(
        set_password(&app, &cookie_client(), &token, "purple otter kite")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let response = app
        .post_empty(&format!("/api/hr/people/{id}/sign-in-link"))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
}
