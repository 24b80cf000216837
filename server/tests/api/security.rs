//! Browser hardening: the headers on every answer, the page's script hashes,
//! and the CSRF check on state-changing requests.

use crate::helpers::{api_error, plain_client, spawn_app, spawn_app_with, TestApp};
use lanyard_wire::{ErrorCode, Me, PhotoSize};
use reqwest::header::{HeaderMap, HOST, ORIGIN};
use reqwest::{Method, StatusCode};
use sha2::{Digest as _, Sha256};

const SEC_FETCH_SITE: &str = "sec-fetch-site";

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .to_str()
        .unwrap()
}

/// The CSP's directives by name.
fn directives(csp: &str) -> Vec<(String, Vec<String>)> {
    csp.split(';')
        .map(|d| {
            let mut words = d.split_whitespace().map(str::to_owned);
            (words.next().unwrap_or_default(), words.collect())
        })
        .collect()
}

fn directive(csp: &str, name: &str) -> Vec<String> {
    directives(csp)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in {csp}"))
        .1
}

#[tokio::test]
async fn every_answer_carries_the_hardening_headers() {
    let app = spawn_app().await;
    let store = app.store_endpoint.clone();
    // API answers (200, 401, 404, 405), the page, a deep link, a file.
    for (method, path) in [
        (Method::GET, "/api/health"),
        (Method::GET, "/api/me"),
        (Method::GET, "/api/nope"),
        (Method::PUT, "/api/session"),
        (Method::GET, "/"),
        (Method::GET, "/index.html"),
        (Method::GET, "/people/5"),
        (Method::GET, "/app.js"),
    ] {
        let response = plain_client()
            .request(method.clone(), app.url(path))
            .send()
            .await
            .unwrap();
        let headers = response.headers();
        assert_eq!(header(headers, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header(headers, "referrer-policy"), "no-referrer", "{path}");
        assert_eq!(
            header(headers, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            header(headers, "cross-origin-opener-policy"),
            "same-origin",
            "{path}"
        );
        let csp = header(headers, "content-security-policy");
        assert_eq!(directive(csp, "default-src"), ["'none'"], "{path}");
        assert_eq!(
            directive(csp, "script-src"),
            ["'self'", "'wasm-unsafe-eval'"],
            "{path}"
        );
        assert_eq!(directive(csp, "style-src"), ["'self'"], "{path}");
        assert_eq!(
            directive(csp, "img-src"),
            ["'self'", "data:", "blob:", store.as_str()],
            "{path}"
        );
        assert_eq!(
            directive(csp, "connect-src"),
            ["'self'", store.as_str()],
            "{path}"
        );
        assert_eq!(directive(csp, "frame-ancestors"), ["'none'"], "{path}");
        assert_eq!(directive(csp, "base-uri"), ["'none'"], "{path}");
        assert_eq!(directive(csp, "form-action"), ["'self'"], "{path}");
        assert_eq!(directive(csp, "object-src"), ["'none'"], "{path}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
    }
}

#[tokio::test]
async fn the_page_allows_its_own_inline_script_by_hash_and_no_other() {
    // Arrange: a page shaped like Trunk's, with an inline module script.
    let dist = tempfile::tempdir().unwrap();
    let script = "\nimport init from '/app.js';\nawait init({ module_or_path: '/app_bg.wasm' });\n";
    let page = format!(
        "<!doctype html><html><head><script type=\"module\">{script}</script>\
         <script src=\"/other.js\"></script></head><body></body></html>"
    );
    std::fs::write(dist.path().join("index.html"), &page).unwrap();
    let spa_dir = dist.path().to_owned();
    let app = spawn_app_with(|config| config.spa_dir = spa_dir).await;
    let expected = format!("'sha256-{}'", base64_of(&Sha256::digest(script.as_bytes())));

    for path in ["/", "/index.html", "/people/5"] {
        // Act
        let response = app.get(path).await;
        // Assert
        let csp = header(response.headers(), "content-security-policy").to_owned();
        assert_eq!(
            directive(&csp, "script-src"),
            ["'self'", "'wasm-unsafe-eval'", expected.as_str()],
            "{path}"
        );
        assert_eq!(response.text().await.unwrap(), page, "{path}");
    }
    // Other answers allow no inline script.
    let csp = header(
        app.get("/api/health").await.headers(),
        "content-security-policy",
    )
    .to_owned();
    assert!(!csp.contains("sha256-"), "{csp}");
}

#[tokio::test]
async fn the_not_built_page_styles_itself_within_the_policy() {
    let app = spawn_app_with(|config| config.spa_dir = "/nonexistent/lanyard-dist".into()).await;
    let response = app.get("/").await;
    let csp = header(response.headers(), "content-security-policy").to_owned();
    let body = response.text().await.unwrap();
    let style = body
        .split("<style>")
        .nth(1)
        .and_then(|rest| rest.split("</style>").next())
        .expect("an inline style");
    let hash = format!("'sha256-{}'", base64_of(&Sha256::digest(style.as_bytes())));
    assert_eq!(directive(&csp, "style-src"), ["'self'", hash.as_str()]);
    assert!(!body.contains("style=\""), "no style attributes: {body}");
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The app's `host:port`, as browsers send it in `Host` and `Origin`.
fn host_of(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_owned()
}

async fn photo_urls_with(app: &TestApp, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app
        .api
        .post(app.url("/api/photos/urls"))
        .json(&serde_json::json!({
            "people": [1, 2],
            "size": PhotoSize::Thumb,
        }));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_cross_site_request_is_refused_even_with_a_valid_session() {
    // Arrange
    let app = spawn_app().await;
    app.sign_in_as_employee().await;

    for headers in [
        vec![(SEC_FETCH_SITE, "cross-site")],
        vec![(SEC_FETCH_SITE, "same-site")],
        // An older browser: no Fetch Metadata, but an Origin.
        vec![(ORIGIN.as_str(), "http://evil.example")],
        vec![(ORIGIN.as_str(), "null")],
    ] {
        // Act
        let response = photo_urls_with(&app, &headers).await;
        // Assert
        let error = api_error(response, StatusCode::FORBIDDEN).await;
        assert_eq!(error.code, ErrorCode::Forbidden, "{headers:?}");
        assert!(
            error.message.contains("another website"),
            "{}",
            error.message
        );
    }

    // Signing out from another site is refused too: the session lives on.
    let response = app
        .api
        .delete(app.url("/api/session"))
        .header(SEC_FETCH_SITE, "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn signing_in_from_another_site_is_refused() {
    // Login CSRF: another site must not sign a visitor into its account.
    let app = spawn_app().await;
    let response = plain_client()
        .post(app.url("/api/session"))
        .header(SEC_FETCH_SITE, "cross-site")
        .json(&serde_json::json!({ "email": "a@b.c", "password": "x" }))
        .send()
        .await
        .unwrap();
    let error = api_error(response, StatusCode::FORBIDDEN).await;
    assert_eq!(error.code, ErrorCode::Forbidden);
}

#[tokio::test]
async fn the_apps_own_page_and_plain_clients_are_allowed() {
    let app = spawn_app().await;
    app.sign_in_as_employee().await;
    let origin = format!("http://{}", host_of(&app));
    for headers in [
        vec![(SEC_FETCH_SITE, "same-origin")],
        vec![(SEC_FETCH_SITE, "none")],
        vec![
            (SEC_FETCH_SITE, "same-origin"),
            (ORIGIN.as_str(), origin.as_str()),
        ],
        vec![(ORIGIN.as_str(), origin.as_str())],
        // curl, scripts: neither header.
        vec![],
    ] {
        let response = photo_urls_with(&app, &headers).await;
        assert_eq!(response.status(), StatusCode::OK, "{headers:?}");
    }
}

#[tokio::test]
async fn the_origin_is_compared_with_the_host_the_request_was_sent_to() {
    // A proxy in front may give the app another name: Origin and Host agree.
    let app = spawn_app().await;
    app.sign_in_as_employee().await;
    let forwarded = photo_urls_with(
        &app,
        &[
            (HOST.as_str(), "lanyard.example"),
            (ORIGIN.as_str(), "https://lanyard.example"),
        ],
    )
    .await;
    assert_eq!(forwarded.status(), StatusCode::OK);
    let mismatch = photo_urls_with(&app, &[(ORIGIN.as_str(), "https://lanyard.example")]).await;
    assert_eq!(mismatch.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn reading_is_never_refused_whoever_asks() {
    // A cross-site GET changes nothing; SameSite=Lax decides the cookie.
    let app = spawn_app().await;
    app.sign_in_as_employee().await;
    let response = app
        .api
        .get(app.url("/api/me"))
        .header(SEC_FETCH_SITE, "cross-site")
        .send()
        .await
        .unwrap();
    let me: Me = crate::helpers::json_of(response, StatusCode::OK).await;
    assert!(me.id.0 > 0);
}
