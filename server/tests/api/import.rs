//! CSV import: dry runs, all-or-nothing imports, what files it reads, and
//! its audit entry.

use crate::helpers::{api_error, json_of, TestApp, EMPLOYEE, HR};
use crate::hr_people::{count, hr_app, id_of, last_entry};
use lanyard_server::db::{query, Exec as _};
use lanyard_wire::{ErrorCode, ImportReport, ImportRequest, MAX_IMPORT_BYTES};
use reqwest::{Response, StatusCode};

const HEADER: &str = "name,email,title,department,location,phone,manager_email,role";
const PEOPLE_SQL: &str = "SELECT COUNT(*) FROM employees";
/// What an import writes to the audit log. Sign-ins and URL grants are
/// buffered and land whenever the writer flushes, so they are not counted.
const AUDIT_SQL: &str = "SELECT COUNT(*) FROM audit_log \
     WHERE action IN ('import_applied', 'person_added', 'person_updated')";

async fn import(app: &TestApp, csv: &str, dry_run: bool) -> Response {
    let request = ImportRequest {
        csv: csv.to_owned(),
        dry_run,
    };
    app.post_json("/api/hr/import", &request).await
}

async fn field(app: &TestApp, email: &str, column: &str) -> Option<String> {
    app.db
        .optional_scalar(
            query(format!("SELECT {column} FROM employees WHERE email = $1")).bind(email),
        )
        .await
        .unwrap()
}

/// Two new people, one change to the demo employee, one bad line.
fn mixed_file() -> String {
    format!(
        "{HR_HEADER}\n\
         Ada Lovelace,ada@import.example,Analyst,Engineering,London,,{HR},\n\
         Demo Employee,{EMPLOYEE},Renamed Title,Engineering,Berlin,,,\n\
         Bad Line,not-an-email,Analyst,Engineering,London,,,\n\
         Bob Babbage,bob@import.example,Engineer,Engineering,London,,ada@import.example,\n",
        HR_HEADER = HEADER
    )
}

#[tokio::test]
async fn a_dry_run_lists_adds_updates_and_errors_by_line_and_writes_nothing() {
    let app = hr_app().await;
    let people = count(&app, PEOPLE_SQL).await;
    let entries = count(&app, AUDIT_SQL).await;

    let report: ImportReport =
        json_of(import(&app, &mixed_file(), true).await, StatusCode::OK).await;

    assert!(report.dry_run && !report.applied);
    let adds: Vec<_> = report
        .adds
        .iter()
        .map(|a| (a.line, a.email.as_str()))
        .collect();
    assert_eq!(adds, [(2, "ada@import.example"), (5, "bob@import.example")]);
    assert_eq!(report.updates.len(), 1);
    assert_eq!(report.updates[0].line, 3);
    assert!(
        report.updates[0].changed.contains(&"title".to_owned()),
        "{:?}",
        report.updates
    );
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].line, 4);
    assert!(
        report.errors[0].message.starts_with("email"),
        "{:?}",
        report.errors
    );
    assert_eq!(count(&app, PEOPLE_SQL).await, people);
    assert_eq!(count(&app, AUDIT_SQL).await, entries);
    assert_ne!(
        field(&app, EMPLOYEE, "title").await.as_deref(),
        Some("Renamed Title")
    );
}

#[tokio::test]
async fn one_bad_line_is_422_and_nothing_is_imported() {
    let app = hr_app().await;
    let people = count(&app, PEOPLE_SQL).await;
    let title = field(&app, EMPLOYEE, "title").await;

    let error = api_error(
        import(&app, &mixed_file(), false).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;

    assert_eq!(error.code, ErrorCode::BadRequest);
    assert!(
        error.message.contains("Nothing was imported"),
        "{}",
        error.message
    );
    assert!(error.message.contains("Line 4: email"), "{}", error.message);
    assert_eq!(count(&app, PEOPLE_SQL).await, people);
    assert_eq!(field(&app, EMPLOYEE, "title").await, title);
    assert_eq!(field(&app, "ada@import.example", "name").await, None);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'import_applied'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn an_import_writes_everything_in_one_go_and_records_it() {
    let app = hr_app().await;
    let people = count(&app, PEOPLE_SQL).await;
    let file = mixed_file().replace("Bad Line,not-an-email", "Cy Good,cy@import.example");

    let report: ImportReport = json_of(import(&app, &file, false).await, StatusCode::OK).await;

    assert!(report.applied && !report.dry_run);
    assert!(report.errors.is_empty());
    assert_eq!(count(&app, PEOPLE_SQL).await, people + 3);
    assert_eq!(
        field(&app, EMPLOYEE, "title").await.as_deref(),
        Some("Renamed Title")
    );
    let without_password = "SELECT COUNT(*) FROM employees WHERE password_hash IS NULL \
         AND email IN ('ada@import.example', 'bob@import.example', 'cy@import.example')";
    assert_eq!(
        count(&app, without_password).await,
        3,
        "no one can sign in as them"
    );
    let ada = id_of(&app, "ada@import.example").await;
    let bob = id_of(&app, "bob@import.example").await;
    let bobs_manager: Option<i64> = app
        .db
        .scalar(query("SELECT manager_id FROM employees WHERE id = $1").bind(bob))
        .await
        .unwrap();
    assert_eq!(bobs_manager, Some(ada));

    let (actor, detail, subjects) = last_entry(&app, "import_applied").await;
    assert_eq!(actor, Some(id_of(&app, HR).await));
    assert_eq!(
        detail,
        "Imported a CSV file: 3 added, 1 updated, 0 unchanged."
    );
    let mut expected = vec![
        ada,
        bob,
        id_of(&app, "cy@import.example").await,
        id_of(&app, EMPLOYEE).await,
    ];
    expected.sort_unstable();
    assert_eq!(subjects, expected);

    // The same file again changes nothing.
    let again: ImportReport = json_of(import(&app, &file, false).await, StatusCode::OK).await;
    assert!(again.adds.is_empty() && again.updates.is_empty());
    assert_eq!(again.unchanged, 4);
}

#[tokio::test]
async fn bom_reordered_columns_quotes_and_crlf_are_read() {
    let app = hr_app().await;
    let csv = "\u{feff}Email,Role,Name,Phone,Location,Department,Title,Manager_Email\r\n\
               dee@import.example,hr,\"Lovelace, Dee\",,London,\"Research, Applied\",\"Head of\r\nThings\",\r\n\
               eve@import.example,,\"Eve \"\"Q\"\" Adams\",+44 1,Paris,Engineering,Engineer,dee@import.example\r\n";

    // A newline inside quotes is read as part of the cell (Eve's line is
    // still a line of its own, line 4), and then refused like any control
    // character in a title: lists and exports show titles on one line.
    let report: ImportReport = json_of(import(&app, csv, true).await, StatusCode::OK).await;
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 2);
    assert!(
        report.errors[0].message.starts_with("title"),
        "{:?}",
        report.errors
    );
    let lines: Vec<_> = report.adds.iter().map(|a| a.line).collect();
    assert_eq!(lines, [4]);
    assert_eq!(report.adds[0].name, "Eve \"Q\" Adams");

    let csv = csv.replace("Head of\r\nThings", "Head of Things");
    let report: ImportReport = json_of(import(&app, &csv, false).await, StatusCode::OK).await;

    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(
        report.adds.iter().map(|a| a.line).collect::<Vec<_>>(),
        [2, 3]
    );
    assert_eq!(
        field(&app, "dee@import.example", "name").await.as_deref(),
        Some("Lovelace, Dee")
    );
    assert_eq!(
        field(&app, "dee@import.example", "department")
            .await
            .as_deref(),
        Some("Research, Applied")
    );
    assert_eq!(
        field(&app, "dee@import.example", "title").await.as_deref(),
        Some("Head of Things")
    );
    assert_eq!(
        field(&app, "dee@import.example", "role").await.as_deref(),
        Some("hr")
    );
    assert_eq!(
        field(&app, "eve@import.example", "role").await.as_deref(),
        Some("employee")
    );
    assert_eq!(
        field(&app, "eve@import.example", "phone").await.as_deref(),
        Some("+44 1")
    );
}

#[tokio::test]
async fn a_manager_defined_later_in_the_same_file_is_found() {
    let app = hr_app().await;
    let csv = format!(
        "{HEADER}\nFay Report,fay@import.example,Engineer,Engineering,Oslo,,gil@import.example,\n\
         Gil Boss,gil@import.example,Director,Engineering,Oslo,,,\n"
    );

    let report: ImportReport = json_of(import(&app, &csv, false).await, StatusCode::OK).await;

    assert!(report.applied);
    let manager: Option<i64> = app
        .db
        .scalar(query(
            "SELECT manager_id FROM employees WHERE email = 'fay@import.example'",
        ))
        .await
        .unwrap();
    assert_eq!(manager, Some(id_of(&app, "gil@import.example").await));
}

#[tokio::test]
async fn a_file_over_the_limit_is_413() {
    let app = hr_app().await;
    let mut csv = format!("{HEADER}\n");
    csv.push_str(&"x".repeat(MAX_IMPORT_BYTES + 1 - csv.len()));
    let error = api_error(
        import(&app, &csv, true).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert!(error.message.contains("MiB"), "{}", error.message);
    // Far over: refused by the body limit before it is read.
    let huge = "x".repeat(3 * MAX_IMPORT_BYTES);
    api_error(
        import(&app, &huge, true).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    // Exactly at the limit the file is read (and its header found wanting).
    let mut at_limit = format!("{HEADER}\n");
    at_limit.push_str(&"x".repeat(MAX_IMPORT_BYTES - at_limit.len()));
    let report: ImportReport = json_of(import(&app, &at_limit, true).await, StatusCode::OK).await;
    assert!(!report.errors.is_empty());
}

#[tokio::test]
async fn the_rest_of_the_api_keeps_its_small_body_limit() {
    let app = hr_app().await;
    let body = serde_json::json!({ "email": "x".repeat(100 * 1024), "password": "y" });
    let response = app.post_json("/api/session", &body).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_header_problem_is_an_error_on_line_one() {
    let app = hr_app().await;
    let report: ImportReport = json_of(
        import(&app, "name,email,salary\nAda,ada@x.io,1\n", true).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].line, 1);
    let error = api_error(
        import(&app, "", false).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(error.message.contains("Line 1"), "{}", error.message);
}
