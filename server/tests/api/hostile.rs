//! Hostile input that is not about text (that is `hostile_text.rs`):
//! oversized and malformed bodies, wrong content types, path traversal in
//! ids, huge batches, numeric overflow, and dead or forged session cookies.
//! Each gets a clear 4xx with an `ApiError` body; never a 5xx.

use crate::helpers::{api_error, json_of, spawn_app, TestApp, DEMO_PASSWORD, EMPLOYEE, HR};
use lanyard_server::db::{query, Exec as _};
use lanyard_wire::{ErrorCode, Profile, MAX_IMPORT_BYTES};
use reqwest::{Method, StatusCode};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An upload or version id that has the right shape but names nothing.
const NO_VERSION: &str = "00000000000000000000000000000000";

/// Every API operation that reads a JSON body, with a valid body for it.
fn json_operations() -> Vec<(Method, String, serde_json::Value)> {
    let person = json!({
        "name": "Ada Lovelace", "email": "ada.hostile@lanyard.example", "title": "Analyst",
        "department": "Research", "location": "London", "phone": "+44 20 0000 0000",
        "manager": null, "role": "employee"
    });
    vec![
        (
            Method::POST,
            "/api/session".into(),
            json!({"email": HR, "password": DEMO_PASSWORD}),
        ),
        (
            Method::POST,
            "/api/photos/urls".into(),
            json!({"people": [1], "size": "thumb"}),
        ),
        (
            Method::POST,
            "/api/me/photo/uploads".into(),
            json!({"content_type": "image/jpeg", "content_length": 1000}),
        ),
        (
            Method::POST,
            format!("/api/hr/reviews/{NO_VERSION}/reject"),
            json!({"reason": "Blurred"}),
        ),
        (Method::POST, "/api/hr/people".into(), person.clone()),
        (Method::PUT, "/api/hr/people/1".into(), person),
        (
            Method::POST,
            "/api/hr/import".into(),
            json!({"csv": "name,email\n", "dry_run": true}),
        ),
    ]
}

/// The app with HR signed in: every operation is reachable.
async fn hr_app() -> TestApp {
    let app = spawn_app().await;
    assert_eq!(
        app.sign_in(HR, DEMO_PASSWORD).await.status(),
        StatusCode::OK
    );
    app
}

/// Sends `body` with `content_type` and expects `status` with an `ApiError`.
async fn send_raw(
    app: &TestApp,
    (method, path): (&Method, &str),
    content_type: &str,
    body: Vec<u8>,
    status: StatusCode,
) {
    let response = app
        .api
        .request(method.clone(), app.url(path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let actual = response.status();
    assert_eq!(actual, status, "{method} {path} ({content_type})");
    let error = api_error(response, status).await;
    assert!(!error.message.is_empty());
}

#[tokio::test]
async fn malformed_json_is_400_and_a_wrong_content_type_415() {
    let app = hr_app().await;
    let malformed: [&[u8]; 6] = [
        b"{\"email\":",
        b"not json",
        b"",
        b"[1,2,3]",
        b"{\"people\": \"\\ud800\"}",
        b"\xff\xfe{}",
    ];
    for (method, path, valid) in json_operations() {
        let op = (&method, path.as_str());
        for body in malformed {
            send_raw(
                &app,
                op,
                "application/json",
                body.to_vec(),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
        let valid = serde_json::to_vec(&valid).unwrap();
        for content_type in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ] {
            let status = StatusCode::UNSUPPORTED_MEDIA_TYPE;
            send_raw(&app, op, content_type, valid.clone(), status).await;
        }
    }
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let app = hr_app().await;
    // 100 KB is over the API's 64 KiB limit; the import's own limit is
    // about twice its 2 MiB file size.
    let filler = "x".repeat(100 * 1024);
    for (method, path, _) in json_operations() {
        let big = if path == "/api/hr/import" {
            let csv = "x".repeat(2 * MAX_IMPORT_BYTES + 128 * 1024);
            json!({"csv": csv, "dry_run": true})
        } else {
            json!({"email": filler, "people": [], "name": filler, "reason": filler})
        };
        let body = serde_json::to_vec(&big).unwrap();
        let op = (&method, path.as_str());
        send_raw(
            &app,
            op,
            "application/json",
            body,
            StatusCode::PAYLOAD_TOO_LARGE,
        )
        .await;
    }
    // A CSV inside the body limit but over the file limit (quotes escape
    // to two characters each).
    let csv = "\"".repeat(MAX_IMPORT_BYTES + 1);
    let response = app
        .post_json("/api/hr/import", &json!({"csv": csv, "dry_run": true}))
        .await;
    api_error(response, StatusCode::PAYLOAD_TOO_LARGE).await;
}

#[tokio::test]
async fn huge_photo_batches_are_refused_without_work() {
    let app = spawn_app().await;
    app.sign_in_as_employee().await;
    // 10,000 small ids fit the body limit: refused by count.
    let ids: Vec<i64> = (1..=10_000).collect();
    let response = app
        .post_json("/api/photos/urls", &json!({"people": ids, "size": "thumb"}))
        .await;
    let error = api_error(response, StatusCode::BAD_REQUEST).await;
    assert_eq!(error.code, ErrorCode::BadRequest);
    assert!(error.message.contains("at most"), "{}", error.message);
    // A 2 MB array does not: refused by size before it is parsed.
    let ids: Vec<i64> = vec![i64::MAX; 2_000_000 / 20];
    let response = app
        .post_json("/api/photos/urls", &json!({"people": ids, "size": "thumb"}))
        .await;
    api_error(response, StatusCode::PAYLOAD_TOO_LARGE).await;
}

/// Sends a request line exactly as written (no client-side normalisation
/// of `..`, which every URL library does) and returns the status code.
async fn raw_status(app: &TestApp, method: &str, target: &str, cookie: &str) -> u16 {
    let host = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\
         Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let status = answer.split(' ').nth(1).unwrap_or_default();
    status.parse().unwrap_or_else(|_| panic!("{answer}"))
}

/// The `lanyard_session=…` pair of a fresh sign-in.
async fn session_cookie(app: &TestApp, email: &str) -> String {
    let response = crate::helpers::plain_client()
        .post(app.url("/api/session"))
        .json(&json!({"email": email, "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn path_traversal_in_ids_is_400_or_404_and_touches_no_object() {
    let app = spawn_app().await;
    let cookie = session_cookie(&app, HR).await;
    let someone: i64 = app
        .db
        .scalar(
            query(
                "SELECT id FROM employees WHERE photo_version_id IS NOT NULL AND email != $1 \
                 ORDER BY id LIMIT 1",
            )
            .bind(HR),
        )
        .await
        .unwrap();
    let objects_before = object_keys(&app).await;
    let cases = [
        ("GET", "/api/people/..%2F..%2Fetc"),
        ("GET", "/api/people/..%2F..%2Fetc%2Fpasswd"),
        ("GET", "/api/people/%2e%2e"),
        ("GET", "/api/hr/people/..%2F1"),
        (
            "POST",
            "/api/me/photo/uploads/..%2F..%2Fphotos%2F1/complete",
        ),
        ("POST", "/api/me/photo/uploads/..%2F..%2Fphotos%2F1/url"),
        ("DELETE", "/api/me/photo/uploads/..%2F..%2Fphotos"),
        (
            "POST",
            "/api/me/photo/uploads/%2e%2e%2f%2e%2e%2fphotos%2f1/complete",
        ),
        ("POST", "/api/hr/reviews/../approve"),
        ("POST", "/api/hr/reviews/..%2F..%2Fphotos/approve"),
        ("POST", "/api/hr/reviews/%00/approve"),
        ("POST", "/api/hr/reviews/..%5C..%5Cphotos/reject"),
        ("DELETE", "/api/hr/people/..%2F1/photo"),
        ("DELETE", "/api/hr/people/1%2F..%2F2/photo"),
    ];
    for (method, target) in cases {
        let status = raw_status(&app, method, target, &cookie).await;
        assert!(
            status == 400 || status == 404 || status == 405,
            "{method} {target}: {status}"
        );
    }
    assert_eq!(object_keys(&app).await, objects_before, "no object changed");
    // The person's photo is still served.
    let hr = crate::helpers::signed_in_client(&app, HR).await;
    let response = hr
        .get(app.url(&format!("/api/people/{someone}")))
        .send()
        .await;
    let profile: Profile = json_of(response.unwrap(), StatusCode::OK).await;
    assert!(profile.person.photo.is_some());
}

/// Every file of the embedded store (its `s3` folder), sorted.
async fn object_keys(app: &TestApp) -> Vec<String> {
    let mut keys = Vec::new();
    let mut stack = vec![app._data.path().join("s3")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                keys.push(entry.path().to_string_lossy().into_owned());
            }
        }
    }
    assert!(!keys.is_empty(), "the store holds the seeded photos");
    keys.sort();
    keys
}

#[tokio::test]
async fn numeric_overflow_is_400_and_unknown_ids_404() {
    let app = hr_app().await;
    let cases = [
        ("/api/people?page=99999999999999999999", 400),
        ("/api/people?page=-1", 400),
        ("/api/people?per_page=-1", 400),
        ("/api/people?per_page=4294967296", 400),
        ("/api/people?page=1e3", 400),
        ("/api/people?page=4294967295", 200),
        ("/api/people/99999999999999999999", 400),
        ("/api/people/-1", 404),
        ("/api/people/-9223372036854775808", 404),
        ("/api/people/9223372036854775807", 404),
        ("/api/people/0", 404),
        ("/api/hr/people?page=99999999999999999999", 400),
        ("/api/hr/people?page=-1", 400),
        ("/api/hr/people?page=4294967295", 200),
        ("/api/hr/people/-1", 404),
        ("/api/hr/people/99999999999999999999", 400),
        ("/api/hr/audit?before=99999999999999999999", 400),
        ("/api/hr/audit?before=-9223372036854775808", 200),
        ("/api/hr/audit?limit=-1", 400),
        ("/api/hr/audit?limit=4294967296", 400),
        ("/api/hr/audit?limit=0", 400),
        ("/api/hr/audit?person=-1", 200),
        ("/api/hr/audit?from=99999999999999999999", 400),
        (
            "/api/hr/audit?from=9223372036854775807&to=-9223372036854775808",
            200,
        ),
        ("/api/hr/audit.csv?person=99999999999999999999", 400),
        ("/api/hr/audit?action=from_the_future", 400),
        ("/api/hr/audit.csv?action=unknown", 400),
    ];
    for (path, status) in cases {
        let response = app.get(path).await;
        let actual = response.status().as_u16();
        assert_eq!(
            actual,
            status,
            "GET {path}: {}",
            response.text().await.unwrap()
        );
    }
    for (method, path, status) in [
        (Method::POST, "/api/hr/people/-1/deactivate", 404),
        (
            Method::POST,
            "/api/hr/people/99999999999999999999/reactivate",
            400,
        ),
        (Method::DELETE, "/api/hr/people/-1/photo", 404),
        (
            Method::DELETE,
            "/api/hr/people/99999999999999999999/photo",
            400,
        ),
    ] {
        let response = app
            .api
            .request(method.clone(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{method} {path}");
    }
    // Ids in a batch: unknown ones are left out, unparseable ones refused.
    for (body, status) in [
        (
            r#"{"people":[-1,0,9223372036854775807],"size":"thumb"}"#,
            200,
        ),
        (r#"{"people":[99999999999999999999],"size":"thumb"}"#, 400),
        (r#"{"people":[1.5],"size":"thumb"}"#, 400),
        (r#"{"people":[-9223372036854775809],"size":"thumb"}"#, 400),
    ] {
        let response = app
            .api
            .post(app.url("/api/photos/urls"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{body}");
    }
}

#[tokio::test]
async fn a_signed_out_sessions_cookie_is_401() {
    let app = spawn_app().await;
    let cookie = session_cookie(&app, EMPLOYEE).await;
    let client = crate::helpers::plain_client();
    let me = |cookie: String| {
        client
            .get(app.url("/api/me"))
            .header("cookie", cookie)
            .send()
    };
    assert_eq!(me(cookie.clone()).await.unwrap().status(), StatusCode::OK);
    let out = client
        .delete(app.url("/api/session"))
        .header("cookie", cookie.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::OK);
    let error = api_error(me(cookie.clone()).await.unwrap(), StatusCode::UNAUTHORIZED).await;
    assert_eq!(error.code, ErrorCode::Unauthenticated);
    // Nor does the dead cookie reach anything else.
    let response = client
        .get(app.url("/api/people"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    api_error(response, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn forged_session_cookies_are_401() {
    let app = spawn_app().await;
    let real = session_cookie(&app, EMPLOYEE).await;
    let id = real.trim_start_matches("lanyard_session=");
    let long = "A".repeat(4000);
    let forged = [
        "lanyard_session=".to_owned(),
        "lanyard_session=garbage".to_owned(),
        format!("lanyard_session={long}"),
        "lanyard_session=AAAAAAAAAAAAAAAAAAAAAA".to_owned(),
        "lanyard_session=%00%00".to_owned(),
        "lanyard_session=\"quoted\"".to_owned(),
        "lanyard_session=Ã©tÃ©".to_owned(),
        "lanyard_session=1; lanyard_session=2".to_owned(),
        // One character changed: an id is not guessable from a neighbour.
        format!(
            "lanyard_session={}{}",
            &id[..id.len() - 1],
            flip(id.chars().last().unwrap())
        ),
        format!("__Host-lanyard_session={id}"),
    ];
    let client = crate::helpers::plain_client();
    for cookie in forged {
        let response = client
            .get(app.url("/api/me"))
            .header("cookie", cookie.as_bytes())
            .send()
            .await
            .unwrap();
        let status = response.status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{cookie}");
        api_error(response, status).await;
    }
}

fn flip(c: char) -> char {
    if c == 'A' {
        'B'
    } else {
        'A'
    }
}
