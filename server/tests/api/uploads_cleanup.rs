//! What uploads leave behind (issue 5): deleting one's photo removes every
//! object, the sweeper clears abandoned and half-finished uploads (by
//! itself, in the running server), and simultaneous completions agree.

use crate::helpers::{api_error, json_of, put_upload, spawn_app, spawn_app_with};
use crate::samples;
use crate::uploads::{assert_nothing_stored, signed_in};
use lanyard_server::db::{query, Exec as _};
use lanyard_server::storage::keys;
use lanyard_wire::{ErrorCode, MyPhoto};
use reqwest::StatusCode;
use std::time::{Duration, SystemTime};

#[tokio::test]
async fn cancelling_an_upload_leaves_nothing() {
    let app = signed_in(spawn_app().await).await;
    let body = samples::jpeg(300, 300);
    let ticket = app.ticket("image/jpeg", &body).await;
    assert_eq!(put_upload(&ticket, body).await.status(), StatusCode::OK);
    assert!(
        app.object_exists(&keys::upload_key(&ticket.upload_id))
            .await
    );

    let path = format!("/api/me/photo/uploads/{}", ticket.upload_id);
    assert_eq!(app.delete(&path).await.status(), StatusCode::NO_CONTENT);

    assert_eq!(app.version_state(&ticket.upload_id).await, None);
    assert_nothing_stored(&app, &ticket.upload_id).await;
    assert_eq!(app.my_photo().await.latest, None);
    let gone = api_error(app.complete(&ticket.upload_id).await, StatusCode::NOT_FOUND).await;
    assert_eq!(gone.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn a_new_upload_cancels_the_unfinished_one() {
    let app = signed_in(spawn_app().await).await;
    let body = samples::jpeg(300, 300);
    let first = app.ticket("image/jpeg", &body).await;
    assert_eq!(
        put_upload(&first, body.clone()).await.status(),
        StatusCode::OK
    );
    let second = app.ticket("image/jpeg", &body).await;
    assert_eq!(app.version_state(&first.upload_id).await, None);
    assert!(!app.object_exists(&keys::upload_key(&first.upload_id)).await);
    assert_eq!(
        app.version_state(&second.upload_id).await.as_deref(),
        Some("uploading")
    );
}

#[tokio::test]
async fn deleting_my_photo_removes_every_object_of_every_version() {
    // Arrange: an approved photo (the demo's), a pending one, an unfinished one.
    let app = signed_in(spawn_app().await).await;
    let approved = app.my_photo().await.current.unwrap().id;
    let (pending, response) = app.upload("image/jpeg", &samples::jpeg(300, 300)).await;
    json_of::<MyPhoto>(response, StatusCode::OK).await;
    let body = samples::jpeg(200, 200);
    let unfinished = app.ticket("image/jpeg", &body).await;
    assert_eq!(put_upload(&unfinished, body).await.status(), StatusCode::OK);
    assert!(app.object_exists(&keys::profile_key(&approved)).await);

    // Act
    assert_eq!(
        app.delete("/api/me/photo").await.status(),
        StatusCode::NO_CONTENT
    );

    // Assert
    for id in [&approved, &pending, &unfinished.upload_id] {
        assert_eq!(app.version_state(id).await, None, "{id}");
        assert_nothing_stored(&app, id).await;
    }
    let mine = app.my_photo().await;
    assert_eq!((mine.current, mine.latest), (None, None));
    let me = app.sign_in_as_employee().await;
    assert!(me.photo.is_none());
    assert!(app.profile(me.id.0).await.person.photo.is_none());
}

#[tokio::test]
async fn the_sweeper_removes_an_abandoned_upload_and_a_half_finished_completion() {
    // Arrange: an upload sent but never completed, with renditions already
    // written as if its completion had died before its transaction.
    let app = signed_in(spawn_app().await).await;
    let body = samples::jpeg(300, 300);
    let ticket = app.ticket("image/jpeg", &body).await;
    assert_eq!(put_upload(&ticket, body).await.status(), StatusCode::OK);
    let id = ticket.upload_id.clone();
    app.uploads
        .store()
        .put(
            &keys::thumb_key(&id),
            samples::jpeg(160, 160).into(),
            "image/jpeg",
        )
        .await
        .unwrap();

    // Not yet: its URL expired less than the sweep age (an hour) ago.
    let soon = SystemTime::now() + Duration::from_secs(300 + 1800);
    let report = app.uploads.sweep(soon).await.unwrap();
    assert_eq!(report.abandoned_uploads, 0);
    assert_eq!(app.version_state(&id).await.as_deref(), Some("uploading"));

    // Act: an hour after the URL expired.
    let later = SystemTime::now() + Duration::from_secs(300 + 3600 + 5);
    let report = app.uploads.sweep(later).await.unwrap();

    // Assert
    assert_eq!(report.abandoned_uploads, 1);
    assert_eq!(report.failed_deletes, 0);
    assert_eq!(app.version_state(&id).await, None);
    assert_nothing_stored(&app, &id).await;
    let queued: i64 = app
        .db
        .scalar(query("SELECT count(*) FROM object_deletions"))
        .await
        .unwrap();
    assert_eq!(queued, 0, "nothing left to delete");
}

#[tokio::test]
async fn a_raw_upload_put_again_after_a_cancel_is_swept_once_its_url_is_dead() {
    // A browser whose PUT was still in flight when the upload was cancelled.
    let app = signed_in(spawn_app().await).await;
    let body = samples::jpeg(300, 300);
    let ticket = app.ticket("image/jpeg", &body).await;
    let path = format!("/api/me/photo/uploads/{}", ticket.upload_id);
    assert_eq!(app.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(put_upload(&ticket, body).await.status(), StatusCode::OK);
    let raw = keys::upload_key(&ticket.upload_id);
    assert!(app.object_exists(&raw).await);

    let later = SystemTime::now() + Duration::from_secs(300 + 3600 + 5);
    let report = app.uploads.sweep(later).await.unwrap();
    assert!(report.deleted_objects >= 1);
    assert!(!app.object_exists(&raw).await);
}

#[tokio::test]
async fn simultaneous_completions_of_one_upload_both_succeed() {
    let app = signed_in(spawn_app().await).await;
    let body = samples::jpeg(600, 400);
    let ticket = app.ticket("image/jpeg", &body).await;
    assert_eq!(put_upload(&ticket, body).await.status(), StatusCode::OK);
    let id = &ticket.upload_id;

    let (a, b) = tokio::join!(app.complete(id), app.complete(id));

    assert_eq!(a.status(), StatusCode::OK);
    assert_eq!(b.status(), StatusCode::OK);
    assert_eq!(app.version_state(id).await.as_deref(), Some("pending"));
    assert!(app.object_exists(&keys::thumb_key(id)).await);
    assert!(app.object_exists(&keys::profile_key(id)).await);
    assert!(!app.object_exists(&keys::upload_key(id)).await);
}

#[tokio::test]
async fn the_running_server_sweeps_by_itself() {
    // URLs live 3 s (whole-second SigV4 dates: 1 s could expire before the
    // PUT below) and are swept a second after expiring, so the background
    // task passes every second.
    let app = signed_in(
        spawn_app_with(|c| {
            c.upload_ttl = Duration::from_secs(3);
            c.upload_sweep_after = Duration::from_secs(1);
        })
        .await,
    )
    .await;
    let body = samples::jpeg(200, 200);
    let ticket = app.ticket("image/jpeg", &body).await;
    assert_eq!(put_upload(&ticket, body).await.status(), StatusCode::OK);

    // Polls (the pass runs on its own schedule) with a generous bound.
    let id = &ticket.upload_id;
    let mut waited = Duration::ZERO;
    while app.version_state(id).await.is_some() || app.object_exists(&keys::upload_key(id)).await {
        assert!(waited < Duration::from_secs(30), "never swept");
        tokio::time::sleep(Duration::from_millis(250)).await;
        waited += Duration::from_millis(250);
    }
}
