//! Photo URLs: every URL handed out fetches from the store; tampered and
//! expired ones do not; only approved photos of active people are signed.

use crate::helpers::{
    api_error, assert_fetches_jpeg, fetch, json_of, redact, spawn_app, spawn_app_with, TestApp,
};
use lanyard_server::db::{query, Exec as _};
use lanyard_wire::{
    DirectoryPage, ErrorCode, PhotoSize, PhotoUrl, PhotoUrlsResponse, MAX_PHOTO_BATCH,
};
use reqwest::StatusCode;
use std::time::Duration;

/// The first photo URL on a directory page.
fn first_photo(page: &DirectoryPage) -> PhotoUrl {
    page.people
        .iter()
        .find_map(|p| p.photo.clone())
        .expect("a person with a photo on the page")
}

async fn signed_in_app() -> TestApp {
    let app = spawn_app().await;
    app.sign_in_as_employee().await;
    app
}

#[tokio::test]
async fn every_thumbnail_url_on_a_page_fetches_a_jpeg_from_the_store() {
    let app = signed_in_app().await;
    let page = app.people("per_page=100").await;
    let with_photo: Vec<_> = page
        .people
        .iter()
        .filter_map(|p| p.photo.as_ref())
        .collect();
    assert!(
        with_photo.len() >= page.people.len() * 3 / 4,
        "about nine in ten have a photo"
    );
    assert!(with_photo.len() < page.people.len(), "and some do not");
    for photo in with_photo {
        assert!(
            photo.url.starts_with(&app.store_endpoint),
            "{}",
            redact(&photo.url)
        );
        assert_fetches_jpeg(&photo.url, 160).await;
    }
}

#[tokio::test]
async fn the_profile_photo_url_fetches_a_larger_jpeg() {
    let app = signed_in_app().await;
    let me = app.sign_in_as_employee().await;
    let profile = app.profile(me.id.0).await;
    let photo = profile.person.photo.expect("the demo employee has a photo");
    assert_fetches_jpeg(&photo.url, 480).await;
    let manager = profile.person.manager.expect("a manager");
    if let Some(thumb) = manager.photo {
        assert_fetches_jpeg(&thumb.url, 160).await;
    }
}

#[tokio::test]
async fn my_own_photo_url_fetches() {
    let app = spawn_app().await;
    let me = app.sign_in_as_employee().await;
    assert_fetches_jpeg(&me.photo.expect("a photo").url, 160).await;
}

#[tokio::test]
async fn url_lifetimes_follow_the_configuration() {
    let app = signed_in_app().await;
    let page = app.people("").await;
    let thumb = first_photo(&page);
    let lifetime = thumb.expires_at.0 - page.server_time.0;
    // Signing times are rounded down by at most an eighth of the lifetime.
    assert!(
        (3_600_000 * 7 / 8 - 1000..=3_600_000).contains(&lifetime),
        "{lifetime}"
    );
    assert!(
        thumb.url.contains("X-Amz-Expires=3600"),
        "{}",
        redact(&thumb.url)
    );

    let me = app.sign_in_as_employee().await;
    let profile = app.profile(me.id.0).await;
    let photo = profile.person.photo.unwrap();
    let lifetime = photo.expires_at.0 - profile.server_time.0;
    assert!(
        (1_200_000 * 7 / 8 - 1000..=1_200_000).contains(&lifetime),
        "{lifetime}"
    );
}

#[tokio::test]
async fn the_same_photo_gets_the_same_url_within_a_window() {
    let app = signed_in_app().await;
    let first = app.people("").await;
    let second = app.people("").await;
    // Unless the test straddles a 450 s window boundary, which it almost never does.
    let same = first
        .people
        .iter()
        .zip(&second.people)
        .filter(|(a, b)| a.photo == b.photo)
        .count();
    assert!(
        same == first.people.len()
            || first.server_time.0 / 450_000 != second.server_time.0 / 450_000
    );
}

#[tokio::test]
async fn a_tampered_url_is_refused_by_the_store() {
    let app = signed_in_app().await;
    let page = app.people("").await;
    let url = first_photo(&page).url;

    // Another object under the same signature.
    let other_key = url.replace("/thumb.jpg", "/profile.jpg");
    assert_eq!(fetch(&other_key).await.status(), StatusCode::FORBIDDEN);
    // A longer lifetime under the same signature.
    let longer = url.replace("X-Amz-Expires=3600", "X-Amz-Expires=604800");
    assert_eq!(fetch(&longer).await.status(), StatusCode::FORBIDDEN);
    // A flipped signature digit.
    let at = url.find("X-Amz-Signature=").unwrap() + "X-Amz-Signature=".len();
    let mut flipped = url.clone();
    let digit = if &url[at..=at] == "0" { "1" } else { "0" };
    flipped.replace_range(at..=at, digit);
    assert_eq!(fetch(&flipped).await.status(), StatusCode::FORBIDDEN);
    // No signature at all.
    let bare = url.split('?').next().unwrap();
    assert_eq!(fetch(bare).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_expired_url_is_refused_by_the_store() {
    // Arrange: thumbnails live 2 seconds.
    let app = spawn_app_with(|config| config.thumb_ttl = Duration::from_secs(2)).await;
    app.sign_in_as_employee().await;
    let page = app.people("").await;
    let thumb = first_photo(&page);
    assert_eq!(fetch(&thumb.url).await.status(), StatusCode::OK);

    // Act: wait until it has expired by the server's clock, plus a margin.
    let now = page.server_time.0;
    let wait = u64::try_from(thumb.expires_at.0 - now).unwrap_or(0) + 1500;
    tokio::time::sleep(Duration::from_millis(wait)).await;

    // Assert
    assert_eq!(fetch(&thumb.url).await.status(), StatusCode::FORBIDDEN);
    // A fresh URL for the same photo works again.
    let again = app.people("").await;
    let fresh = again
        .people
        .iter()
        .find(|p| p.id == page.people.iter().find(|p| p.photo.is_some()).unwrap().id)
        .and_then(|p| p.photo.clone())
        .unwrap();
    assert_fetches_jpeg(&fresh.url, 160).await;
}

#[tokio::test]
async fn batch_urls_answer_each_active_person_once() {
    let app = signed_in_app().await;
    app.execute("UPDATE employees SET active = FALSE WHERE id = 3")
        .await;
    let response = app
        .post_photo_urls(&[1, 2, 2, 3, 1, 999_999, 4], PhotoSize::Profile)
        .await;
    let batch: PhotoUrlsResponse = json_of(response, StatusCode::OK).await;
    let mut ids: Vec<i64> = batch.urls.iter().map(|u| u.person.0).collect();
    ids.sort();
    assert_eq!(
        ids,
        [1, 2, 4],
        "deduplicated, inactive and unknown left out"
    );
    for entry in &batch.urls {
        if let Some(photo) = &entry.photo {
            assert_fetches_jpeg(&photo.url, 480).await;
        }
    }
}

#[tokio::test]
async fn batch_thumbnail_urls_fetch_thumbnails() {
    let app = signed_in_app().await;
    let ids: Vec<i64> = (1..=40).collect();
    let batch: PhotoUrlsResponse = json_of(
        app.post_photo_urls(&ids, PhotoSize::Thumb).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(batch.urls.len(), 40);
    for photo in batch.urls.iter().filter_map(|u| u.photo.as_ref()) {
        assert_fetches_jpeg(&photo.url, 160).await;
    }
}

#[tokio::test]
async fn a_person_without_an_approved_photo_gets_null() {
    // Arrange: one person's approved photo goes back to pending review
    // (it had one, or the test would prove nothing).
    let app = signed_in_app().await;
    assert!(
        app.profile(1).await.person.photo.is_some(),
        "person 1 starts with an approved photo"
    );
    app.execute(
        "UPDATE photo_versions SET state = 'pending' \
         WHERE id = (SELECT photo_version_id FROM employees WHERE id = 1)",
    )
    .await;
    let has_photo: Option<String> = app
        .db
        .scalar(query("SELECT photo_version_id FROM employees WHERE id = 1"))
        .await
        .unwrap();

    // Act
    let batch: PhotoUrlsResponse = json_of(
        app.post_photo_urls(&[1], PhotoSize::Thumb).await,
        StatusCode::OK,
    )
    .await;
    let profile = app.profile(1).await;

    // Assert
    // The version is still theirs: only its state keeps it from being signed.
    assert!(has_photo.is_some());
    assert_eq!(batch.urls.len(), 1);
    assert!(batch.urls[0].photo.is_none());
    assert!(profile.person.photo.is_none());
}

#[tokio::test]
async fn an_empty_batch_is_400_json() {
    let app = signed_in_app().await;
    let error = api_error(
        app.post_photo_urls(&[], PhotoSize::Thumb).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(error.code, ErrorCode::BadRequest);
}

#[tokio::test]
async fn an_oversized_batch_is_400_json() {
    let app = signed_in_app().await;
    let ids: Vec<i64> = (1..=MAX_PHOTO_BATCH as i64 + 1).collect();
    let error = api_error(
        app.post_photo_urls(&ids, PhotoSize::Thumb).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(error.code, ErrorCode::BadRequest);
    let ids: Vec<i64> = (1..=MAX_PHOTO_BATCH as i64).collect();
    let response = app.post_photo_urls(&ids, PhotoSize::Thumb).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_batch_with_an_unknown_size_is_400_json() {
    let app = signed_in_app().await;
    let body = serde_json::json!({ "people": [1], "size": "huge" });
    let error = api_error(
        app.post_json("/api/photos/urls", &body).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(error.code, ErrorCode::BadRequest);
}

#[tokio::test]
async fn the_store_lets_browsers_cache_a_photo_exactly_as_long_as_its_url_lives() {
    let app = signed_in_app().await;
    let page = app.people("").await;
    let photo = first_photo(&page);

    let response = fetch(&photo.url).await;

    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    // Private: a shared cache (proxy, CDN) must not keep someone's photo.
    assert_eq!(
        header("cache-control").as_deref(),
        Some("private, immutable")
    );
    let expires = header("expires").expect("an Expires header");
    let expires = httpdate::parse_http_date(&expires).expect("an HTTP date");
    let expires_ms = expires
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    assert_eq!(expires_ms, u128::try_from(photo.expires_at.0).unwrap());
    // Freshness is Expires − Date, so the browser's own clock does not matter.
    assert!(header("date").is_some(), "a Date header");
}

#[tokio::test]
async fn cache_overrides_are_signed_and_cannot_be_changed() {
    let app = signed_in_app().await;
    let page = app.people("").await;
    let url = first_photo(&page).url;
    assert!(url.contains("response-cache-control=private%2C%20immutable"));

    let public = url.replace("private%2C%20immutable", "public%2C%20max-age%3D31536000");
    assert_eq!(fetch(&public).await.status(), StatusCode::FORBIDDEN);
    let dropped = url.replace("response-cache-control=", "x-ignored=");
    assert_eq!(fetch(&dropped).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn urls_carry_their_signing_time_at_a_window_start() {
    // Arrange: 20 s thumbnails signed in windows of half their lifetime.
    let app = spawn_app_with(|config| {
        config.thumb_ttl = Duration::from_secs(20);
        config.url_window_fraction = 0.5;
    })
    .await;
    app.sign_in_as_employee().await;

    // Act
    let page = app.people("").await;

    // Assert
    for photo in page.people.iter().filter_map(|p| p.photo.as_ref()) {
        assert_eq!(photo.signed_at.0 % 10_000, 0, "a 10 s window start");
        assert!(photo.signed_at <= page.server_time);
        assert!(page.server_time.0 - photo.signed_at.0 < 10_000);
        assert_eq!(photo.expires_at.0 - photo.signed_at.0, 20_000);
        assert_eq!(photo.lifetime_ms(), 20_000);
        assert!(photo.url.contains("X-Amz-Expires=20"));
    }
}

#[tokio::test]
async fn a_batch_answer_carries_the_server_time_and_window_stable_urls() {
    let app = signed_in_app().await;
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let first: PhotoUrlsResponse = json_of(
        app.post_photo_urls(&[1, 2, 3], PhotoSize::Thumb).await,
        StatusCode::OK,
    )
    .await;
    let second: PhotoUrlsResponse = json_of(
        app.post_photo_urls(&[3, 2, 1], PhotoSize::Thumb).await,
        StatusCode::OK,
    )
    .await;

    let server_time = u128::try_from(first.server_time.0).unwrap();
    assert!(server_time >= before && server_time < before + 5_000);
    let url_of = |batch: &PhotoUrlsResponse, id: i64| {
        batch
            .urls
            .iter()
            .find(|u| u.person.0 == id)
            .and_then(|u| u.photo.clone())
    };
    // Byte-identical unless the two calls straddle a 450 s window boundary.
    if first.server_time.0 / 450_000 == second.server_time.0 / 450_000 {
        for id in 1..=3 {
            assert_eq!(url_of(&first, id), url_of(&second, id), "person {id}");
        }
    }
}
