//! Uploading one's own photo (issue 5), through the real embedded store:
//! from ticket to pending review, the checks the server makes before anyone
//! sees a photo, metadata stripped. The store's side of the ticket is in
//! `uploads_store.rs`, what uploads leave behind in `uploads_cleanup.rs`.

use crate::helpers::{
    api_error, assert_fetches_jpeg, json_of, put_upload, redact, signed_in_client, spawn_app,
    spawn_app_with, TestApp, HR,
};
use crate::samples;
use lanyard_server::db::{query, Exec as _};
use lanyard_server::storage::keys;
use lanyard_wire::{
    DirectoryPage, ErrorCode, MyPhoto, PhotoSize, PhotoState, PhotoUrlsRequest, PhotoUrlsResponse,
    Profile, UploadTicket,
};
use reqwest::StatusCode;

pub(crate) async fn signed_in(app: TestApp) -> TestApp {
    app.sign_in_as_employee().await;
    app
}

/// Every key a version can have.
pub(crate) fn keys_of(id: &str) -> [String; 3] {
    [
        keys::upload_key(id),
        keys::thumb_key(id),
        keys::profile_key(id),
    ]
}

pub(crate) async fn assert_nothing_stored(app: &TestApp, id: &str) {
    for key in keys_of(id) {
        assert!(!app.object_exists(&key).await, "{key} is still stored");
    }
}

/// The upload was refused with `fragment` in a sentence, and nothing of it
/// is left: no row, no object, nothing pending.
async fn assert_refused(
    app: &TestApp,
    (id, response): (String, reqwest::Response),
    fragment: &str,
) {
    let error = api_error(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error.code, ErrorCode::InvalidImage);
    assert!(
        error.message.contains(fragment),
        "{:?} lacks {fragment:?}",
        error.message
    );
    assert_eq!(app.version_state(&id).await, None, "the row is gone");
    assert_nothing_stored(app, &id).await;
    assert_eq!(app.my_photo().await.latest, None, "nothing pending");
}

fn signature_of(ticket: &UploadTicket) -> &str {
    let at = ticket.url.find("X-Amz-Signature=").unwrap() + "X-Amz-Signature=".len();
    &ticket.url[at..]
}

#[tokio::test]
async fn my_photo_shows_the_approved_photo_and_the_limits() {
    let app = signed_in(spawn_app().await).await;
    let mine = app.my_photo().await;
    let current = mine
        .current
        .expect("the demo employee has an approved photo");
    assert_eq!(current.state, PhotoState::Approved);
    assert_fetches_jpeg(&current.photo.expect("a profile URL").url, 480).await;
    assert_eq!(mine.latest, None);
    assert_eq!(mine.limits.max_bytes, 10 * 1024 * 1024);
    assert_eq!(
        mine.limits.content_types,
        ["image/jpeg", "image/png", "image/webp"]
    );
    assert_eq!(
        (mine.limits.min_side, mine.limits.max_pixels),
        (128, 40_000_000)
    );
}

#[tokio::test]
async fn an_upload_goes_from_ticket_to_pending_review_without_anyone_else_seeing_it() {
    // Arrange
    let app = signed_in(spawn_app().await).await;
    let me = app.sign_in_as_employee().await;
    let before = app.my_photo().await.current.unwrap();
    let body = samples::jpeg(900, 600);

    // Act: the ticket, the browser's PUT, the completion.
    let ticket = app.ticket("image/jpeg", &body).await;
    assert!(
        ticket.url.starts_with(&format!("{}/", app.store_endpoint)),
        "{}",
        redact(&ticket.url)
    );
    assert!(ticket
        .url
        .contains(&format!("/uploads/{}?", ticket.upload_id)));
    assert!(ticket.url.contains("X-Amz-Expires=300"));
    assert_eq!(ticket.headers.len(), 1);
    assert_eq!(ticket.headers[0].name, "Content-Type");
    assert_eq!(ticket.headers[0].value, "image/jpeg");
    assert!(!format!("{ticket:?}").contains(signature_of(&ticket)));
    let put = put_upload(&ticket, body).await;
    assert_eq!(put.status(), StatusCode::OK);
    let mine: MyPhoto = json_of(app.complete(&ticket.upload_id).await, StatusCode::OK).await;

    // Assert: pending for me, with a working profile URL...
    let pending_id = ticket.upload_id.as_str();
    let latest = mine.latest.expect("the new version");
    assert_eq!(latest.id, pending_id);
    assert_eq!(latest.state, PhotoState::Pending);
    assert_fetches_jpeg(&latest.photo.expect("a URL for the owner").url, 480).await;
    // ...the approved photo unchanged...
    assert_eq!(mine.current.map(|c| c.id), Some(before.id.clone()));
    assert_eq!(
        app.version_state(pending_id).await.as_deref(),
        Some("pending")
    );
    // ...the raw upload gone, the renditions stored.
    assert!(!app.object_exists(&keys::upload_key(pending_id)).await);
    assert!(app.object_exists(&keys::thumb_key(pending_id)).await);
    assert!(app.object_exists(&keys::profile_key(pending_id)).await);

    // Nobody else gets a URL for it, wherever they look.
    let hr = signed_in_client(&app, HR).await;
    let mut answers = Vec::new();
    for path in [
        "/api/people?per_page=100".to_owned(),
        format!("/api/people?q={}", "employee"),
        format!("/api/people/{}", me.id.0),
    ] {
        let response = hr.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        answers.push(response.text().await.unwrap());
    }
    for size in [PhotoSize::Thumb, PhotoSize::Profile] {
        let request = PhotoUrlsRequest {
            people: vec![me.id],
            size,
        };
        let response = hr
            .post(app.url("/api/photos/urls"))
            .json(&request)
            .send()
            .await
            .unwrap();
        let text = response.text().await.unwrap();
        let batch: PhotoUrlsResponse = serde_json::from_str(&text).unwrap();
        let url = batch.urls[0].photo.as_ref().expect("the approved photo");
        assert!(url.url.contains(&before.id), "still the approved version");
        answers.push(text);
    }
    let profile: Profile = serde_json::from_str(&answers[2]).unwrap();
    assert!(profile.person.photo.unwrap().url.contains(&before.id));
    let page: DirectoryPage = serde_json::from_str(&answers[0]).unwrap();
    assert!(page.people.iter().any(|p| p.id == me.id));
    for answer in &answers {
        assert!(!answer.contains(pending_id), "a pending URL leaked");
    }
}

#[tokio::test]
async fn the_server_refuses_what_is_not_a_usable_photo_and_keeps_nothing() {
    // Arrange: at most a million pixels, so "too many" needs no huge file.
    let app = signed_in(spawn_app_with(|c| c.photo_max_pixels = 1_000_000).await).await;

    // A text file named and declared a JPEG.
    let text = b"Dear HR, this is not a photo.\n".repeat(20);
    assert_refused(
        &app,
        app.upload("image/jpeg", &text).await,
        "not a JPEG, PNG or WebP",
    )
    .await;

    // A JPEG cut off halfway.
    let whole = samples::jpeg(400, 400);
    let truncated = &whole[..whole.len() / 2];
    assert_refused(
        &app,
        app.upload("image/jpeg", truncated).await,
        "damaged or incomplete",
    )
    .await;

    // A PNG of a few dozen bytes claiming 100000×100000 pixels.
    let bomb = samples::png_bomb(100_000, 100_000);
    assert!(bomb.len() < 100);
    assert_refused(&app, app.upload("image/png", &bomb).await, "100000×100000").await;

    // A 1×1 image.
    let dot = samples::png(1, 1);
    assert_refused(
        &app,
        app.upload("image/png", &dot).await,
        "at least 128 pixels",
    )
    .await;

    // More pixels than allowed (1200×900 = 1.08 million).
    let big = samples::jpeg(1200, 900);
    assert_refused(&app, app.upload("image/jpeg", &big).await, "1200×900").await;

    // And a good one still goes through afterwards.
    let (_, response) = app.upload("image/webp", &samples::webp(300, 200)).await;
    let mine: MyPhoto = json_of(response, StatusCode::OK).await;
    assert_eq!(mine.latest.unwrap().state, PhotoState::Pending);
}

#[tokio::test]
async fn exif_and_gps_never_reach_the_stored_renditions() {
    // Arrange: red on top, blue below as stored; EXIF says rotate 90° clockwise.
    let app = signed_in(spawn_app().await).await;
    let body = samples::jpeg_with_exif_gps(240);
    assert!(samples::jpeg_has_app1(&body));
    assert!(body.windows(4).any(|w| w == b"Exif"));
    assert!(body.windows(2).any(|w| w == samples::GPS_IFD_TAG));

    // Act
    let (id, response) = app.upload("image/jpeg", &body).await;
    json_of::<MyPhoto>(response, StatusCode::OK).await;

    // Assert: the stored renditions carry no EXIF, hence no GPS...
    for (key, side) in [(keys::thumb_key(&id), 160), (keys::profile_key(&id), 480)] {
        let stored = app.object(&key).await.expect("the rendition is stored");
        assert!(
            !samples::jpeg_has_app1(&stored),
            "{key} has an APP1 segment"
        );
        assert!(!stored.windows(4).any(|w| w == b"Exif"), "{key} has EXIF");
        let mut decoder =
            image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(&stored)).expect("a JPEG");
        use image::ImageDecoder as _;
        assert_eq!(decoder.exif_metadata().unwrap(), None, "{key}");
        assert_eq!(decoder.icc_profile().unwrap(), None, "{key}");
        assert_eq!(decoder.dimensions(), (side, side));
        // ...and the orientation was applied to the pixels: the top (red)
        // is now on the right, the bottom (blue) on the left.
        let image = image::DynamicImage::from_decoder(decoder)
            .unwrap()
            .into_rgb8();
        let left = image.get_pixel(side / 8, side / 2).0;
        let right = image.get_pixel(side * 7 / 8, side / 2).0;
        assert!(left[2] > 150 && left[0] < 100, "{key}: left is {left:?}");
        assert!(
            right[0] > 150 && right[2] < 100,
            "{key}: right is {right:?}"
        );
    }
}

#[tokio::test]
async fn completing_twice_is_harmless() {
    let app = signed_in(spawn_app().await).await;
    let (id, first) = app.upload("image/jpeg", &samples::jpeg(300, 300)).await;
    let first: MyPhoto = json_of(first, StatusCode::OK).await;
    let second: MyPhoto = json_of(app.complete(&id).await, StatusCode::OK).await;
    assert_eq!(second.latest.as_ref().map(|v| &v.id), Some(&id));
    assert_eq!(
        first.latest.map(|v| v.state),
        second.latest.map(|v| v.state)
    );
    assert!(app.object_exists(&keys::profile_key(&id)).await);
    assert_eq!(app.version_state(&id).await.as_deref(), Some("pending"));
}

#[tokio::test]
async fn a_newer_pending_photo_replaces_the_older_one() {
    let app = signed_in(spawn_app().await).await;
    let (older, response) = app.upload("image/jpeg", &samples::jpeg(300, 300)).await;
    json_of::<MyPhoto>(response, StatusCode::OK).await;
    let (newer, response) = app.upload("image/png", &samples::png(200, 300)).await;
    let mine: MyPhoto = json_of(response, StatusCode::OK).await;
    assert_eq!(mine.latest.map(|v| v.id), Some(newer));
    assert_eq!(app.version_state(&older).await, None);
    assert_nothing_stored(&app, &older).await;
}

#[tokio::test]
async fn only_images_within_the_limits_get_a_ticket() {
    let app = signed_in(spawn_app().await).await;
    for (content_type, length, fragment) in [
        ("image/gif", 1000, "JPEG, PNG or WebP"),
        ("text/plain", 1000, "JPEG, PNG or WebP"),
        ("image/jpeg", 0, "empty"),
        ("image/jpeg", 10 * 1024 * 1024 + 1, "at most 10485760 bytes"),
    ] {
        let response = app.begin_upload(content_type, length).await;
        let error = api_error(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(error.code, ErrorCode::BadRequest);
        assert!(error.message.contains(fragment), "{}", error.message);
    }
    let rows: i64 = app
        .db
        .scalar(query(
            "SELECT count(*) FROM photo_versions WHERE state = 'uploading'",
        ))
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn someone_elses_upload_is_not_found() {
    let app = signed_in(spawn_app().await).await;
    let body = samples::jpeg(300, 300);
    let ticket = app.ticket("image/jpeg", &body).await;
    assert_eq!(put_upload(&ticket, body).await.status(), StatusCode::OK);
    let hr = signed_in_client(&app, HR).await;
    let id = &ticket.upload_id;
    for (method, path) in [
        (
            reqwest::Method::POST,
            format!("/api/me/photo/uploads/{id}/complete"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/me/photo/uploads/{id}/url"),
        ),
        (
            reqwest::Method::DELETE,
            format!("/api/me/photo/uploads/{id}"),
        ),
        (
            reqwest::Method::POST,
            "/api/me/photo/uploads/0123456789abcdef0123456789abcdef/complete".into(),
        ),
        (
            reqwest::Method::POST,
            "/api/me/photo/uploads/..%2F..%2Fetc/complete".into(),
        ),
    ] {
        let response = hr.request(method, app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.version_state(id).await.as_deref(), Some("uploading"));
    assert!(app.object_exists(&keys::upload_key(id)).await);
    // Signed out, nothing at all.
    let anonymous = crate::helpers::plain_client();
    let response = anonymous
        .get(app.url("/api/me/photo"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
