//! SCIM provisioning, replaying the request sequences Okta and Microsoft
//! Entra ID document (Okta's "SCIM 2.0 protocol reference"; Microsoft's
//! "Tutorial: Develop and plan provisioning for a SCIM endpoint"), then the
//! rules they share with HR's admin and the refusals.

use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD, EMPLOYEE};
use crate::hr_people::{count, id_of};
use lanyard_server::db::{query, Exec as _};
use lanyard_server::scim::tokens;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

struct Scim {
    app: TestApp,
    token: String,
    http: reqwest::Client,
}

impl Scim {
    async fn new() -> Self {
        let app = spawn_app().await;
        let token = tokens::create(&app.db, "okta", 0).await.unwrap();
        Self {
            app,
            token,
            http: reqwest::Client::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        self.app.url(&format!("/scim/v2{path}"))
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Response {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/scim+json")
                .body(body.to_string());
        }
        request.send().await.unwrap()
    }

    async fn get(&self, path: &str) -> Response {
        self.send(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Response {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    async fn put(&self, path: &str, body: Value) -> Response {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    async fn patch(&self, path: &str, body: Value) -> Response {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }
}

/// The body of a SCIM answer with `status`, checking its media type.
async fn body(response: Response, status: StatusCode) -> Value {
    let got = response.status();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    assert_eq!(kind.as_deref(), Some("application/scim+json"), "{text}");
    serde_json::from_str(&text).unwrap()
}

/// A SCIM error with `status` and `scim_type`.
async fn scim_error(response: Response, status: StatusCode, scim_type: Option<&str>) -> Value {
    let error = body(response, status).await;
    assert_eq!(
        error["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
    );
    assert_eq!(error["status"], json!(status.as_u16().to_string()));
    assert_eq!(error["scimType"].as_str(), scim_type, "{error}");
    assert!(!error["detail"].as_str().unwrap().is_empty());
    error
}

fn patch_op(operations: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations})
}

fn filter(expr: &str) -> String {
    format!("/Users?filter={}&startIndex=1&count=100", urlencode(expr))
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn label_of_last(app: &TestApp, action: &str) -> Option<String> {
    app.db
        .scalar(
            query("SELECT actor_label FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1")
                .bind(action),
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn okta_test_connection_create_update_deactivate_reactivate() {
    let scim = Scim::new().await;
    // "Test connector configuration": a filter for a user who is not there.
    let empty = body(
        scim.get(&filter(r#"userName eq "grace.hopper@lanyard.example""#))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(empty["totalResults"], 0);
    assert_eq!(empty["Resources"], json!([]));
    // Create.
    let created = body(
        scim.post(
            "/Users",
            json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "grace.hopper@lanyard.example",
                "name": {"givenName": "Grace", "familyName": "Hopper"},
                "emails": [{"primary": true, "value": "grace.hopper@lanyard.example", "type": "work"}],
                "displayName": "Grace Hopper",
                "locale": "en-US",
                "externalId": "00ujl29u0le5T6Aj10h7",
                "groups": [],
                "password": "1mz050nq",
                "active": true
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["userName"], "grace.hopper@lanyard.example");
    assert_eq!(
        created["meta"]["location"],
        json!(scim.url(&format!("/Users/{id}")))
    );
    let person: i64 = id.parse().unwrap();
    assert_eq!(
        id_of(&scim.app, "grace.hopper@lanyard.example").await,
        person
    );
    // No password: a provisioned person signs in through the provider.
    assert_eq!(
        count(
            &scim.app,
            &format!(
                "SELECT COUNT(*) FROM employees WHERE id = {person} AND password_hash IS NULL"
            )
        )
        .await,
        1
    );
    assert_eq!(
        label_of_last(&scim.app, "person_added").await.as_deref(),
        Some("SCIM (okta)")
    );
    // Okta finds it again by userName, case-insensitively.
    let found = body(
        scim.get(&filter(r#"userName eq "Grace.Hopper@lanyard.example""#))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["totalResults"], 1);
    assert_eq!(found["Resources"][0]["id"], json!(id));
    // Okta's wizard-built apps update with PUT, the whole user.
    let mut replaced = created.clone();
    replaced["name"]["familyName"] = json!("Hopper-Murray");
    replaced["displayName"] = json!("Grace Hopper-Murray");
    replaced["title"] = json!("Rear Admiral");
    let replaced = body(
        scim.put(&format!("/Users/{id}"), replaced).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(replaced["title"], "Rear Admiral");
    let profile = scim
        .app
        .db
        .scalar::<String>(query("SELECT name FROM employees WHERE id = $1").bind(person))
        .await
        .unwrap();
    assert_eq!(profile, "Grace Hopper-Murray");
    // Deactivate (Okta: PATCH active false), then reactivate.
    let off = body(
        scim.patch(
            &format!("/Users/{id}"),
            patch_op(json!([{"op": "replace", "value": {"active": false}}])),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(off["active"], false);
    assert_eq!(
        label_of_last(&scim.app, "person_deactivated")
            .await
            .as_deref(),
        Some("SCIM (okta)")
    );
    let on = body(
        scim.patch(
            &format!("/Users/{id}"),
            patch_op(json!([{"op": "replace", "value": {"active": true}}])),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(on["active"], true);
    // Listing the active users pages.
    let page = body(
        scim.get("/Users?filter=active%20eq%20true&startIndex=1&count=1")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["itemsPerPage"], 1);
    assert_eq!(page["totalResults"], 1);
}

#[tokio::test]
async fn entra_create_patch_in_both_forms_disable_and_delete() {
    let scim = Scim::new().await;
    let manager = id_of(&scim.app, EMPLOYEE).await;
    // Entra ID adopts a person already in the directory (HR added them
    // before the provider was connected) rather than failing on the email.
    let adopted = body(
        scim.post(
            "/Users",
            json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
                "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
                "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
                "active": "True",
                "displayName": "Test User",
                "emails": [{"primary": true, "type": "work", "value": "new.starter@lanyard.example"}],
                "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
                "roles": [],
                ENTERPRISE: {"department": "Finance", "manager": {"value": manager.to_string()}}
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = adopted["id"].as_str().unwrap().to_owned();
    assert_eq!(adopted[ENTERPRISE]["department"], "Finance");
    assert_eq!(
        adopted[ENTERPRISE]["manager"]["value"],
        json!(manager.to_string())
    );
    assert_eq!(adopted["emails"][0]["value"], "new.starter@lanyard.example");
    // Entra ID checks by externalId too.
    let found = body(
        scim.get(&filter(
            r#"externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef""#,
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["Resources"][0]["id"], json!(id));
    // Entra ID's PATCH: capitalised ops, paths with value filters, the
    // manager as a bare id, string booleans, and the path-less form.
    let patched = body(
        scim.patch(
            &format!("/Users/{id}"),
            patch_op(json!([
                {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "renamed@lanyard.example"},
                {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
                {"op": "Add", "path": "title", "value": "Controller"},
                {"op": "Add", "path": "phoneNumbers[type eq \"work\"].value", "value": "+44 20 7946 0000"},
                {"op": "Add", "path": "addresses[type eq \"work\"].locality", "value": "Leeds"},
                {"op": "Replace", "path": format!("{ENTERPRISE}:manager"), "value": manager.to_string()},
            ])),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(patched["emails"][0]["value"], "renamed@lanyard.example");
    assert_eq!(patched["name"]["familyName"], "updatedFamilyName");
    assert_eq!(patched["addresses"][0]["locality"], "Leeds");
    let patched = body(
        scim.patch(
            &format!("/Users/{id}"),
            patch_op(json!([{"op": "replace", "value": {"displayName": "Tess User", "name.givenName": "Tess"}}])),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(patched["displayName"], "Tess User");
    assert_eq!(patched["name"]["givenName"], "Tess");
    // Disable.
    let disabled = body(
        scim.patch(
            &format!("/Users/{id}"),
            patch_op(json!([{"op": "Replace", "path": "active", "value": "False"}])),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(disabled["active"], false);
    // Delete: gone for SCIM, kept (deactivated) for HR.
    let gone = scim
        .send(reqwest::Method::DELETE, &format!("/Users/{id}"), None)
        .await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    scim_error(
        scim.get(&format!("/Users/{id}")).await,
        StatusCode::NOT_FOUND,
        None,
    )
    .await;
    assert_eq!(
        count(
            &scim.app,
            &format!(
                "SELECT COUNT(*) FROM employees WHERE id = {id} AND {}",
                inactive(&scim.app)
            )
        )
        .await,
        1
    );
    // Provisioned again later: adopted again, and active.
    let again = body(
        scim.post(
            "/Users",
            json!({"userName": "renamed@lanyard.example", "active": true, "displayName": "Tess User"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(again["id"], json!(id));
    assert_eq!(again["active"], true);
}

fn inactive(app: &TestApp) -> &'static str {
    match app.db.dialect() {
        lanyard_server::db::Dialect::Sqlite => "active = 0",
        lanyard_server::db::Dialect::Postgres => "NOT active",
    }
}

#[tokio::test]
async fn a_person_deactivated_over_scim_is_signed_out_at_their_next_request() {
    let scim = Scim::new().await;
    let employee = crate::helpers::signed_in_client(&scim.app, EMPLOYEE).await;
    let me = scim.app.url("/api/me");
    assert_eq!(
        employee.get(&me).send().await.unwrap().status(),
        StatusCode::OK
    );
    // The provider takes over the demo employee, then disables them.
    let user = body(
        scim.post(
            "/Users",
            json!({"userName": EMPLOYEE, "displayName": "Employee Example", "active": true}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = user["id"].as_str().unwrap();
    body(
        scim.patch(
            &format!("/Users/{id}"),
            patch_op(json!([{"op": "replace", "path": "active", "value": false}])),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        employee.get(&me).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        scim.app.sign_in(EMPLOYEE, DEMO_PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_admin_rules_hold_and_nothing_is_half_applied() {
    let scim = Scim::new().await;
    let a = body(
        scim.post(
            "/Users",
            json!({"userName": "a@lanyard.example", "externalId": "A"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let b = body(
        scim.post("/Users", json!({"userName": "b@lanyard.example"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let (a_id, b_id) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    // Unique userName, email and externalId: 409 uniqueness.
    for duplicate in [
        json!({"userName": "A@lanyard.example"}),
        json!({"userName": "c@lanyard.example", "externalId": "A"}),
        json!({"userName": "c@lanyard.example", "emails": [{"value": "b@lanyard.example"}]}),
    ] {
        scim_error(
            scim.post("/Users", duplicate).await,
            StatusCode::CONFLICT,
            Some("uniqueness"),
        )
        .await;
    }
    // The manager must exist and close no loop.
    let b_under_a = patch_op(
        json!([{"op": "add", "path": format!("{ENTERPRISE}:manager"), "value": {"value": a_id}}]),
    );
    body(
        scim.patch(&format!("/Users/{b_id}"), b_under_a).await,
        StatusCode::OK,
    )
    .await;
    let a_under_b = patch_op(
        json!([{"op": "add", "path": format!("{ENTERPRISE}:manager"), "value": {"value": b_id}}]),
    );
    let loop_error = scim_error(
        scim.patch(&format!("/Users/{a_id}"), a_under_b).await,
        StatusCode::BAD_REQUEST,
        Some("invalidValue"),
    )
    .await;
    assert!(
        loop_error["detail"].as_str().unwrap().contains("loop"),
        "{loop_error}"
    );
    let nobody = patch_op(
        json!([{"op": "add", "path": format!("{ENTERPRISE}:manager"), "value": "999999"}]),
    );
    scim_error(
        scim.patch(&format!("/Users/{a_id}"), nobody).await,
        StatusCode::BAD_REQUEST,
        Some("invalidValue"),
    )
    .await;
    // A PATCH whose later operation fails changes nothing.
    let before = body(scim.get(&format!("/Users/{a_id}")).await, StatusCode::OK).await;
    let half = patch_op(json!([
        {"op": "replace", "path": "title", "value": "Changed"},
        {"op": "replace", "path": "id", "value": "7"},
    ]));
    scim_error(
        scim.patch(&format!("/Users/{a_id}"), half).await,
        StatusCode::BAD_REQUEST,
        Some("mutability"),
    )
    .await;
    let half = patch_op(json!([
        {"op": "replace", "path": "title", "value": "Changed"},
        {"op": "replace", "path": "emails", "value": [{"value": "b@lanyard.example"}]},
    ]));
    scim_error(
        scim.patch(&format!("/Users/{a_id}"), half).await,
        StatusCode::CONFLICT,
        Some("uniqueness"),
    )
    .await;
    let after = body(scim.get(&format!("/Users/{a_id}")).await, StatusCode::OK).await;
    assert_eq!(before, after);
}

#[tokio::test]
async fn bad_requests_get_scim_errors_never_a_500() {
    let scim = Scim::new().await;
    let user = body(
        scim.post("/Users", json!({"userName": "x@lanyard.example"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    for bad in [
        r#"userName eq"#,
        r#"title eq "x""#,
        r#"userName co "x""#,
        "(((",
    ] {
        scim_error(
            scim.get(&filter(bad)).await,
            StatusCode::BAD_REQUEST,
            Some("invalidFilter"),
        )
        .await;
    }
    scim_error(
        scim.post(
            "/Users",
            json!({"userName": "y@lanyard.example", "shoeSize": 44}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        Some("invalidPath"),
    )
    .await;
    scim_error(
        scim.post(
            "/Users",
            json!({"schemas": ["urn:example:Thing"], "userName": "y@lanyard.example"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        Some("invalidValue"),
    )
    .await;
    scim_error(
        scim.post("/Users", json!({"userName": "not an email"}))
            .await,
        StatusCode::BAD_REQUEST,
        Some("invalidValue"),
    )
    .await;
    scim_error(
        scim.post("/Users", json!({"displayName": "No user name"}))
            .await,
        StatusCode::BAD_REQUEST,
        Some("invalidValue"),
    )
    .await;
    let raw = scim
        .http
        .post(scim.url("/Users"))
        .bearer_auth(&scim.token)
        .body("{not json")
        .send()
        .await
        .unwrap();
    scim_error(raw, StatusCode::BAD_REQUEST, Some("invalidSyntax")).await;
    let huge = json!({"userName": "z@lanyard.example", "displayName": "n".repeat(70 * 1024)});
    scim_error(
        scim.post("/Users", huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        Some("invalidSyntax"),
    )
    .await;
    scim_error(
        scim.patch(
            &path,
            patch_op(json!([{"op": "replace", "path": "meta", "value": {}}])),
        )
        .await,
        StatusCode::BAD_REQUEST,
        Some("mutability"),
    )
    .await;
    scim_error(
        scim.patch(
            &path,
            patch_op(json!([{"op": "replace", "path": "favouriteColour", "value": "green"}])),
        )
        .await,
        StatusCode::BAD_REQUEST,
        Some("invalidPath"),
    )
    .await;
    scim_error(scim.get("/Users/abc").await, StatusCode::NOT_FOUND, None).await;
    scim_error(scim.get("/Users/99999").await, StatusCode::NOT_FOUND, None).await;
    scim_error(scim.get("/Groups").await, StatusCode::NOT_FOUND, None).await;
    scim_error(
        scim.send(reqwest::Method::DELETE, "/Users", None).await,
        StatusCode::METHOD_NOT_ALLOWED,
        None,
    )
    .await;
}

#[tokio::test]
async fn only_a_live_token_gets_in() {
    let scim = Scim::new().await;
    let anonymous = reqwest::get(scim.url("/Users")).await.unwrap();
    scim_error(anonymous, StatusCode::UNAUTHORIZED, None).await;
    let wrong = scim
        .http
        .get(scim.url("/Users"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    scim_error(wrong, StatusCode::UNAUTHORIZED, None).await;
    // A session cookie is not a SCIM credential.
    let hr = crate::helpers::signed_in_client(&scim.app, crate::helpers::HR).await;
    scim_error(
        hr.get(scim.url("/Users")).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        None,
    )
    .await;
    assert_eq!(
        scim.get("/ServiceProviderConfig").await.status(),
        StatusCode::OK
    );
    assert!(tokens::revoke(&scim.app.db, "okta").await.unwrap());
    scim_error(
        scim.get("/ServiceProviderConfig").await,
        StatusCode::UNAUTHORIZED,
        None,
    )
    .await;
    // Tokens are stored only as hashes.
    let stored: i64 = scim
        .app
        .db
        .scalar(
            query("SELECT COUNT(*) FROM scim_tokens WHERE token_hash = $1")
                .bind(scim.token.clone()),
        )
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn a_token_past_its_rate_gets_429_too_many() {
    let app = crate::helpers::spawn_app_with(|config| config.limits.scim_per_minute = 3).await;
    let token = tokens::create(&app.db, "okta", 0).await.unwrap();
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let response = http
            .get(app.url("/scim/v2/ServiceProviderConfig"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        statuses.push(response.status());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(response.headers().contains_key("retry-after"));
            scim_error(response, StatusCode::TOO_MANY_REQUESTS, Some("tooMany")).await;
        }
    }
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

#[tokio::test]
async fn discovery_names_what_users_have() {
    let scim = Scim::new().await;
    let spc = body(scim.get("/ServiceProviderConfig").await, StatusCode::OK).await;
    assert_eq!(spc["patch"]["supported"], true);
    assert_eq!(spc["bulk"]["supported"], false);
    let types = body(scim.get("/ResourceTypes").await, StatusCode::OK).await;
    assert_eq!(types["Resources"][0]["endpoint"], "/Users");
    let schemas = body(scim.get("/Schemas").await, StatusCode::OK).await;
    let names: Vec<&str> = schemas["Resources"][0]["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "userName",
            "name",
            "displayName",
            "title",
            "active",
            "emails",
            "phoneNumbers",
            "addresses"
        ]
    );
    body(
        scim.get(&format!("/Schemas/{ENTERPRISE}")).await,
        StatusCode::OK,
    )
    .await;
}
