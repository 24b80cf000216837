//! Rate limits, the sign-in lockout and scraping detection, against the
//! real server with tight limits set through its configuration.

use crate::helpers::{
    api_error, json_of, signed_in_client, spawn_app_with, TestApp, DEMO_PASSWORD, EMPLOYEE, HR,
};
use lanyard_server::config::Config;
use lanyard_server::db::{query, Exec as _};
use lanyard_wire::{EmployeeId, ErrorCode, PhotoSize, PhotoUrlsRequest, PhotoUrlsResponse};
use reqwest::{Response, StatusCode};
use std::time::Duration;

/// Every person of the test company, by id.
const EVERYONE: std::ops::RangeInclusive<i64> = 1..=crate::helpers::PEOPLE as i64;

/// The `Retry-After` of a 429 `rate_limited` answer, in seconds.
async fn refused(response: Response) -> u64 {
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let error = api_error(response, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(error.code, ErrorCode::RateLimited);
    let secs = retry_after.expect("a Retry-After header in whole seconds");
    assert!(secs >= 1, "{secs}");
    secs
}

/// How many entries of `action` the log holds, by `actor` (any actor: `None`).
async fn entries(app: &TestApp, action: &str, actor: Option<i64>) -> Vec<String> {
    app.audit.flush().await;
    app.db
        .scalars(
            query(
                "SELECT detail FROM audit_log \
                 WHERE action = $1 AND ($2 IS NULL OR actor_id = $2) ORDER BY id",
            )
            .bind(action)
            .bind(actor),
        )
        .await
        .unwrap()
}

async fn metrics(app: &TestApp) -> String {
    let addr = app.metrics_addr.expect("metrics are on");
    let response = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

fn with_metrics(config: &mut Config) {
    config.limits.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
}

#[tokio::test]
async fn photo_urls_beyond_the_limit_are_refused_and_other_people_go_on() {
    let app = spawn_app_with(|config| {
        config.limits.urls_per_minute = 100;
        with_metrics(config);
    })
    .await;
    let me = app.sign_in_as_employee().await.id.0;
    let granted_before = entries(&app, "urls_granted", Some(me)).await.len();
    let everyone: Vec<i64> = EVERYONE.collect();

    // Batches of everyone's thumbnails until the limit answers.
    let mut answered = 0;
    let retry_after = loop {
        let response = app.post_photo_urls(&everyone, PhotoSize::Thumb).await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            break refused(response).await;
        }
        let answer: PhotoUrlsResponse = json_of(response, StatusCode::OK).await;
        assert!(answer.urls.iter().any(|u| u.photo.is_some()));
        answered += 1;
        assert!(answered < 20, "100 URLs a minute never ran out");
    };
    assert!(answered >= 1);
    assert!(retry_after <= 60, "{retry_after}");
    // Directory pages and profiles count against the same limit.
    refused(app.get_people("per_page=40").await).await;

    // The refused answers granted nothing: only the answered ones are in the log.
    let granted = entries(&app, "urls_granted", Some(me)).await.len();
    assert_eq!(granted - granted_before, answered);

    // Someone else's limit is their own.
    let hr = signed_in_client(&app, HR).await;
    let response = hr
        .post(app.url("/api/photos/urls"))
        .json(&PhotoUrlsRequest {
            people: everyone.into_iter().map(EmployeeId).collect(),
            size: PhotoSize::Thumb,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(metrics(&app)
        .await
        .contains("lanyard_rate_limited_total{limit=\"urls\"} 2"));
}

#[tokio::test]
async fn upload_requests_beyond_the_limit_are_refused() {
    let app = spawn_app_with(|config| config.limits.uploads_per_minute = 2).await;
    app.sign_in_as_employee().await;
    for _ in 0..2 {
        let response = app.begin_upload("image/jpeg", 50_000).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let retry_after = refused(app.begin_upload("image/jpeg", 50_000).await).await;
    assert!(retry_after <= 30, "{retry_after}");
    // A fresh URL and a completion count too.
    refused(
        app.post_empty("/api/me/photo/uploads/0123456789abcdef0123456789abcdef/url")
            .await,
    )
    .await;

    let hr = signed_in_client(&app, HR).await;
    let response = hr
        .post(app.url("/api/me/photo/uploads"))
        .json(&serde_json::json!({ "content_type": "image/jpeg", "content_length": 50_000 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

/// Signs in as `email` from `address` (the test client is a trusted proxy).
async fn sign_in_from(
    app: &TestApp,
    address: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.api
        .post(app.url("/api/session"))
        .header("x-forwarded-for", address)
        .json(&serde_json::json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn failed_sign_ins_throttle_one_address_for_one_account_and_never_lock_a_colleague_out() {
    let app = spawn_app_with(|config| {
        config.limits.sign_in_failures = 3;
        config.limits.sign_in_failure_window = Duration::from_secs(3);
        config.trusted_proxies = vec!["127.0.0.1".into()];
        with_metrics(config);
    })
    .await;
    let employee = app.sign_in_as_employee().await.id.0;
    app.sign_out().await;
    let stranger = "nobody@lanyard.example";
    for email in [EMPLOYEE, stranger] {
        for _ in 0..3 {
            let response = sign_in_from(&app, "198.51.100.7", email, "not-the-password").await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{email}");
        }
        // Throttled from that address: the same answer for a known email
        // and an unknown one, and the right password is not even looked at.
        // Typed in other case.
        let upper = email.to_uppercase();
        let retry_after =
            refused(sign_in_from(&app, "198.51.100.7", &upper, DEMO_PASSWORD).await).await;
        assert!(retry_after <= 2, "{email}: {retry_after}");
    }
    // The colleague at another desk signs in: no one can lock them out.
    let elsewhere = sign_in_from(&app, "203.0.113.9", EMPLOYEE, DEMO_PASSWORD).await;
    assert_eq!(elsewhere.status(), StatusCode::OK);
    app.sign_out().await;

    // One entry per throttle, by the account when the email is someone's.
    let throttled = entries(&app, "sign_in_throttled", None).await;
    assert_eq!(throttled.len(), 2, "{throttled:?}");
    let by_employee = entries(&app, "sign_in_throttled", Some(employee)).await;
    assert_eq!(by_employee.len(), 1);
    assert!(throttled[1].contains(stranger), "{throttled:?}");
    let text = metrics(&app).await;
    assert!(text.contains("lanyard_sign_in_throttles_total 2"), "{text}");
    assert!(
        text.contains("lanyard_rate_limited_total{limit=\"sign_in_throttled\"} 2"),
        "{text}"
    );

    // One failure's worth refills in a second (3 in 3 s); a margin.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let me: lanyard_wire::Me = json_of(
        sign_in_from(&app, "198.51.100.7", EMPLOYEE, DEMO_PASSWORD).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me.id.0, employee);
}

#[tokio::test]
async fn failures_from_many_addresses_meet_the_accounts_ceiling() {
    let app = spawn_app_with(|config| {
        config.limits.sign_in_failures_per_account = 4;
        config.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    for n in 0..4 {
        let response = sign_in_from(&app, &format!("198.51.100.{n}"), EMPLOYEE, "guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    refused(sign_in_from(&app, "198.51.100.200", EMPLOYEE, DEMO_PASSWORD).await).await;
    let hr = sign_in_from(&app, "198.51.100.200", HR, DEMO_PASSWORD).await;
    assert_eq!(hr.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_forged_forwarded_for_counts_for_nothing_without_a_trusted_proxy() {
    let app = spawn_app_with(|config| config.limits.sign_ins_per_address = 3).await;
    for n in 0..3 {
        let response = sign_in_from(
            &app,
            &format!("198.51.100.{n}"),
            &format!("g{n}@x.example"),
            "x",
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // Every "address" was the test client's own: the address limit holds.
    refused(sign_in_from(&app, "198.51.100.99", EMPLOYEE, DEMO_PASSWORD).await).await;
}

#[tokio::test]
async fn sign_ins_from_one_address_are_limited_whatever_the_email() {
    let app = spawn_app_with(|config| config.limits.sign_ins_per_address = 3).await;
    for n in 0..3 {
        let response = app.sign_in(&format!("guess{n}@lanyard.example"), "x").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    refused(app.sign_in(EMPLOYEE, DEMO_PASSWORD).await).await;
}

#[tokio::test]
async fn photos_of_many_distinct_people_flag_the_person_once_per_window() {
    let app = spawn_app_with(|config| {
        config.limits.scraping_people = 10;
        with_metrics(config);
    })
    .await;
    let me = app.sign_in_as_employee().await.id.0;
    assert!(entries(&app, "scraping_flagged", Some(me)).await.is_empty());
    // Two pages of 20: more than 10 distinct people, twice over.
    for page in [1, 2] {
        let response = app.get_people(&format!("per_page=20&page={page}")).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let flagged = entries(&app, "scraping_flagged", Some(me)).await;
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert!(
        flagged[0].contains("distinct people within 10 min (flagged above 10)"),
        "{flagged:?}"
    );
    let text = metrics(&app).await;
    assert!(text.contains("lanyard_scraping_flagged_total 1"), "{text}");

    // Metrics are for operators: never on the app's own address.
    let public = app.get("/metrics").await.text().await.unwrap();
    assert!(!public.contains("lanyard_"), "{public}");
    assert_eq!(
        app.get("/api/metrics").await.status(),
        StatusCode::NOT_FOUND
    );
}
