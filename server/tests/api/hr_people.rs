//! HR's people admin: add, edit, deactivate, reactivate, and what each
//! does to the directory, photos, sessions and the audit log.

use crate::helpers::{
    api_error, json_of, signed_in_client, spawn_app, TestApp, DEMO_PASSWORD, EMPLOYEE, HR,
};
use lanyard_server::db::{query, Exec as _};
use lanyard_wire::{
    AdminPeoplePage, EmployeeId, ErrorCode, PersonFields, PersonRecord, PhotoSize,
    PhotoUrlsResponse, Role,
};
use reqwest::{Response, StatusCode};

/// The app with the demo HR account signed in on `app.api`.
pub async fn hr_app() -> TestApp {
    let app = spawn_app().await;
    let response = app.sign_in(HR, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    app
}

pub async fn id_of(app: &TestApp, email: &str) -> i64 {
    app.db
        .scalar(query("SELECT id FROM employees WHERE email = $1").bind(email))
        .await
        .unwrap()
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    app.db.scalar(query(sql)).await.unwrap()
}

/// The newest audit entry with `action`: (actor, detail, subjects).
pub async fn last_entry(app: &TestApp, action: &str) -> (Option<i64>, String, Vec<i64>) {
    let (id, actor, detail): (i64, Option<i64>, String) = app
        .db
        .fetch_one(
            query(
                "SELECT id, actor_id, detail FROM audit_log WHERE action = $1 \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(action),
        )
        .await
        .unwrap_or_else(|e| panic!("no {action} entry: {e}"));
    let subjects = app
        .db
        .scalars(
            query(
                "SELECT employee_id FROM audit_subjects WHERE entry_id = $1 \
                 ORDER BY employee_id",
            )
            .bind(id),
        )
        .await
        .unwrap();
    (actor, detail, subjects)
}

fn fields(email: &str) -> PersonFields {
    PersonFields {
        name: "  Grace Hopper ".into(),
        email: email.into(),
        title: "Rear Admiral".into(),
        department: "Engineering".into(),
        location: "Arlington".into(),
        phone: "+1 555 0100".into(),
        manager: Some(EmployeeId(1)),
        role: Role::Employee,
    }
}

async fn put(app: &TestApp, id: i64, body: &PersonFields) -> Response {
    let url = app.url(&format!("/api/hr/people/{id}"));
    app.api.put(url).json(body).send().await.unwrap()
}

async fn create(app: &TestApp, body: &PersonFields) -> PersonRecord {
    json_of(
        app.post_json("/api/hr/people", body).await,
        StatusCode::CREATED,
    )
    .await
}

async fn record(app: &TestApp, id: i64) -> PersonRecord {
    json_of(
        app.get(&format!("/api/hr/people/{id}")).await,
        StatusCode::OK,
    )
    .await
}

// Who may call these routes at all (401 / 403) is in the authorization
// matrix, tests/api/authz_cases.rs.

#[tokio::test]
async fn hr_adds_a_person_who_is_in_the_directory_without_a_password() {
    let app = hr_app().await;
    let added = create(&app, &fields("grace@lanyard.example")).await;
    assert_eq!(added.fields.name, "Grace Hopper", "trimmed");
    assert!(added.active && !added.has_photo);
    assert_eq!(added.fields.manager, Some(EmployeeId(1)));
    assert!(added.manager_name.is_some());
    assert_eq!(record(&app, added.id.0).await.fields, added.fields);

    let employee = signed_in_client(&app, EMPLOYEE).await;
    let profile = employee
        .get(app.url(&format!("/api/people/{}", added.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(profile.status(), StatusCode::OK);
    let hash: Option<String> = app
        .db
        .scalar(query("SELECT password_hash FROM employees WHERE id = $1").bind(added.id.0))
        .await
        .unwrap();
    assert_eq!(hash, None, "no one can sign in as them yet");

    let (actor, detail, subjects) = last_entry(&app, "person_added").await;
    assert_eq!(actor, Some(id_of(&app, HR).await));
    assert_eq!(subjects, [added.id.0]);
    assert!(detail.contains("grace@lanyard.example"), "{detail}");
}

#[tokio::test]
async fn an_edit_changes_the_record_and_the_audit_names_the_fields() {
    let app = hr_app().await;
    let added = create(&app, &fields("grace@lanyard.example")).await;
    let mut edited = added.fields.clone();
    edited.title = "Commodore".into();
    edited.manager = Some(EmployeeId(id_of(&app, EMPLOYEE).await));

    let after: PersonRecord = json_of(put(&app, added.id.0, &edited).await, StatusCode::OK).await;

    assert_eq!(after.fields, edited);
    let (_, detail, subjects) = last_entry(&app, "person_updated").await;
    assert_eq!(detail, "Changed title, manager.");
    assert_eq!(subjects, [added.id.0]);
    // The same fields again change nothing and record nothing.
    let entries = count(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'person_updated'",
    )
    .await;
    json_of::<PersonRecord>(put(&app, added.id.0, &edited).await, StatusCode::OK).await;
    let again = count(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'person_updated'",
    )
    .await;
    assert_eq!(again, entries);
}

/// Someone other than the CEO with an approved photo and direct reports.
async fn manager_with_photo(app: &TestApp) -> (i64, i64) {
    app.db
        .fetch_one(query(
            "SELECT e.id, r.id FROM employees e \
             JOIN photo_versions pv ON pv.id = e.photo_version_id AND pv.state = 'approved' \
             JOIN employees r ON r.manager_id = e.id \
             WHERE e.id > 1 ORDER BY e.id, r.id LIMIT 1",
        ))
        .await
        .expect("the demo company has one")
}

async fn photo_of(app: &TestApp, client: &reqwest::Client, id: i64) -> bool {
    let request = lanyard_wire::PhotoUrlsRequest {
        people: vec![EmployeeId(id)],
        size: PhotoSize::Thumb,
    };
    let response = client
        .post(app.url("/api/photos/urls"))
        .json(&request)
        .send()
        .await
        .unwrap();
    let urls: PhotoUrlsResponse = json_of(response, StatusCode::OK).await;
    urls.urls
        .iter()
        .any(|u| u.person.0 == id && u.photo.is_some())
}

#[tokio::test]
async fn a_deactivated_person_leaves_the_directory_and_their_photo_is_signed_for_nobody() {
    let app = hr_app().await;
    let (manager, report) = manager_with_photo(&app).await;
    let employee = signed_in_client(&app, EMPLOYEE).await;
    assert!(photo_of(&app, &employee, manager).await);

    let after: PersonRecord = json_of(
        app.post_empty(&format!("/api/hr/people/{manager}/deactivate"))
            .await,
        StatusCode::OK,
    )
    .await;

    assert!(!after.active);
    for client in [&employee, &app.api] {
        let profile = client
            .get(app.url(&format!("/api/people/{manager}")))
            .send()
            .await
            .unwrap();
        api_error(profile, StatusCode::NOT_FOUND).await;
        assert!(!photo_of(&app, client, manager).await, "HR included");
    }
    let page = app.people("per_page=100").await;
    assert!(page.people.iter().all(|p| p.id.0 != manager));
    // Their reports keep working, shown without a manager.
    let theirs = app.profile(report).await;
    assert!(theirs.person.manager.is_none());
    // HR still finds them, among the inactive.
    let inactive: AdminPeoplePage = json_of(
        app.get("/api/hr/people?status=inactive").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        inactive.people.iter().map(|p| p.id.0).collect::<Vec<_>>(),
        [manager]
    );
    let (_, _, subjects) = last_entry(&app, "person_deactivated").await;
    assert_eq!(subjects, [manager]);

    let back: PersonRecord = json_of(
        app.post_empty(&format!("/api/hr/people/{manager}/reactivate"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(back.active && back.has_photo);
    assert!(photo_of(&app, &employee, manager).await);
    assert_eq!(
        app.profile(report).await.person.manager.map(|m| m.id.0),
        Some(manager)
    );
    last_entry(&app, "person_reactivated").await;
}

#[tokio::test]
async fn deactivating_someone_ends_their_session() {
    let app = hr_app().await;
    let employee = signed_in_client(&app, EMPLOYEE).await;
    let me = employee.get(app.url("/api/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let id = id_of(&app, EMPLOYEE).await;

    let response = app
        .post_empty(&format!("/api/hr/people/{id}/deactivate"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let me = employee.get(app.url("/api/me")).send().await.unwrap();
    api_error(me, StatusCode::UNAUTHORIZED).await;
    let again = app_sign_in(&app, EMPLOYEE).await;
    assert_eq!(
        again,
        StatusCode::UNAUTHORIZED,
        "nor can they sign in again"
    );
}

async fn app_sign_in(app: &TestApp, email: &str) -> StatusCode {
    let client = crate::helpers::cookie_client();
    client
        .post(app.url("/api/session"))
        .json(&serde_json::json!({ "email": email, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn an_email_someone_has_is_409() {
    let app = hr_app().await;
    let response = app
        .post_json("/api/hr/people", &fields("EMPLOYEE@lanyard.example"))
        .await;
    assert_eq!(
        api_error(response, StatusCode::CONFLICT).await.code,
        ErrorCode::Conflict
    );

    let added = create(&app, &fields("grace@lanyard.example")).await;
    let mut taken = added.fields.clone();
    taken.email = EMPLOYEE.into();
    api_error(put(&app, added.id.0, &taken).await, StatusCode::CONFLICT).await;
}

/// Spoils one field of a valid person.
type Breaker = fn(&mut PersonFields);

#[tokio::test]
async fn bad_fields_are_400_and_impossible_managers_422_naming_the_field() {
    let app = hr_app().await;
    let added = create(&app, &fields("grace@lanyard.example")).await;
    let employee = id_of(&app, EMPLOYEE).await;
    let hr = id_of(&app, HR).await;
    // What the API document states is 400; a manager who cannot be (the
    // document cannot know who exists) is 422.
    let cases: [(&str, Breaker, StatusCode); 8] = [
        ("name", |f| f.name = "   ".into(), StatusCode::BAD_REQUEST),
        (
            "email",
            |f| f.email = "grace hopper".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "title",
            |f| f.title = "Rear\nAdmiral".into(),
            StatusCode::BAD_REQUEST,
        ),
        // Checked as sent: a trailing line break is refused, not trimmed.
        (
            "title",
            |f| f.title = "Admiral\n".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "department",
            |f| f.department = "d".repeat(201),
            StatusCode::BAD_REQUEST,
        ),
        // 200 characters once trimmed, 202 as sent.
        (
            "location",
            |f| f.location = format!(" {} ", "l".repeat(200)),
            StatusCode::BAD_REQUEST,
        ),
        (
            "phone",
            |f| f.phone = "\u{0}".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "manager",
            |f| f.manager = Some(EmployeeId(999_999)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (field, break_it, status) in cases {
        let mut body = fields("new@lanyard.example");
        break_it(&mut body);
        let error = api_error(app.post_json("/api/hr/people", &body).await, status).await;
        assert!(
            error.message.starts_with(field),
            "{field}: {}",
            error.message
        );
    }
    // Edits: one's own manager, a loop, someone deactivated.
    let mut own = added.fields.clone();
    own.manager = Some(added.id);
    let error = api_error(
        put(&app, added.id.0, &own).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(error.message.starts_with("manager"), "{}", error.message);
    let mut under_grace = record(&app, employee).await.fields;
    under_grace.manager = Some(added.id);
    json_of::<PersonRecord>(put(&app, employee, &under_grace).await, StatusCode::OK).await;
    let mut loop_back = added.fields.clone();
    loop_back.manager = Some(EmployeeId(employee));
    let error = api_error(
        put(&app, added.id.0, &loop_back).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(error.message.contains("loop"), "{}", error.message);
    app.post_empty(&format!("/api/hr/people/{employee}/deactivate"))
        .await;
    let mut gone = fields("new@lanyard.example");
    gone.manager = Some(EmployeeId(employee));
    let error = api_error(
        app.post_json("/api/hr/people", &gone).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(error.message.contains("deactivated"), "{}", error.message);
    // HR cannot lock themself out.
    let mut me = record(&app, hr).await.fields;
    me.role = Role::Employee;
    let error = api_error(put(&app, hr, &me).await, StatusCode::CONFLICT).await;
    assert_eq!(error.message, "You cannot take away your own HR role.");
    let response = app
        .post_empty(&format!("/api/hr/people/{hr}/deactivate"))
        .await;
    api_error(response, StatusCode::CONFLICT).await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM employees WHERE email = 'new@lanyard.example'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn unknown_and_malformed_ids() {
    let app = hr_app().await;
    api_error(
        app.get("/api/hr/people/999999").await,
        StatusCode::NOT_FOUND,
    )
    .await;
    api_error(
        put(&app, 999_999, &fields("z@lanyard.example")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let response = app.post_empty("/api/hr/people/999999/deactivate").await;
    api_error(response, StatusCode::NOT_FOUND).await;
    let error = api_error(app.get("/api/hr/people/abc").await, StatusCode::BAD_REQUEST).await;
    assert!(error.message.contains("whole number"), "{}", error.message);
}

#[tokio::test]
async fn the_people_list_searches_filters_and_pages() {
    let app = hr_app().await;
    let all: AdminPeoplePage = json_of(app.get("/api/hr/people").await, StatusCode::OK).await;
    assert_eq!(
        (all.total, all.page, all.per_page),
        (crate::helpers::PEOPLE, 1, 50)
    );
    let found: AdminPeoplePage = json_of(
        app.get("/api/hr/people?q=EMPLOYEE%40lanyard").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found.total, 1);
    assert_eq!(found.people[0].email, EMPLOYEE);
    let second: AdminPeoplePage = json_of(
        app.get("/api/hr/people?page=2&status=all").await,
        StatusCode::OK,
    )
    .await;
    assert!(second.people.is_empty());
    for bad in ["page=0", "q=%00", "status=gone", "page=x"] {
        let response = app.get(&format!("/api/hr/people?{bad}")).await;
        api_error(response, StatusCode::BAD_REQUEST).await;
    }
}
