//! The store's side of an upload (issue 5): the signed PUT ticket binds the
//! browser to its key, type and length; an expired URL is refused and a
//! fresh one continues; the app's origins may PUT (CORS); with server-side
//! encryption the browser sends its signed header.

use crate::helpers::{api_error, json_of, put_upload, spawn_app, spawn_app_with};
use crate::samples;
use crate::uploads::signed_in;
use lanyard_server::storage::keys;
use lanyard_wire::{ErrorCode, MyPhoto, PhotoState, UploadTicket};
use reqwest::StatusCode;
use std::time::Duration;

#[tokio::test]
async fn the_store_refuses_a_put_that_breaks_its_ticket() {
    let app = signed_in(spawn_app().await).await;
    let body = samples::jpeg(300, 300);
    let ticket = app.ticket("image/jpeg", &body).await;
    let id = ticket.upload_id.clone();

    // Another content type than the one signed.
    let mut as_png = ticket.clone();
    as_png.headers[0].value = "image/png".into();
    let put = put_upload(&as_png, body.clone()).await;
    assert_eq!(put.status(), StatusCode::FORBIDDEN, "wrong content type");

    // More, then fewer bytes than signed.
    let mut longer = body.clone();
    longer.push(0);
    assert_eq!(
        put_upload(&ticket, longer).await.status(),
        StatusCode::FORBIDDEN,
        "wrong length"
    );
    let shorter = body[..body.len() - 1].to_vec();
    assert_eq!(
        put_upload(&ticket, shorter).await.status(),
        StatusCode::FORBIDDEN,
        "wrong length"
    );

    // The same signature for someone else's key.
    let other = keys::new_version_id();
    let mut elsewhere = ticket.clone();
    elsewhere.url = ticket
        .url
        .replace(&format!("/uploads/{id}?"), &format!("/uploads/{other}?"));
    assert_ne!(elsewhere.url, ticket.url);
    assert_eq!(
        put_upload(&elsewhere, body.clone()).await.status(),
        StatusCode::FORBIDDEN,
        "another key"
    );

    assert!(!app.object_exists(&keys::upload_key(&id)).await);
    assert!(!app.object_exists(&keys::upload_key(&other)).await);
    // Completing before anything arrived is a conflict, and changes nothing.
    let error = api_error(app.complete(&id).await, StatusCode::CONFLICT).await;
    assert_eq!(error.code, ErrorCode::Conflict);
    assert_eq!(app.version_state(&id).await.as_deref(), Some("uploading"));
    // The ticket itself still works.
    assert_eq!(put_upload(&ticket, body).await.status(), StatusCode::OK);
    json_of::<MyPhoto>(app.complete(&id).await, StatusCode::OK).await;
}

#[tokio::test]
async fn an_expired_upload_url_is_refused_by_the_store_and_a_fresh_one_continues() {
    // Arrange: upload URLs live 3 seconds. (SigV4 dates are whole seconds,
    // so a URL signed at 12.9 s for 1 s would be dead at 13.0 s: with 1 s
    // the fresh URL below could expire before its PUT on a busy machine.)
    let app = signed_in(spawn_app_with(|c| c.upload_ttl = Duration::from_secs(3)).await).await;
    let body = samples::png(200, 200);
    let ticket = app.ticket("image/png", &body).await;
    assert!(ticket.url.contains("X-Amz-Expires=3&"));

    // Act: wait until it expired by the server's clock, plus a margin.
    let wait = u64::try_from(ticket.expires_at.0 - ticket.server_time.0).unwrap_or(0) + 1500;
    tokio::time::sleep(Duration::from_millis(wait)).await;
    let expired = put_upload(&ticket, body.clone()).await;

    // Assert
    assert_eq!(expired.status(), StatusCode::FORBIDDEN);
    let path = format!("/api/me/photo/uploads/{}/url", ticket.upload_id);
    let fresh: UploadTicket = json_of(app.post_empty(&path).await, StatusCode::OK).await;
    assert_eq!(fresh.upload_id, ticket.upload_id);
    assert_ne!(fresh.url, ticket.url);
    assert_eq!(put_upload(&fresh, body).await.status(), StatusCode::OK);
    let mine: MyPhoto = json_of(app.complete(&fresh.upload_id).await, StatusCode::OK).await;
    assert_eq!(mine.latest.unwrap().state, PhotoState::Pending);
    // A finished upload gets no fresh URL.
    let error = api_error(app.post_empty(&path).await, StatusCode::CONFLICT).await;
    assert_eq!(error.code, ErrorCode::Conflict);
}

#[tokio::test]
async fn browsers_of_the_app_may_put_to_the_store() {
    let app = signed_in(spawn_app().await).await;
    let ticket = app.ticket("image/jpeg", &samples::jpeg(200, 200)).await;
    // The app's own origin, as the browser sends it.
    let origin = app.address.clone();
    let preflight = crate::helpers::plain_client()
        .request(reqwest::Method::OPTIONS, &ticket.url)
        .header("origin", &origin)
        .header("access-control-request-method", "PUT")
        .header(
            "access-control-request-headers",
            "content-type,x-amz-server-side-encryption",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let header = |name: &str| {
        preflight
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    assert_eq!(header("access-control-allow-origin"), origin);
    assert!(header("access-control-allow-methods").contains("put"));
    assert!(header("access-control-allow-headers").contains("content-type"));
    assert!(header("access-control-allow-headers").contains("x-amz-server-side-encryption"));
}

#[tokio::test]
async fn with_server_side_encryption_the_browser_sends_its_signed_header() {
    let app = signed_in(
        spawn_app_with(|c| c.s3_sse = lanyard_server::config::ServerSideEncryption::Aes256).await,
    )
    .await;
    let body = samples::jpeg(200, 200);
    let ticket = app.ticket("image/jpeg", &body).await;
    let sse = ticket
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("x-amz-server-side-encryption"))
        .expect("the SSE header");
    assert_eq!(sse.value, "AES256");
    assert!(ticket.url.contains("x-amz-server-side-encryption"));

    // Without the header the signature does not match.
    let mut without = ticket.clone();
    without.headers.retain(|h| h.name == "Content-Type");
    assert_eq!(
        put_upload(&without, body.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(put_upload(&ticket, body).await.status(), StatusCode::OK);
    json_of::<MyPhoto>(app.complete(&ticket.upload_id).await, StatusCode::OK).await;
}
