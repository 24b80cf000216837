//! `GET /api/openapi.json`: served without a session, OpenAPI 3.1, and
//! describing exactly the routes the API serves (routes.rs), each with its
//! error answers; and the authorization matrix has a row for each route.

use crate::helpers::{plain_client, spawn_app};
use crate::routes::{normalize, served_routes, Route};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::collections::BTreeSet;

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// Operations that need no session.
const PUBLIC: [(&str, &str); 9] = [
    ("GET", "/api/health"),
    ("GET", "/api/ready"),
    ("GET", "/api/openapi.json"),
    ("POST", "/api/session"),
    ("GET", "/api/session/options"),
    ("GET", "/api/sso/start"),
    ("GET", "/api/sso/callback"),
    ("POST", "/api/sign-in-link"),
    ("POST", "/api/sign-in-link/password"),
];

async fn document() -> Value {
    let app = spawn_app().await;
    let response = plain_client()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "no session needed");
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    response.json().await.unwrap()
}

/// Every (method, path, operation) of the document.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                ops.push((method.to_uppercase(), path.clone(), op));
            }
        }
    }
    ops
}

fn documented(doc: &Value) -> BTreeSet<Route> {
    operations(doc)
        .into_iter()
        .map(|(method, path, _)| (method, normalize(&path)))
        .collect()
}

#[tokio::test]
async fn the_document_describes_exactly_the_routes_served() {
    let doc = document().await;
    assert_eq!(doc["openapi"], "3.1.0");
    let documented = documented(&doc);
    let served = served_routes();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let not_served: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "served but not documented: {undocumented:?}"
    );
    assert!(
        not_served.is_empty(),
        "documented but not served: {not_served:?}"
    );
}

#[tokio::test]
async fn every_documented_operation_is_answered_by_its_route() {
    // Anonymous requests: a served route answers 200, 401 or a body
    // complaint; the API's fallbacks answer 404 and 405.
    let doc = document().await;
    let app = spawn_app().await;
    for (method, path, _) in operations(&doc) {
        let url = app.url(&path.replace("{id}", "1").replace("{version}", "0"));
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let response = plain_client()
            .request(method.clone(), url)
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        // A route's own 404 says what is missing; the fallback's only
        // "Not found." (single sign-on, when not set up).
        let routed_404 = status == 404
            && response
                .text()
                .await
                .is_ok_and(|body| !body.contains("\"Not found.\""));
        assert!(
            [200, 400, 401].contains(&status) || routed_404,
            "{method} {path}: {status} (not routed?)"
        );
    }
}

#[tokio::test]
async fn every_operation_documents_its_failures_and_its_session() {
    let doc = document().await;
    let mut ids = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let what = format!("{method} {path}");
        let id = op["operationId"].as_str().unwrap();
        assert!(ids.insert(id.to_owned()), "{what}: operationId {id} twice");
        let responses = op["responses"].as_object().unwrap();
        let public = PUBLIC.contains(&(method.as_str(), path.as_str()));
        if !public {
            assert!(responses.contains_key("401"), "{what}: no 401");
            let security = op["security"].as_array();
            let schemes: Vec<_> = security.into_iter().flatten().collect();
            assert!(
                schemes.iter().any(|s| s.get("session").is_some()),
                "{what}: no session security"
            );
        }
        if path.starts_with("/api/hr/") {
            assert!(responses.contains_key("403"), "{what}: no 403");
        }
        for (status, response) in responses {
            // Pages for a browser's navigation (single sign-on) are HTML.
            let page = response["content"].get("text/html").is_some();
            if status.starts_with('4') && !page {
                let schema = &response["content"]["application/json"]["schema"];
                let props = &schema["properties"];
                let inline = props["code"].is_object() && props["message"].is_object();
                let named = schema["$ref"] == "#/components/schemas/ApiError";
                assert!(
                    inline || named,
                    "{what} {status}: not an ApiError: {schema}"
                );
            }
        }
        if op.get("requestBody").is_some() {
            for status in ["400", "413", "415"] {
                assert!(responses.contains_key(status), "{what}: no {status}");
            }
        }
    }
}

#[tokio::test]
async fn the_authorization_matrix_has_a_row_for_every_route() {
    let matrix: BTreeSet<Route> = crate::authz_cases::rows()
        .iter()
        .map(|row| (row.method.to_owned(), normalize(row.path)))
        .collect();
    let served = served_routes();
    let missing: Vec<_> = served.difference(&matrix).collect();
    let extra: Vec<_> = matrix.difference(&served).collect();
    assert!(
        missing.is_empty(),
        "routes without an authz row: {missing:?}"
    );
    assert!(extra.is_empty(), "authz rows for no route: {extra:?}");
}

/// The served document states the server's own rules: this server's upload
/// limit, HR's forms requiring a job while a stored person (made over SCIM)
/// may have none yet, and a page number past int32.
#[tokio::test]
async fn the_served_document_states_this_servers_limits() {
    let app = spawn_app().await;
    app.sign_in_as_employee().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let mine: lanyard_wire::MyPhoto = app.get("/api/me/photo").await.json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    let upload = &schemas["UploadRequest"]["properties"]["content_length"];
    assert_eq!(upload["minimum"], 1);
    assert_eq!(upload["maximum"].as_u64(), Some(mine.limits.max_bytes));
    let asked = &schemas["PersonFields"]["properties"]["title"];
    assert_eq!(asked["minLength"], 1, "{asked}");
    let stored = schemas["PersonRecord"]["allOf"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|part| part["properties"].get("title"))
        .expect("PersonRecord's fields, inline");
    assert!(stored.get("minLength").is_none(), "{stored}");
    assert_eq!(stored["maxLength"], lanyard_wire::MAX_TEXT_CHARS);
    let page = doc["paths"]["/api/people"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "page")
        .unwrap();
    assert_eq!(page["schema"]["maximum"].as_u64(), Some(u32::MAX.into()));
    assert_eq!(page["schema"]["format"], "int64");
}
