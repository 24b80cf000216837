//! "Add to contacts": `GET /api/people/{id}/vcard`.

use crate::helpers::{api_error, signed_in_client, spawn_app_with, EMPLOYEE};
use crate::hr_people::{id_of, last_entry};
use lanyard_wire::ErrorCode;
use reqwest::StatusCode;

#[tokio::test]
async fn a_contact_card_has_the_profile_details_no_photo_and_is_audited() {
    let app = spawn_app_with(|config| config.organization = "Lanyard Demo Ltd".into()).await;
    let client = signed_in_client(&app, EMPLOYEE).await;
    let me = id_of(&app, EMPLOYEE).await;
    let (person, name, email): (i64, String, String) = lanyard_server::db::Exec::fetch_one(
        &app.db,
        lanyard_server::db::query(
            "SELECT id, name, email FROM employees WHERE id <> $1 AND phone <> '' ORDER BY id LIMIT 1",
        )
        .bind(me),
    )
    .await
    .unwrap();
    let response = client
        .get(app.url(&format!("/api/people/{person}/vcard")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/vcard; charset=utf-8"
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    let text = response.text().await.unwrap();
    let cards = vcard4::parse(&text).unwrap();
    assert_eq!(cards.len(), 1, "{text}");
    assert_eq!(cards[0].formatted_name[0].value, name);
    assert_eq!(cards[0].email[0].value, email);
    assert_eq!(cards[0].org[0].value[0], "Lanyard Demo Ltd");
    assert!(!text.to_ascii_uppercase().contains("PHOTO"), "{text}");
    assert!(!text.contains("X-Amz-"), "no URL of any kind: {text}");
    let (actor, detail, subjects) = last_entry(&app, "contact_card_downloaded").await;
    assert_eq!(actor, Some(me));
    assert_eq!(subjects, [person]);
    assert!(detail.contains(&name), "{detail}");
}

#[tokio::test]
async fn unknown_people_bad_ids_and_strangers_are_refused() {
    let app = spawn_app_with(|_| {}).await;
    let anonymous = reqwest::get(app.url("/api/people/1/vcard")).await.unwrap();
    assert_eq!(
        api_error(anonymous, StatusCode::UNAUTHORIZED).await.code,
        ErrorCode::Unauthenticated
    );
    let client = signed_in_client(&app, EMPLOYEE).await;
    let missing = client
        .get(app.url("/api/people/999999/vcard"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        api_error(missing, StatusCode::NOT_FOUND).await.code,
        ErrorCode::NotFound
    );
    let bad = client
        .get(app.url("/api/people/abc/vcard"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        api_error(bad, StatusCode::BAD_REQUEST).await.code,
        ErrorCode::BadRequest
    );
}

#[tokio::test]
async fn cards_draw_on_the_photo_url_budget() {
    let app = spawn_app_with(|config| config.limits.urls_per_minute = 2).await;
    let client = signed_in_client(&app, EMPLOYEE).await;
    let statuses: Vec<StatusCode> =
        futures_statuses(&client, &app.url("/api/people/1/vcard"), 3).await;
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

async fn futures_statuses(client: &reqwest::Client, url: &str, n: usize) -> Vec<StatusCode> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(client.get(url).send().await.unwrap().status());
    }
    out
}
