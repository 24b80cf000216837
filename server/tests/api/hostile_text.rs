//! Hostile text in every text field of every request body and query:
//! control characters, unicode oddities, SQL, LIKE and full-text-search
//! metacharacters, markup, overlong values. Each gets a clear 4xx or a
//! correct answer; never a 5xx. Search texts match literally.

use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD, HR};
use lanyard_server::db::{query, Exec as _};
use lanyard_wire::{AdminPeoplePage, ApiError, DirectoryPage};
use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::json;

/// Texts people should not type, but someone will.
fn nasty() -> Vec<String> {
    let fixed = [
        "\0",
        "nul\0inside",
        "\u{7}bell",
        "tab\there",
        "line\nbreak",
        "cr\r\nlf",
        "\u{1b}[31mred",
        "\u{7f}",
        "\u{85}next line",
        "\u{202e}evil\u{202c}",
        "zero\u{200b}width",
        "\u{feff}bom",
        "emoji 👩‍💻 family 👨‍👩‍👧",
        "combining e\u{301}\u{301}\u{301}",
        "\u{fffd}\u{ffff}\u{10ffff}",
        "Straße İstanbul ǅ",
        "日本語の名前",
        "   ",
        "",
        "' OR 1=1 --",
        "\"; DROP TABLE employees; --",
        "%",
        "_",
        "\\",
        "%_\\%",
        "\"",
        "a\"b",
        "NEAR(ada lovelace)",
        "ada*",
        "name:ada",
        "-ada",
        "^ada",
        "ada AND OR NOT",
        "=HYPERLINK(\"http://x\")",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "${jndi:ldap://x/a}",
        "{{7*7}}",
    ];
    let mut texts: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();
    texts.push("x".repeat(5_000));
    texts.push("é".repeat(201));
    texts
}

/// Checks the answer is a success of type `T` or a 4xx `ApiError` (never a
/// 5xx, never a body of another shape); the status either way.
async fn answered<T: DeserializeOwned>(response: Response, what: &str) -> (StatusCode, Option<T>) {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(
        status.is_success() || status.is_client_error(),
        "{what}: {status} {text}"
    );
    if status.is_success() {
        let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"));
        (status, Some(body))
    } else {
        let error: ApiError =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"));
        assert!(!error.message.is_empty(), "{what}");
        (status, None)
    }
}

async fn hr_app() -> TestApp {
    let app = spawn_app().await;
    assert_eq!(
        app.sign_in(HR, DEMO_PASSWORD).await.status(),
        StatusCode::OK
    );
    app
}

async fn get_query(app: &TestApp, path: &str, query: &[(&str, &str)]) -> Response {
    app.api
        .get(app.url(path))
        .query(query)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_in_fields_refuse_or_fail_cleanly() {
    let app = spawn_app().await;
    for text in nasty() {
        for body in [
            json!({"email": text, "password": "irrelevant"}),
            json!({"email": "nobody@lanyard.example", "password": text}),
        ] {
            let response = app.post_json("/api/session", &body).await;
            let (status, _) = answered::<serde_json::Value>(response, &format!("{text:?}")).await;
            // Never signed in by a hostile text; 401, or 400/429.
            assert!(status.is_client_error(), "{text:?}: {status}");
        }
    }
}

#[tokio::test]
async fn directory_search_and_filters_answer_or_refuse() {
    let app = hr_app().await;
    for text in nasty() {
        for field in ["q", "department", "location"] {
            let what = format!("/api/people?{field}={text:?}");
            let response = get_query(&app, "/api/people", &[(field, &text)]).await;
            let (status, page) = answered::<DirectoryPage>(response, &what).await;
            if text.chars().any(char::is_control) {
                assert_eq!(status, StatusCode::BAD_REQUEST, "{what}");
            }
            if let Some(page) = page {
                // Blank is "no filter"; anything else narrows the directory.
                if !text.trim().is_empty() {
                    assert!(
                        page.total < crate::helpers::PEOPLE,
                        "{what}: {}",
                        page.total
                    );
                }
            }
        }
        let what = format!("/api/hr/people?q={text:?}");
        let response = get_query(&app, "/api/hr/people", &[("q", &text)]).await;
        let (_, page) = answered::<AdminPeoplePage>(response, &what).await;
        if let Some(page) = page {
            if !text.trim().is_empty() {
                assert!(
                    page.total < crate::helpers::PEOPLE,
                    "{what}: {}",
                    page.total
                );
            }
        }
    }
}

#[tokio::test]
async fn search_metacharacters_match_literally() {
    let app = hr_app().await;
    let marked: i64 = app
        .db
        .scalar(query("SELECT id FROM employees WHERE email != $1 ORDER BY id LIMIT 1").bind(HR))
        .await
        .unwrap();
    let name = r"Zed 100%_\ O'Brien";
    app.db
        .execute(
            query("UPDATE employees SET name = $1, title = $2 WHERE id = $3")
                .bind(name)
                .bind(r"Ops 100%_\ O'Brien lead")
                .bind(marked),
        )
        .await
        .unwrap();
    // (search text, whether the marked person matches)
    for (text, found) in [
        ("100%", true),
        ("%_\\", true),
        ("O'Brien", true),
        ("0%_", true),
        ("' OR 1=1 --", false),
        ("' OR '1'='1", false),
        ("%%%", false),
        ("___", false),
        ("\\\\\\", false),
        ("%", false),
        ("_", false),
        ("\\", false),
        ("\"", false),
    ] {
        let response = get_query(&app, "/api/people", &[("q", text)]).await;
        let (_, page) = answered::<DirectoryPage>(response, text).await;
        let ids: Vec<i64> = page.unwrap().people.iter().map(|p| p.id.0).collect();
        let expected = if found { vec![marked] } else { vec![] };
        assert_eq!(ids, expected, "/api/people?q={text:?}");
        // HR's list matches name or email with LIKE: its `%`, `_` and `\`
        // are escaped, so they too match only themselves.
        let response = get_query(&app, "/api/hr/people", &[("q", text), ("status", "all")]).await;
        let (_, page) = answered::<AdminPeoplePage>(response, text).await;
        let ids: Vec<i64> = page.unwrap().people.iter().map(|p| p.id.0).collect();
        let in_name = name.to_lowercase().contains(&text.to_lowercase());
        let expected = if in_name { vec![marked] } else { vec![] };
        assert_eq!(ids, expected, "/api/hr/people?q={text:?}");
    }
}

/// A person's fields, all valid, with `field` replaced by `text`.
fn person_with(field: &str, text: &str, n: usize) -> serde_json::Value {
    let mut person = json!({
        "name": "Hostile Tester", "email": format!("hostile-{n}@lanyard.example"),
        "title": "Tester", "department": "Quality", "location": "Lyon",
        "phone": "+33 4 00 00 00 00", "manager": null, "role": "employee"
    });
    person[field] = json!(text);
    person
}

#[tokio::test]
async fn person_fields_answer_or_refuse() {
    let app = hr_app().await;
    let other: i64 = app
        .db
        .scalar(query(
            "SELECT id FROM employees WHERE role = 'employee' ORDER BY id LIMIT 1",
        ))
        .await
        .unwrap();
    let mut n = 0;
    for text in nasty() {
        for field in ["name", "email", "title", "department", "location", "phone"] {
            n += 1;
            let body = person_with(field, &text, n);
            let what = format!("POST /api/hr/people {field}={text:?}");
            let response = app.post_json("/api/hr/people", &body).await;
            let (status, record) = answered::<serde_json::Value>(response, &what).await;
            // Trimming (Unicode white space, U+0085 too) comes first.
            if text.trim().chars().any(char::is_control) {
                assert!(status.is_client_error(), "{what}: {status}");
            }
            if let Some(record) = record {
                // Stored as sent (or trimmed), and the record reads back.
                let stored = record[field].as_str().unwrap().to_owned();
                assert!(
                    stored == text || stored == text.trim(),
                    "{what}: {stored:?}"
                );
                let id = record["id"].as_i64().unwrap();
                let again = app.get(&format!("/api/hr/people/{id}")).await;
                let (_, back) = answered::<serde_json::Value>(again, &what).await;
                assert_eq!(back.unwrap()[field], record[field], "{what}");
            }
            let what = format!("PUT /api/hr/people/{other} {field}={text:?}");
            let response = app
                .api
                .put(app.url(&format!("/api/hr/people/{other}")))
                .json(&person_with(field, &text, 0))
                .send()
                .await
                .unwrap();
            answered::<serde_json::Value>(response, &what).await;
        }
    }
}

/// `text` as one quoted CSV cell.
fn cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[tokio::test]
async fn every_csv_cell_answers_or_refuses() {
    let app = hr_app().await;
    let columns = [
        "name",
        "email",
        "title",
        "department",
        "location",
        "phone",
        "manager_email",
        "role",
    ];
    let valid = [
        "Csv Person",
        "csv.person@lanyard.example",
        "Tester",
        "Quality",
        "Lyon",
        "+33 4 00 00 00 00",
        "",
        "employee",
    ];
    for text in nasty() {
        for column in 0..columns.len() {
            let row: Vec<String> = (0..columns.len())
                .map(|i| cell(if i == column { &text } else { valid[i] }))
                .collect();
            let csv = format!("{}\n{}\n", columns.join(","), row.join(","));
            let what = format!("import {}={text:?}", columns[column]);
            for dry_run in [true, false] {
                let body = json!({"csv": csv, "dry_run": dry_run});
                let response = app.post_json("/api/hr/import", &body).await;
                answered::<serde_json::Value>(response, &what).await;
            }
        }
        // The text as a header, too.
        let csv = format!("{},{}\n", cell(&text), columns.join(","));
        let response = app
            .post_json("/api/hr/import", &json!({"csv": csv, "dry_run": true}))
            .await;
        answered::<serde_json::Value>(response, &format!("header {text:?}")).await;
    }
}

#[tokio::test]
async fn reasons_audit_filters_and_upload_types_answer_or_refuse() {
    let app = hr_app().await;
    let version = "00000000000000000000000000000000";
    for text in nasty() {
        let what = format!("reject reason={text:?}");
        let path = format!("/api/hr/reviews/{version}/reject");
        let response = app.post_json(&path, &json!({"reason": text})).await;
        let (status, _) = answered::<serde_json::Value>(response, &what).await;
        assert!(status.is_client_error(), "{what}: {status}");
        for filter in ["person", "actor", "action", "from", "to", "before", "limit"] {
            for path in ["/api/hr/audit", "/api/hr/audit.csv"] {
                let response = get_query(&app, path, &[(filter, &text)]).await;
                let status = response.status();
                let what = format!("{path}?{filter}={text:?}");
                assert!(!status.is_server_error(), "{what}: {status}");
                if path.ends_with(".csv") && status.is_success() {
                    continue;
                }
                answered::<serde_json::Value>(response, &what).await;
            }
        }
        let what = format!("upload content_type={text:?}");
        let body = json!({"content_type": text, "content_length": 1000});
        let response = app.post_json("/api/me/photo/uploads", &body).await;
        let (status, _) = answered::<serde_json::Value>(response, &what).await;
        assert!(status.is_client_error(), "{what}: {status}");
        let what = format!("photo size={text:?}");
        let body = json!({"people": [1], "size": text});
        let response = app.post_json("/api/photos/urls", &body).await;
        let (status, _) = answered::<serde_json::Value>(response, &what).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}");
    }
}
