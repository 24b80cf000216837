//! The audit log (issue 6): one grant entry per request naming everyone
//! whose photo URL was in the answer; sign-ins, failed ones without the
//! password; HR's filters, cursor paging and the CSV export.

use crate::helpers::{
    api_error, json_of, signed_in_client, spawn_app, TestApp, DEMO_PASSWORD, EMPLOYEE, HR,
};
use lanyard_wire::{AuditAction, AuditEntry, AuditPage, DirectoryPage, ErrorCode, Timestamp};
use reqwest::{Client, StatusCode};

async fn page(app: &TestApp, hr: &Client, query: &str) -> AuditPage {
    app.audit.flush().await;
    let response = hr
        .get(app.url(&format!("/api/hr/audit?{query}")))
        .send()
        .await
        .unwrap();
    json_of(response, StatusCode::OK).await
}

/// The newest entry id so far (0 for none).
async fn newest(app: &TestApp, hr: &Client) -> i64 {
    page(app, hr, "limit=1")
        .await
        .entries
        .first()
        .map_or(0, |e| e.id)
}

async fn since(app: &TestApp, hr: &Client, query: &str, after: i64) -> Vec<AuditEntry> {
    let entries = page(app, hr, &format!("{query}&limit=200")).await.entries;
    entries.into_iter().filter(|e| e.id > after).collect()
}

#[tokio::test]
async fn a_directory_page_is_one_grant_naming_every_person_shown() {
    // Arrange
    let app = spawn_app().await;
    let me = app.sign_in_as_employee().await;
    let hr = signed_in_client(&app, HR).await;
    let before = newest(&app, &hr).await;

    // Act
    let shown = app.people("per_page=25").await;

    // Assert
    let entries = since(&app, &hr, &format!("actor={}", me.id.0), before).await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    let entry = &entries[0];
    assert_eq!(entry.action, AuditAction::UrlsGranted);
    assert_eq!(entry.actor.as_ref().map(|a| a.id), Some(me.id));
    assert_eq!(entry.ip.as_deref(), Some("127.0.0.1"));
    let mut granted: Vec<i64> = entry.subjects.iter().map(|s| s.id.0).collect();
    let mut with_photo: Vec<i64> = shown
        .people
        .iter()
        .filter(|p| p.photo.is_some())
        .map(|p| p.id.0)
        .collect();
    granted.sort_unstable();
    with_photo.sort_unstable();
    assert!(with_photo.len() > 5, "the page shows photos");
    assert_eq!(granted, with_photo);
    // The people shown find the grant under their own name.
    let someone = with_photo[0];
    let about = since(
        &app,
        &hr,
        &format!("person={someone}&action=urls_granted"),
        before,
    )
    .await;
    assert_eq!(about.len(), 1);
    assert_eq!(about[0].id, entry.id);
    // A page without photos grants nothing and records nothing.
    let before = newest(&app, &hr).await;
    let empty: DirectoryPage = app.people("q=nobody-is-called-this").await;
    assert!(empty.people.is_empty());
    assert!(since(&app, &hr, &format!("actor={}", me.id.0), before)
        .await
        .is_empty());
}

#[tokio::test]
async fn sign_ins_are_recorded_and_a_failed_one_never_keeps_the_password() {
    let app = spawn_app().await;
    let hr = signed_in_client(&app, HR).await;
    let employee = app.sign_in_as_employee().await.id;
    let before = newest(&app, &hr).await;

    let wrong = "hunter2-not-the-password";
    assert_eq!(
        app.sign_in(EMPLOYEE, wrong).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.sign_in("who@nowhere.example", wrong).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.sign_in(EMPLOYEE, DEMO_PASSWORD).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.sign_out().await.status(), StatusCode::OK);

    let failed = since(&app, &hr, "action=sign_in_failed", before).await;
    assert_eq!(failed.len(), 2);
    // Newest first: the unknown email has no actor, the known one does.
    assert_eq!(failed[0].actor, None);
    assert!(failed[0].detail.contains("who@nowhere.example"));
    assert_eq!(failed[1].actor.as_ref().map(|a| a.id), Some(employee));
    assert!(failed[1].detail.contains(EMPLOYEE));
    let everything = page(&app, &hr, "limit=200").await;
    let text = serde_json::to_string(&everything).unwrap();
    assert!(!text.contains(wrong), "a password reached the log");
    let mine = since(&app, &hr, &format!("actor={}", employee.0), before).await;
    let actions: Vec<AuditAction> = mine.iter().map(|e| e.action).collect();
    assert!(actions.contains(&AuditAction::SignIn), "{actions:?}");
    assert!(actions.contains(&AuditAction::SignOut), "{actions:?}");
}

#[tokio::test]
async fn hr_filters_and_pages_through_the_log_newest_first() {
    // Arrange: seven grants of the employee's own card.
    let app = spawn_app().await;
    let me = app.sign_in_as_employee().await.id;
    let hr = signed_in_client(&app, HR).await;
    let start = newest(&app, &hr).await;
    for _ in 0..7 {
        assert_eq!(app.get("/api/me").await.status(), StatusCode::OK);
    }
    app.audit.flush().await;

    // Act: pages of three.
    let query = format!("actor={}&action=urls_granted", me.0);
    let mut ids = Vec::new();
    let mut before: Option<i64> = None;
    loop {
        let cursor = before.map(|b| format!("&before={b}")).unwrap_or_default();
        let page = page(&app, &hr, &format!("{query}&limit=3{cursor}")).await;
        assert!(page.entries.len() <= 3);
        ids.extend(page.entries.iter().map(|e| e.id));
        match page.next {
            Some(next) => before = Some(next),
            None => break,
        }
    }

    // Assert: every entry once, newest first; the seven new ones on top.
    let mut sorted = ids.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(ids, sorted);
    assert_eq!(ids.iter().filter(|&&id| id > start).count(), 7);
    // Time range: from the first new entry, to a moment before it.
    let all = page(&app, &hr, &format!("{query}&limit=200")).await.entries;
    let oldest_new = all
        .iter()
        .filter(|e| e.id > start)
        .map(|e| e.at.0)
        .min()
        .unwrap();
    let from = page(&app, &hr, &format!("{query}&limit=200&from={oldest_new}")).await;
    assert!(from.entries.len() >= 7);
    assert!(from.entries.iter().all(|e| e.at >= Timestamp(oldest_new)));
    let to = page(&app, &hr, &format!("{query}&limit=200&to={oldest_new}")).await;
    assert!(to.entries.iter().all(|e| e.at < Timestamp(oldest_new)));
    // Another action, another actor: none of these.
    let other = page(&app, &hr, &format!("actor={}&action=photo_erased", me.0)).await;
    assert!(other.entries.is_empty());
    // Bad limits are refused; employees may not read the log.
    for bad in ["limit=0", "limit=201", "person=abc", "before=x"] {
        let response = hr
            .get(app.url(&format!("/api/hr/audit?{bad}")))
            .send()
            .await
            .unwrap();
        let error = api_error(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(error.code, ErrorCode::BadRequest, "{bad}");
    }
    let error = api_error(app.get("/api/hr/audit").await, StatusCode::FORBIDDEN).await;
    assert_eq!(error.code, ErrorCode::Forbidden);
}

#[tokio::test]
async fn the_csv_export_holds_every_matching_entry_and_no_formula() {
    let app = spawn_app().await;
    let hr = signed_in_client(&app, HR).await;
    let formula = "=HYPERLINK(\"http://evil.example\",\"click\")";
    assert_eq!(
        app.sign_in(formula, "x").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.sign_in("+1@x, \"quoted\"", "x").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // A name a spreadsheet would run, as the actor of a failed sign-in.
    app.execute(&format!(
        "UPDATE employees SET name = '=2+3' WHERE email = '{EMPLOYEE}'"
    ))
    .await;
    assert_eq!(
        app.sign_in(EMPLOYEE, "x").await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.audit.flush().await;

    let response = hr
        .get(app.url("/api/hr/audit.csv?action=sign_in_failed"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-type").starts_with("text/csv"));
    assert!(header("content-disposition").starts_with("attachment"));
    assert_eq!(header("cache-control"), "no-store");
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    assert_eq!(&headers[5], "action");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "{body}");
    assert!(rows.iter().all(|r| &r[5] == "sign_in_failed"));
    for row in &rows {
        for cell in row {
            let first = cell.chars().next();
            assert!(
                !matches!(first, Some('=' | '+' | '-' | '@')),
                "a live formula: {cell:?}"
            );
        }
    }
    // The detail (`Email typed: "…"`) keeps the text, quoted by the CSV writer.
    assert!(rows.iter().any(|r| r[7].contains("HYPERLINK")));
    assert!(
        rows[0][1].ends_with('Z'),
        "an ISO 8601 UTC time: {}",
        &rows[0][1]
    );
    assert!(rows.iter().any(|r| r[4].starts_with("'=2+3 (#")), "{body}");
}
