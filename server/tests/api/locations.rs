//! Local time (issue 19): HR sets a location's IANA time zone
//! (`/api/hr/locations`), and profiles and directory cards of the people
//! there carry it.

use crate::helpers::{api_error, json_of, signed_in_client, spawn_app, TestApp, EMPLOYEE, HR};
use crate::hr_people::last_entry;
use lanyard_server::db::{query, Exec as _};
use lanyard_wire::{ErrorCode, LocationZone, LocationsPage};
use reqwest::{Client, StatusCode};
use serde_json::json;

async fn set(app: &TestApp, hr: &Client, location: &str, zone: Option<&str>) -> reqwest::Response {
    hr.put(app.url("/api/hr/locations/time-zone"))
        .json(&json!({ "location": location, "time_zone": zone }))
        .send()
        .await
        .unwrap()
}

async fn locations(app: &TestApp, hr: &Client) -> Vec<LocationZone> {
    let response = hr.get(app.url("/api/hr/locations")).send().await.unwrap();
    json_of::<LocationsPage>(response, StatusCode::OK)
        .await
        .locations
}

/// The demo employee's id and location.
async fn employee(app: &TestApp) -> (i64, String) {
    app.db
        .fetch_one(query("SELECT id, location FROM employees WHERE email = $1").bind(EMPLOYEE))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_zone_hr_sets_shows_on_profiles_and_cards_of_that_location() {
    // Arrange
    let app = spawn_app().await;
    let hr = signed_in_client(&app, HR).await;
    let me = app.sign_in_as_employee().await;
    let (id, location) = employee(&app).await;
    let listed = locations(&app, &hr).await;
    let here = listed
        .iter()
        .find(|l| l.location == location)
        .expect("listed");
    assert_eq!(here.time_zone, None);
    assert!(here.people > 0);
    let mut sorted: Vec<_> = listed.iter().map(|l| l.location.clone()).collect();
    sorted.sort();
    assert_eq!(
        listed
            .iter()
            .map(|l| l.location.clone())
            .collect::<Vec<_>>(),
        sorted
    );

    // Act: typed in lower case, with spaces.
    let answer: LocationZone = json_of(
        set(&app, &hr, &location, Some("  asia/singapore ")).await,
        StatusCode::OK,
    )
    .await;

    // Assert: stored as the database spells it, on the profile and the cards.
    assert_eq!(answer.time_zone.as_deref(), Some("Asia/Singapore"));
    assert_eq!(answer.people, here.people);
    assert_eq!(
        app.profile(id).await.person.time_zone.as_deref(),
        Some("Asia/Singapore")
    );
    let page = app
        .people(&format!(
            "location={}&per_page=100",
            location.replace(' ', "%20")
        ))
        .await;
    assert!(!page.people.is_empty());
    assert!(page
        .people
        .iter()
        .all(|p| p.time_zone.as_deref() == Some("Asia/Singapore")));
    let elsewhere = app.people("per_page=100").await;
    assert!(elsewhere
        .people
        .iter()
        .filter(|p| p.location != location)
        .all(|p| p.time_zone.is_none()));
    let (actor, detail, _) = last_entry(&app, "time_zone_set").await;
    assert_eq!(actor, Some(crate::hr_people::id_of(&app, HR).await));
    assert_eq!(
        detail,
        format!("Set the time zone of {location} to Asia/Singapore.")
    );
    assert_eq!(me.id.0, id);

    // Cleared with a blank: no local time any more, and said so in the log.
    let cleared: LocationZone =
        json_of(set(&app, &hr, &location, Some("")).await, StatusCode::OK).await;
    assert_eq!(cleared.time_zone, None);
    assert_eq!(app.profile(id).await.person.time_zone, None);
    let (_, detail, _) = last_entry(&app, "time_zone_set").await;
    assert_eq!(
        detail,
        format!("Cleared the time zone of {location} (was Asia/Singapore).")
    );
}

#[tokio::test]
async fn a_mistyped_zone_is_refused_plainly_and_changes_nothing() {
    let app = spawn_app().await;
    let hr = signed_in_client(&app, HR).await;
    let (_, location) = employee(&app).await;
    json_of::<LocationZone>(
        set(&app, &hr, &location, Some("Europe/Oslo")).await,
        StatusCode::OK,
    )
    .await;

    for bad in [
        "Europe/Olso",
        "UTC+2",
        "Mars/Olympus_Mons",
        "Europe/Oslo\u{0}",
    ] {
        let error = api_error(
            set(&app, &hr, &location, Some(bad)).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(error.code, ErrorCode::BadRequest, "{bad}");
        assert!(
            error.message.contains("IANA name such as Europe/Paris"),
            "{bad}: {}",
            error.message
        );
    }
    for (bad_location, says) in [("", "Say which location"), ("Oslo\n", "control characters")] {
        let error = api_error(
            set(&app, &hr, bad_location, Some("Europe/Oslo")).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert!(
            error.message.contains(says),
            "{bad_location:?}: {}",
            error.message
        );
    }
    let here = locations(&app, &hr)
        .await
        .into_iter()
        .find(|l| l.location == location)
        .unwrap();
    assert_eq!(here.time_zone.as_deref(), Some("Europe/Oslo"));
}

#[tokio::test]
async fn a_zone_may_be_set_before_anyone_works_there() {
    let app = spawn_app().await;
    let hr = signed_in_client(&app, HR).await;
    let answer: LocationZone = json_of(
        set(&app, &hr, "Reykjavík", Some("Atlantic/Reykjavik")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (answer.people, answer.time_zone.as_deref()),
        (0, Some("Atlantic/Reykjavik"))
    );
    let listed = locations(&app, &hr).await;
    assert!(listed
        .iter()
        .any(|l| l.location == "Reykjavík" && l.people == 0));
}

#[tokio::test]
async fn the_api_document_lists_the_zones_the_server_takes() {
    let app = spawn_app().await;
    let doc: serde_json::Value = json_of(app.get("/api/openapi.json").await, StatusCode::OK).await;
    let zone = &doc["components"]["schemas"]["SetTimeZone"]["properties"]["time_zone"];
    let values = zone["enum"].as_array().expect("an enum");
    assert!(values.contains(&json!("Asia/Singapore")));
    assert!(values.contains(&json!("")));
    assert!(values.contains(&serde_json::Value::Null));
    assert!(!values.contains(&json!("UTC+2")));
}
