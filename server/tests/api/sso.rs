//! Single sign-on against the test provider (sso_provider.rs): who gets
//! in, how identities are linked, the HR claim, and every check of the
//! state, the code and the ID token, each refused with a page, no session
//! and an audit entry.

use crate::helpers::{cookie_client, spawn_app_with, TestApp, EMPLOYEE, HR};
use crate::sso_provider::{b64, Provider, CLIENT_ID, CLIENT_SECRET};
use lanyard_server::db::{query, Exec as _};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

/// A server using `provider`, HR by the `groups` claim `lanyard-hr`.
async fn app_with(provider: &Provider) -> TestApp {
    let issuer = provider.issuer.clone();
    spawn_app_with(move |config| {
        config.sign_in.oidc_issuer = Some(issuer);
        config.sign_in.oidc_client_id = Some(CLIENT_ID.into());
        config.sign_in.oidc_client_secret = Some(CLIENT_SECRET.to_owned().into());
        config.sign_in.oidc_hr_claim = Some("groups".into());
        config.sign_in.oidc_hr_values = vec!["lanyard-hr".into()];
    })
    .await
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A browser that started a sign-in: its cookies, and what the authorize
/// URL carried.
struct Started {
    browser: reqwest::Client,
    params: HashMap<String, String>,
}

async fn start(app: &TestApp, return_to: &str) -> Started {
    let browser = cookie_client();
    let response = browser
        .get(app.url(&format!("/api/sso/start?return_to={return_to}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let url = reqwest::Url::parse(&location).unwrap();
    let params: HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(params["code_challenge_method"], "S256");
    assert_eq!(params["client_id"], CLIENT_ID);
    assert!(params["scope"].split(' ').any(|s| s == "openid"));
    Started { browser, params }
}

/// Standard claims for `email`, as the provider would send them.
fn claims(provider: &Provider, started: &Started, sub: &str, email: &str) -> Value {
    json!({
        "iss": provider.issuer, "sub": sub, "aud": CLIENT_ID, "iat": now(), "exp": now() + 300,
        "nonce": started.params["nonce"], "email": email, "email_verified": true,
    })
}

/// The browser comes back with a code for `id_token`.
async fn come_back(
    app: &TestApp,
    started: &Started,
    provider: &Provider,
    id_token: String,
) -> reqwest::Response {
    let code = provider.issue(&started.params["code_challenge"], id_token);
    come_back_with(
        app,
        started,
        &format!("code={code}&state={}", started.params["state"]),
    )
    .await
}

async fn come_back_with(app: &TestApp, started: &Started, query: &str) -> reqwest::Response {
    started
        .browser
        .get(app.url(&format!("/api/sso/callback?{query}")))
        .send()
        .await
        .unwrap()
}

async fn me(app: &TestApp, browser: &reqwest::Client) -> (StatusCode, Value) {
    let response = browser.get(app.url("/api/me")).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A refused callback: a page, no session, an audit entry.
async fn assert_refused(
    app: &TestApp,
    started: &Started,
    response: reqwest::Response,
    status: StatusCode,
) {
    assert_eq!(response.status(), status);
    let page = response.text().await.unwrap();
    assert!(page.contains("data-testid=\"sign-in-problem\""), "{page}");
    assert_eq!(me(app, &started.browser).await.0, StatusCode::UNAUTHORIZED);
    app.audit.flush().await;
    let refused: i64 = app
        .db
        .scalar(query(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_refused'",
        ))
        .await
        .unwrap();
    assert!(refused >= 1, "an audit entry");
}

async fn employee_id(app: &TestApp, email: &str) -> i64 {
    app.db
        .scalar(query("SELECT id FROM employees WHERE email = $1").bind(email))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_person_signs_in_with_their_verified_email_and_lands_where_they_started() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;
    let started = start(&app, "/people/3").await;
    let token = provider
        .key()
        .sign(&claims(&provider, &started, "sub-emp", EMPLOYEE));

    let response = come_back(&app, &started, &provider, token).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/people/3");
    let (status, me) = me(&app, &started.browser).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["email"], EMPLOYEE);
    assert_eq!(me["role"], "employee");
    let linked: i64 = app
        .db
        .scalar(query(
            "SELECT employee_id FROM oidc_identities WHERE subject = 'sub-emp'",
        ))
        .await
        .unwrap();
    assert_eq!(linked, employee_id(&app, EMPLOYEE).await);
}

#[tokio::test]
async fn the_link_follows_the_subject_not_the_email() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;
    // First sign-in links subject "s1" to the employee.
    let started = start(&app, "/").await;
    let token = provider
        .key()
        .sign(&claims(&provider, &started, "s1", EMPLOYEE));
    assert_eq!(
        come_back(&app, &started, &provider, token).await.status(),
        StatusCode::SEE_OTHER
    );

    // The employee's email changes at the provider: still them.
    let started = start(&app, "/").await;
    let token = provider.key().sign(&claims(
        &provider,
        &started,
        "s1",
        "renamed@elsewhere.example",
    ));
    assert_eq!(
        come_back(&app, &started, &provider, token).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(me(&app, &started.browser).await.1["email"], EMPLOYEE);

    // Someone else takes the employee's email at the provider: not them.
    let started = start(&app, "/").await;
    let token = provider
        .key()
        .sign(&claims(&provider, &started, "s2", EMPLOYEE));
    let response = come_back(&app, &started, &provider, token).await;
    assert_refused(&app, &started, response, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn unknown_unverified_and_deactivated_people_are_refused() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;

    let started = start(&app, "/").await;
    let token = provider.key().sign(&claims(
        &provider,
        &started,
        "x1",
        "stranger@elsewhere.example",
    ));
    let response = come_back(&app, &started, &provider, token).await;
    assert_refused(&app, &started, response, StatusCode::FORBIDDEN).await;

    let started = start(&app, "/").await;
    let mut unverified = claims(&provider, &started, "x2", EMPLOYEE);
    unverified["email_verified"] = json!(false);
    let response = come_back(&app, &started, &provider, provider.key().sign(&unverified)).await;
    assert_refused(&app, &started, response, StatusCode::FORBIDDEN).await;

    let id = employee_id(&app, EMPLOYEE).await;
    app.execute(&format!(
        "UPDATE employees SET active = FALSE WHERE id = {id}"
    ))
    .await;
    let started = start(&app, "/").await;
    let token = provider
        .key()
        .sign(&claims(&provider, &started, "x3", EMPLOYEE));
    let response = come_back(&app, &started, &provider, token).await;
    assert_refused(&app, &started, response, StatusCode::FORBIDDEN).await;
    // Nothing was created from a sign-in.
    let created: i64 = app
        .db
        .scalar(query(
            "SELECT COUNT(*) FROM employees WHERE email = 'stranger@elsewhere.example'",
        ))
        .await
        .unwrap();
    assert_eq!(created, 0);
}

#[tokio::test]
async fn the_hr_role_follows_the_groups_claim_and_each_change_is_audited() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;
    let sign_in = |groups: Value| {
        let (app, provider) = (&app, &provider);
        async move {
            let started = start(app, "/").await;
            let mut c = claims(provider, &started, "emp", EMPLOYEE);
            c["groups"] = groups;
            let response = come_back(app, &started, provider, provider.key().sign(&c)).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER);
            me(app, &started.browser).await.1["role"].clone()
        }
    };
    assert_eq!(sign_in(json!(["staff", "lanyard-hr"])).await, "hr");
    assert_eq!(sign_in(json!(["lanyard-hr"])).await, "hr");
    assert_eq!(sign_in(json!(["staff"])).await, "employee");
    app.audit.flush().await;
    let changes: Vec<String> = app
        .db
        .scalars(query(
            "SELECT detail FROM audit_log WHERE action = 'role_changed' ORDER BY id",
        ))
        .await
        .unwrap();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(changes[0].contains("employee → hr"), "{changes:?}");
    assert!(changes[1].contains("hr → employee"), "{changes:?}");
}

#[tokio::test]
async fn sign_in_keeps_working_when_the_provider_rotates_its_key() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;
    let started = start(&app, "/").await;
    let token = provider
        .key()
        .sign(&claims(&provider, &started, "r1", EMPLOYEE));
    assert_eq!(
        come_back(&app, &started, &provider, token).await.status(),
        StatusCode::SEE_OTHER
    );
    let fetched = provider
        .jwks_fetches
        .load(std::sync::atomic::Ordering::SeqCst);

    let new_key = provider.rotate("key-2");
    let started = start(&app, "/").await;
    let token = new_key.sign(&claims(&provider, &started, "r1", EMPLOYEE));
    let response = come_back(&app, &started, &provider, token).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(me(&app, &started.browser).await.0, StatusCode::OK);
    assert_eq!(
        provider
            .jwks_fetches
            .load(std::sync::atomic::Ordering::SeqCst),
        fetched + 1
    );
}

#[tokio::test]
async fn a_flood_of_unknown_keys_fetches_the_key_set_once() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;
    let stranger = crate::sso_provider::Provider::start().await;
    let unknown = stranger.rotate("unknown-key");
    for n in 0..5 {
        let started = start(&app, "/").await;
        // Signed by a key (and key id) the provider never published.
        let token = unknown.sign(&claims(&provider, &started, &format!("f{n}"), EMPLOYEE));
        let response = come_back(&app, &started, &provider, token).await;
        assert_refused(&app, &started, response, StatusCode::BAD_REQUEST).await;
    }
    // Discovery's fetch, then one more for the first unknown key.
    assert_eq!(
        provider
            .jwks_fetches
            .load(std::sync::atomic::Ordering::SeqCst),
        2
    );
}

#[tokio::test]
async fn tokens_failing_a_check_are_refused() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;
    type Mangle = fn(&mut Value);
    let cases: [(&str, Mangle); 6] = [
        ("another audience", |c| c["aud"] = json!("someone-else")),
        ("another issuer", |c| {
            c["iss"] = json!("https://evil.example")
        }),
        ("expired", |c| c["exp"] = json!(now() - 600)),
        ("issued in the future", |c| c["iat"] = json!(now() + 3600)),
        ("another nonce", |c| c["nonce"] = json!("not-the-nonce")),
        ("an unauthorized party", |c| {
            c["aud"] = json!([CLIENT_ID, "other"]);
            c["azp"] = json!("other");
        }),
    ];
    for (what, mangle) in cases {
        let started = start(&app, "/").await;
        let mut c = claims(&provider, &started, "m", EMPLOYEE);
        mangle(&mut c);
        let response = come_back(&app, &started, &provider, provider.key().sign(&c)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{what}");
        assert_refused(&app, &started, response, StatusCode::BAD_REQUEST).await;
    }
}

#[tokio::test]
async fn unsigned_and_symmetric_tokens_are_refused() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;
    // `alg: none`, no signature.
    let started = start(&app, "/").await;
    let c = claims(&provider, &started, "n", EMPLOYEE);
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&c)
    );
    let response = come_back(&app, &started, &provider, none).await;
    assert_refused(&app, &started, response, StatusCode::BAD_REQUEST).await;
    // HS256 keyed with the provider's public key (algorithm confusion).
    let started = start(&app, "/").await;
    let c = claims(&provider, &started, "h", EMPLOYEE);
    let input = format!(
        "{}.{}",
        b64(&json!({"alg": "HS256", "kid": "key-1"})),
        b64(&c)
    );
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, provider.issuer.as_bytes());
    let mac = ring::hmac::sign(&key, input.as_bytes());
    let hs = format!(
        "{input}.{}",
        base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            mac.as_ref()
        )
    );
    let response = come_back(&app, &started, &provider, hs).await;
    assert_refused(&app, &started, response, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn the_state_is_single_use_and_bound_to_the_browser() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;

    // Missing and tampered states.
    let started = start(&app, "/").await;
    let code = provider.issue(&started.params["code_challenge"], "x".into());
    let response = come_back_with(&app, &started, &format!("code={code}")).await;
    assert_refused(&app, &started, response, StatusCode::BAD_REQUEST).await;
    let started = start(&app, "/").await;
    let code = provider.issue(&started.params["code_challenge"], "x".into());
    let response = come_back_with(&app, &started, &format!("code={code}&state=tampered")).await;
    assert_refused(&app, &started, response, StatusCode::BAD_REQUEST).await;

    // Another browser bringing a valid state and code gets nothing.
    let started = start(&app, "/").await;
    let token = provider
        .key()
        .sign(&claims(&provider, &started, "b", EMPLOYEE));
    let code = provider.issue(&started.params["code_challenge"], token);
    let thief = Started {
        browser: cookie_client(),
        params: started.params.clone(),
    };
    let query = format!("code={code}&state={}", started.params["state"]);
    let response = come_back_with(&app, &thief, &query).await;
    assert_refused(&app, &thief, response, StatusCode::BAD_REQUEST).await;

    // A replayed callback (same state and code) is refused the second time.
    let started = start(&app, "/").await;
    let token = provider
        .key()
        .sign(&claims(&provider, &started, "b", EMPLOYEE));
    let code = provider.issue(&started.params["code_challenge"], token);
    let query = format!("code={code}&state={}", started.params["state"]);
    assert_eq!(
        come_back_with(&app, &started, &query).await.status(),
        StatusCode::SEE_OTHER
    );
    let again = come_back_with(&app, &started, &query).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);

    // The provider's own refusal, and garbage in the query.
    let started = start(&app, "/").await;
    let query = format!("error=access_denied&state={}", started.params["state"]);
    let response = come_back_with(&app, &started, &query).await;
    assert_refused(&app, &started, response, StatusCode::BAD_REQUEST).await;
    let started = start(&app, "/").await;
    let response = come_back_with(&app, &started, "code=%ff%00&state=%00%01").await;
    assert!(response.status().is_client_error(), "{}", response.status());
}

#[tokio::test]
async fn a_replayed_code_is_refused_by_the_provider() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;
    let started = start(&app, "/").await;
    let token = provider
        .key()
        .sign(&claims(&provider, &started, "c", EMPLOYEE));
    let code = provider.issue(&started.params["code_challenge"], token);
    // The code was used once already (here, by someone else).
    provider.issue("used", "x".into());
    let first = start(&app, "/").await;
    let query = format!("code={code}&state={}", first.params["state"]);
    // The code belongs to the other sign-in's challenge: PKCE fails.
    let response = come_back_with(&app, &first, &query).await;
    assert_refused(&app, &first, response, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn open_redirects_are_refused_and_the_session_id_changes() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;
    let started = start(&app, "https://evil.example/").await;
    let token = provider.key().sign(&claims(&provider, &started, "o", HR));
    let response = come_back(&app, &started, &provider, token).await;
    assert_eq!(response.headers()["location"], "/");
    let cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned());
    assert!(
        cookie.is_some_and(|c| c.starts_with("lanyard_session=")),
        "a fresh session id"
    );
}

#[tokio::test]
async fn password_sign_in_is_off_once_single_sign_on_is_on() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;
    let options: Value = app.get("/api/session/options").await.json().await.unwrap();
    assert_eq!(options["password"], false);
    assert_eq!(options["provider"]["start"], "/api/sso/start");
    let response = app.sign_in(EMPLOYEE, crate::helpers::DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("Sign in with")
            || body["message"].as_str().unwrap().contains("sign in with")
    );
}

#[tokio::test]
async fn sign_out_offers_the_providers_sign_out_page() {
    let provider = Provider::start().await;
    let app = app_with(&provider).await;
    let started = start(&app, "/").await;
    let token = provider
        .key()
        .sign(&claims(&provider, &started, "so", EMPLOYEE));
    assert_eq!(
        come_back(&app, &started, &provider, token).await.status(),
        StatusCode::SEE_OTHER
    );

    let response = started
        .browser
        .delete(app.url("/api/session"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let url = body["provider_sign_out"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/session/end?", provider.issuer)),
        "{url}"
    );
    assert!(url.contains("client_id=lanyard-test"), "{url}");
    assert_eq!(me(&app, &started.browser).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_doctor_checks_the_provider_is_reachable_and_names_itself() {
    use lanyard_server::config::Config;
    use lanyard_server::doctor::{self, Status, IDENTITY_PROVIDER};
    let provider = Provider::start().await;
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(data.path(), "unused");
    config.sign_in.oidc_issuer = Some(provider.issuer.clone());
    config.sign_in.oidc_client_id = Some(CLIENT_ID.into());
    let report = doctor::run(&config).await.unwrap();
    let check = report.check(IDENTITY_PROVIDER).unwrap();
    assert_eq!(check.status, Status::Pass, "{report}");
    assert!(check.detail.contains("1 key(s)"), "{report}");

    // An issuer whose discovery document names another one.
    config.sign_in.oidc_issuer = Some(format!("{}/tenant", provider.issuer));
    let report = doctor::run(&config).await.unwrap();
    assert_eq!(
        report.check(IDENTITY_PROVIDER).unwrap().status,
        Status::Fail,
        "{report}"
    );
    assert!(report.failed());
}
