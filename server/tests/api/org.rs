//! The org chart (issue 19): `GET /api/people/{id}/org` and
//! `GET /api/people/{id}/reports`.

use crate::helpers::{api_error, json_of, spawn_app, TestApp};
use crate::hr_people::{count, last_entry};
use lanyard_server::db::{query, Exec as _};
use lanyard_wire::{ErrorCode, OrgChart, OrgPerson, ReportsPage, MAX_CHAIN, ORG_PAGE_SIZE};
use reqwest::StatusCode;

async fn signed_in_app() -> TestApp {
    let app = spawn_app().await;
    app.sign_in_as_employee().await;
    app
}

async fn chart(app: &TestApp, id: i64) -> OrgChart {
    json_of(
        app.get(&format!("/api/people/{id}/org")).await,
        StatusCode::OK,
    )
    .await
}

async fn reports_page(app: &TestApp, id: i64, page: u32) -> ReportsPage {
    let path = format!("/api/people/{id}/reports?page={page}");
    json_of(app.get(&path).await, StatusCode::OK).await
}

fn ids(people: &[OrgPerson]) -> Vec<i64> {
    people.iter().map(|p| p.id.0).collect()
}

async fn active_reports_of(app: &TestApp, id: i64) -> i64 {
    count(
        app,
        &format!("SELECT COUNT(*) FROM employees WHERE manager_id = {id} AND active = (1 = 1)"),
    )
    .await
}

#[tokio::test]
async fn the_chart_shows_the_managers_up_to_the_top_the_person_and_their_reports() {
    // Arrange: someone two levels below the CEO (a department head's report).
    let app = signed_in_app().await;
    let (person, head): (i64, i64) = app
        .db
        .fetch_one(query(
            "SELECT e.id, h.id FROM employees e JOIN employees h ON h.id = e.manager_id \
             WHERE h.manager_id = 1 AND e.active = (1 = 1) \
             AND EXISTS (SELECT 1 FROM employees r WHERE r.manager_id = e.id) \
             ORDER BY e.id LIMIT 1",
        ))
        .await
        .unwrap();

    // Act
    let chart = chart(&app, person).await;

    // Assert: the chain top first, then the person and their reports.
    assert_eq!(ids(&chart.managers), [1, head]);
    assert!(!chart.loop_cut);
    assert_eq!(chart.person.id.0, person);
    let mut expected: Vec<i64> = app
        .db
        .scalars(
            query("SELECT id FROM employees WHERE manager_id = $1 AND active = (1 = 1)")
                .bind(person),
        )
        .await
        .unwrap();
    expected.sort_unstable();
    let mut shown = ids(&chart.reports.people);
    shown.sort_unstable();
    assert_eq!(shown, expected);
    assert_eq!(chart.reports.total, expected.len() as u64);
    assert_eq!(chart.person.reports, expected.len() as u64);
    assert_eq!(
        (chart.reports.page, chart.reports.per_page),
        (1, ORG_PAGE_SIZE)
    );
    // Everyone's own count of reports, which tells the chart what opens.
    for node in chart.managers.iter().chain(&chart.reports.people) {
        assert_eq!(
            node.reports as i64,
            active_reports_of(&app, node.id.0).await,
            "{}",
            node.name
        );
    }
    // The thumbnails come in the answer, granted as one audited batch.
    let with_photo = chart
        .managers
        .iter()
        .chain([&chart.person])
        .chain(&chart.reports.people)
        .filter(|p| p.photo.is_some())
        .count();
    assert!(with_photo > 0, "the demo people have photos");
    app.audit.flush().await;
    let (_, detail, subjects) = last_entry(&app, "urls_granted").await;
    assert!(detail.contains("the org chart"), "{detail}");
    assert_eq!(subjects.len(), with_photo, "{detail}");
}

#[tokio::test]
async fn the_top_of_the_organisation_has_no_managers() {
    let app = signed_in_app().await;
    let chart = chart(&app, 1).await;
    assert!(chart.managers.is_empty());
    assert!(!chart.loop_cut);
    assert_eq!(chart.reports.total, 10, "one head per department");
}

#[tokio::test]
async fn a_manager_with_300_reports_opens_a_page_at_a_time() {
    // Arrange: a manager with 300 active reports and one who has left.
    let app = signed_in_app().await;
    let manager: i64 = app
        .db
        .scalar(query(
            "INSERT INTO employees (name, email, title, department, location, phone, manager_id, created_at) \
             VALUES ('Mona Manyreports', 'mona@lanyard.example', 'Director', 'Testing', 'Nowhere', '+1', 1, 0) \
             RETURNING id",
        ))
        .await
        .unwrap();
    app.db
        .execute(
            query(
                "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 301) \
                 INSERT INTO employees (name, email, title, department, location, phone, manager_id, active, created_at) \
                 SELECT 'Report ' || i, 'report-' || i || '@lanyard.example', 'Analyst', 'Testing', 'Nowhere', '+1', $1, i <= 300, 0 \
                 FROM n",
            )
            .bind(manager),
        )
        .await
        .unwrap();

    // Act: the chart, then the pages after its first.
    let chart = chart(&app, manager).await;
    let mut all = ids(&chart.reports.people);
    let mut names: Vec<String> = chart
        .reports
        .people
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let mut page = 2;
    loop {
        let next = reports_page(&app, manager, page).await;
        assert_eq!(next.manager.0, manager);
        assert_eq!(next.reports.total, 300);
        if next.reports.people.is_empty() {
            break;
        }
        assert!(next.reports.people.len() <= ORG_PAGE_SIZE as usize);
        all.extend(ids(&next.reports.people));
        names.extend(next.reports.people.iter().map(|p| p.name.clone()));
        page += 1;
    }

    // Assert: 48 at a time, everyone once, in name order, the leaver left out.
    assert_eq!(chart.person.reports, 300);
    assert_eq!((chart.reports.people.len(), chart.reports.total), (48, 300));
    assert_eq!(page, 300_u32.div_ceil(ORG_PAGE_SIZE) + 1);
    let mut distinct = all.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!((all.len(), distinct.len()), (300, 300));
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    assert!(!names.contains(&"Report 301".to_owned()));
    // The first page of the chart is the reports endpoint's first page.
    assert_eq!(
        ids(&reports_page(&app, manager, 1).await.reports.people),
        ids(&chart.reports.people)
    );
}

#[tokio::test]
async fn a_reporting_loop_in_old_data_is_cut_not_followed() {
    // Arrange: a reports to b, b to c, c back to a (foreign keys allow it).
    let app = signed_in_app().await;
    let people: Vec<i64> = app
        .db
        .scalars(query(
            "SELECT id FROM employees WHERE manager_id IS NOT NULL AND active = (1 = 1) ORDER BY id DESC LIMIT 3",
        ))
        .await
        .unwrap();
    let [a, b, c] = people[..] else {
        panic!("three people")
    };
    for (who, manager) in [(a, b), (b, c), (c, a)] {
        app.db
            .execute(
                query("UPDATE employees SET manager_id = $1 WHERE id = $2")
                    .bind(manager)
                    .bind(who),
            )
            .await
            .unwrap();
    }

    // Act
    let looped = chart(&app, a).await;

    // Assert: the chain up to where it comes round again, and said so.
    assert_eq!(ids(&looped.managers), [c, b]);
    assert!(looped.loop_cut);
    assert!(looped.managers.len() <= MAX_CHAIN);
    assert!(ids(&looped.reports.people).contains(&c));

    // Someone who is their own manager: no chain, no panic.
    app.db
        .execute(query("UPDATE employees SET manager_id = id WHERE id = $1").bind(a))
        .await
        .unwrap();
    let own = chart(&app, a).await;
    assert!(own.managers.is_empty());
    assert!(own.loop_cut);
    assert!(ids(&own.reports.people).contains(&a));
}

#[tokio::test]
async fn unknown_people_and_bad_ids_get_clear_errors() {
    let app = signed_in_app().await;
    for path in ["/api/people/999999/org", "/api/people/999999/reports"] {
        let error = api_error(app.get(path).await, StatusCode::NOT_FOUND).await;
        assert_eq!(error.code, ErrorCode::NotFound, "{path}");
    }
    for path in ["/api/people/ada/org", "/api/people/1.5/reports"] {
        let error = api_error(app.get(path).await, StatusCode::BAD_REQUEST).await;
        assert!(
            error.message.contains("whole number"),
            "{path}: {}",
            error.message
        );
    }
    let error = api_error(
        app.get("/api/people/1/reports?page=0").await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(
        error.message.contains("page starts at 1"),
        "{}",
        error.message
    );
    let error = api_error(
        app.get("/api/people/1/reports?page=x").await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(error.code, ErrorCode::BadRequest);

    // Someone who has left has no chart and no branch.
    let gone: i64 = app
        .db
        .scalar(query(
            "SELECT id FROM employees WHERE manager_id = 1 ORDER BY id LIMIT 1",
        ))
        .await
        .unwrap();
    app.execute(&format!(
        "UPDATE employees SET active = (1 = 0) WHERE id = {gone}"
    ))
    .await;
    for path in [
        format!("/api/people/{gone}/org"),
        format!("/api/people/{gone}/reports"),
    ] {
        api_error(app.get(&path).await, StatusCode::NOT_FOUND).await;
    }
    // And is no longer counted among the CEO's reports.
    assert_eq!(chart(&app, 1).await.reports.total, 9);
}

#[tokio::test]
async fn a_signed_out_visitor_gets_no_chart() {
    let app = spawn_app().await;
    let error = api_error(app.get("/api/people/1/org").await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(error.code, ErrorCode::Unauthenticated);
}
