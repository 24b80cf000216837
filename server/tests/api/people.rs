//! The directory: search, filters, paging, profiles, facets, bad input.

use crate::helpers::{api_error, json_of, spawn_app, TestApp, PEOPLE};
use lanyard_server::db::{query, Exec as _};
use lanyard_wire::{ErrorCode, Facets, PersonSummary, MAX_PAGE_SIZE};
use reqwest::StatusCode;
use std::collections::HashSet;

async fn signed_in_app() -> TestApp {
    let app = spawn_app().await;
    app.sign_in_as_employee().await;
    app
}

fn sort_key(p: &PersonSummary) -> (String, i64) {
    (p.name.to_lowercase(), p.id.0)
}

#[tokio::test]
async fn the_directory_needs_a_session() {
    let app = spawn_app().await;
    for path in ["/api/people", "/api/people/1", "/api/facets"] {
        let error = api_error(app.get(path).await, StatusCode::UNAUTHORIZED).await;
        assert_eq!(error.code, ErrorCode::Unauthenticated, "{path}");
    }
    let response = app
        .post_photo_urls(&[1], lanyard_wire::PhotoSize::Thumb)
        .await;
    api_error(response, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn the_first_page_lists_everyone_sorted_by_name() {
    let app = signed_in_app().await;
    let page = app.people("per_page=100").await;
    assert_eq!(page.total, PEOPLE);
    assert_eq!(page.people.len() as u64, PEOPLE);
    assert_eq!((page.page, page.per_page), (1, 100));
    let keys: Vec<_> = page.people.iter().map(sort_key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[tokio::test]
async fn the_default_page_size_applies_without_per_page() {
    let app = signed_in_app().await;
    let page = app.people("").await;
    assert_eq!(page.per_page, lanyard_wire::DEFAULT_PAGE_SIZE);
}

#[tokio::test]
async fn search_narrows_the_directory() {
    // Arrange: search for the last name of someone in the directory.
    let app = signed_in_app().await;
    let everyone = app.people("per_page=100").await;
    let target = &everyone.people[7];
    let last_name = target.name.split(' ').next_back().unwrap();

    // Act
    let found = app.people(&format!("q={last_name}&per_page=100")).await;

    // Assert
    assert!(found.total >= 1 && found.total < PEOPLE, "{}", found.total);
    assert!(found.people.iter().any(|p| p.id == target.id));
    assert_eq!(found.total as usize, found.people.len());
}

#[tokio::test]
async fn search_ignores_case_and_matches_title_and_email() {
    let app = signed_in_app().await;
    let by_email = app.people("q=EMPLOYEE%40LANYARD").await;
    assert_eq!(by_email.total, 1);
    let by_title = app.people("q=chief%20executive").await;
    assert_eq!(by_title.total, 1);
    assert_eq!(by_title.people[0].title, "Chief Executive Officer");
}

#[tokio::test]
async fn search_treats_like_wildcards_literally() {
    let app = signed_in_app().await;
    for q in ["%25", "_", "%5C", "a%25b"] {
        let page = app.people(&format!("q={q}")).await;
        assert_eq!(page.total, 0, "q={q}");
    }
}

#[tokio::test]
async fn a_blank_search_is_no_filter() {
    let app = signed_in_app().await;
    let page = app.people("q=%20%20&department=&location=").await;
    assert_eq!(page.total, PEOPLE);
}

#[tokio::test]
async fn search_text_with_quotes_and_unicode_is_matched_literally() {
    let app = signed_in_app().await;
    app.execute(r#"UPDATE employees SET name = 'Siobhán O''Brien "Sky"' WHERE id = 5"#)
        .await;
    // (query, the ids it must find): an injection finds nobody instead of
    // everyone; quotes and non-ASCII text find exactly the person with them.
    let cases: [(&str, &[i64]); 6] = [
        ("'%20OR%201=1%20--", &[]),
        ("%22%20OR%20%22%22=%22", &[]),
        ("O'Brien", &[5]),
        ("%22Sky%22", &[5]),
        ("Siobh%C3%A1n", &[5]),
        ("%F0%9F%A6%80", &[]),
    ];
    for (q, expected) in cases {
        let page = app.people(&format!("q={q}&per_page=100")).await;
        let found: Vec<i64> = page.people.iter().map(|p| p.id.0).collect();
        assert_eq!(found, expected, "q={q}");
        assert_eq!(page.total, expected.len() as u64, "q={q}");
    }
}

#[tokio::test]
async fn a_search_with_control_characters_is_400_json_not_everyone() {
    // Regression: SQLite's LIKE stopped at the NUL, so `q=%00` matched the
    // whole directory.
    let app = signed_in_app().await;
    for query in [
        "q=%00",
        "q=ada%00zzz",
        "q=%07",
        "department=%0A",
        "location=%1B",
    ] {
        let error = api_error(app.get_people(query).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(error.code, ErrorCode::BadRequest, "{query}");
        assert!(
            error.message.contains("control characters"),
            "{query}: {}",
            error.message
        );
    }
}

#[tokio::test]
async fn the_department_filter_returns_only_that_department() {
    let app = signed_in_app().await;
    let page = app.people("department=Engineering&per_page=100").await;
    assert!(page.total >= 2);
    assert!(page.total < PEOPLE);
    assert!(page.people.iter().all(|p| p.department == "Engineering"));
}

#[tokio::test]
async fn the_location_filter_returns_only_that_location() {
    let app = signed_in_app().await;
    let facets: Facets = json_of(app.get("/api/facets").await, StatusCode::OK).await;
    let location = &facets.locations[0];
    let page = app
        .people(&format!("location={location}&per_page=100"))
        .await;
    assert!(page.total >= 1);
    assert!(page.people.iter().all(|p| &p.location == location));
}

#[tokio::test]
async fn filters_combine_with_search() {
    let app = signed_in_app().await;
    let page = app
        .people("department=Engineering&q=engineer&per_page=100")
        .await;
    assert!(page.people.iter().all(|p| p.department == "Engineering"));
    let nobody = app.people("department=Engineering&q=counsel").await;
    assert_eq!(nobody.total, 0);
}

#[tokio::test]
async fn an_unknown_department_finds_nobody() {
    let app = signed_in_app().await;
    let page = app.people("department=Astronauts").await;
    assert_eq!(page.total, 0);
    assert!(page.people.is_empty());
}

#[tokio::test]
async fn pages_are_disjoint_and_cover_everyone() {
    let app = signed_in_app().await;
    let mut seen = HashSet::new();
    let mut page_number = 1;
    loop {
        let page = app.people(&format!("page={page_number}&per_page=7")).await;
        assert_eq!(page.total, PEOPLE);
        if page.people.is_empty() {
            break;
        }
        assert!(page.people.len() <= 7);
        for person in &page.people {
            assert!(seen.insert(person.id), "{:?} on two pages", person.id);
        }
        page_number += 1;
    }
    assert_eq!(seen.len() as u64, PEOPLE);
}

#[tokio::test]
async fn a_page_past_the_end_is_empty_with_the_total() {
    let app = signed_in_app().await;
    let page = app.people("page=4000000000").await;
    assert!(page.people.is_empty());
    assert_eq!(page.total, PEOPLE);
}

#[tokio::test]
async fn per_page_over_the_cap_is_400_json() {
    let app = signed_in_app().await;
    for per_page in [
        "1000".to_owned(),
        (MAX_PAGE_SIZE + 1).to_string(),
        "0".into(),
    ] {
        let response = app.get_people(&format!("per_page={per_page}")).await;
        let error = api_error(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(error.code, ErrorCode::BadRequest);
        assert!(error.message.contains("per_page"), "{}", error.message);
    }
}

#[tokio::test]
async fn a_malformed_page_is_400_json() {
    let app = signed_in_app().await;
    for query in [
        "page=abc",
        "page=0",
        "page=-1",
        "page=1.5",
        "per_page=x",
        "page=99999999999",
    ] {
        let error = api_error(app.get_people(query).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(error.code, ErrorCode::BadRequest, "{query}");
        assert!(!error.message.is_empty());
    }
}

#[tokio::test]
async fn an_overlong_search_is_400_json() {
    let app = signed_in_app().await;
    let q = "a".repeat(201);
    let error = api_error(
        app.get_people(&format!("q={q}")).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(error.code, ErrorCode::BadRequest);
}

#[tokio::test]
async fn an_unknown_person_is_404_json() {
    let app = signed_in_app().await;
    for id in [0, 999_999, -3, i64::MAX] {
        let error = api_error(app.get_person(id).await, StatusCode::NOT_FOUND).await;
        assert_eq!(error.code, ErrorCode::NotFound, "{id}");
    }
}

#[tokio::test]
async fn a_non_numeric_person_id_is_400_json() {
    let app = signed_in_app().await;
    for id in ["abc", "1.5", "99999999999999999999999"] {
        let error = api_error(
            app.get(&format!("/api/people/{id}")).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(error.code, ErrorCode::BadRequest, "{id}");
        assert!(error.message.contains("whole number"), "{}", error.message);
    }
}

#[tokio::test]
async fn a_profile_has_its_manager_and_direct_reports() {
    // Arrange: the head of Engineering has a manager (the CEO) and reports.
    let app = signed_in_app().await;
    let head: i64 = app
        .db
        .scalar(query(
            "SELECT id FROM employees WHERE department = 'Engineering' AND manager_id = 1",
        ))
        .await
        .unwrap();

    // Act
    let profile = app.profile(head).await;

    // Assert
    let person = profile.person;
    assert_eq!(person.id.0, head);
    assert_eq!(person.department, "Engineering");
    assert!(person.email.ends_with("@lanyard.example"));
    assert!(!person.phone.is_empty());
    let manager = person.manager.expect("a manager");
    assert_eq!(manager.id.0, 1);
    assert_eq!(manager.title, "Chief Executive Officer");
    assert!(!person.reports.is_empty());
    for report in &person.reports {
        let theirs = app.profile(report.id.0).await;
        assert_eq!(theirs.person.manager.map(|m| m.id.0), Some(head));
    }
}

#[tokio::test]
async fn the_ceo_has_no_manager() {
    let app = signed_in_app().await;
    let profile = app.profile(1).await;
    assert!(profile.person.manager.is_none());
    assert_eq!(profile.person.reports.len(), 10, "one head per department");
}

#[tokio::test]
async fn an_inactive_person_is_gone_from_the_directory() {
    let app = signed_in_app().await;
    let id: i64 = app
        .db
        .scalar(query(
            "SELECT id FROM employees WHERE password_hash IS NULL AND id > 1 ORDER BY id LIMIT 1",
        ))
        .await
        .unwrap();
    app.execute(&format!(
        "UPDATE employees SET active = FALSE WHERE id = {id}"
    ))
    .await;

    let page = app.people("per_page=100").await;
    assert_eq!(page.total, PEOPLE - 1);
    assert!(page.people.iter().all(|p| p.id.0 != id));
    api_error(app.get_person(id).await, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn facets_list_the_departments_and_locations_sorted() {
    let app = signed_in_app().await;
    let facets: Facets = json_of(app.get("/api/facets").await, StatusCode::OK).await;
    assert_eq!(facets.departments.len(), 10);
    assert!(facets.departments.contains(&"People".to_owned()));
    assert!(!facets.locations.is_empty() && facets.locations.len() <= 6);
    let mut sorted = facets.departments.clone();
    sorted.sort();
    assert_eq!(facets.departments, sorted);
}

#[tokio::test]
async fn the_manager_filter_lists_their_direct_reports_only() {
    let app = signed_in_app().await;
    // The manager with the most active reports, and who those are.
    let manager: i64 = app
        .db
        .scalar(query(
            "SELECT manager_id FROM employees WHERE active AND manager_id IS NOT NULL \
             GROUP BY manager_id ORDER BY COUNT(*) DESC, manager_id LIMIT 1",
        ))
        .await
        .unwrap();
    let mut reports: Vec<i64> = app
        .db
        .scalars(query("SELECT id FROM employees WHERE active AND manager_id = $1").bind(manager))
        .await
        .unwrap();
    reports.sort_unstable();
    assert!(reports.len() >= 2, "the demo has a manager with reports");
    let name: String = app
        .db
        .scalar(query("SELECT name FROM employees WHERE id = $1").bind(manager))
        .await
        .unwrap();

    let page = app.people(&format!("manager={manager}&per_page=100")).await;
    let mut found: Vec<i64> = page.people.iter().map(|p| p.id.0).collect();
    assert!(page
        .people
        .windows(2)
        .all(|w| sort_key(&w[0]) <= sort_key(&w[1])));
    found.sort_unstable();
    assert_eq!(found, reports);
    assert_eq!(page.total, reports.len() as u64);
    assert_eq!(page.manager_name.as_deref(), Some(name.as_str()));

    // With a search and paging: the same people, narrowed, page by page.
    let first = &page.people[0];
    let narrowed = app
        .people(&format!(
            "manager={manager}&q={}",
            first.name.replace(' ', "%20")
        ))
        .await;
    assert!(narrowed.people.iter().any(|p| p.id == first.id));
    assert!(narrowed.people.iter().all(|p| reports.contains(&p.id.0)));
    let one = app
        .people(&format!("manager={manager}&per_page=1&page=2"))
        .await;
    assert_eq!(one.people.len(), 1);
    assert_eq!(one.people[0].id, page.people[1].id);

    // A deactivated report leaves the list.
    // (`1 = 0` is false in both dialects: SQLite's 0, PostgreSQL's boolean.)
    app.execute(&format!(
        "UPDATE employees SET active = (1 = 0) WHERE id = {}",
        first.id.0
    ))
    .await;
    let after = app.people(&format!("manager={manager}&per_page=100")).await;
    assert_eq!(after.total, reports.len() as u64 - 1);

    // Nobody reports to an unknown person; a manager that is no number is 400.
    let nobody = app.people("manager=999999").await;
    assert_eq!((nobody.total, nobody.manager_name), (0, None));
    let error = api_error(app.get_people("manager=ada").await, StatusCode::BAD_REQUEST).await;
    assert_eq!(error.code, ErrorCode::BadRequest);
}
