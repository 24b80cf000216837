//! HR's review queue and erasure (issue 6), through the real store: what
//! approval and rejection change for everyone, that each decision happens
//! once, that erasure leaves no object, and that the log cannot be edited.

use crate::helpers::{
    api_error, assert_fetches_jpeg, json_of, signed_in_client, spawn_app, TestApp, HR,
};
use crate::samples;
use lanyard_server::db::{query, Exec as _};
use lanyard_server::storage::keys;
use lanyard_wire::{
    AuditAction, AuditPage, DirectoryPage, ErrorCode, MyPhoto, PhotoState, Profile, ReviewQueue,
    MAX_REASON_CHARS,
};
use reqwest::{Client, StatusCode};
use serde_json::json;

/// The demo employee signed in on `app.api`, with a fresh photo pending;
/// HR's client; the employee's id, approved and pending version ids.
async fn pending_photo(app: &TestApp) -> (Client, i64, String, String) {
    let me = app.sign_in_as_employee().await;
    let approved = app.my_photo().await.current.expect("a demo photo").id;
    let (pending, response) = app.upload("image/jpeg", &samples::jpeg(400, 400)).await;
    json_of::<MyPhoto>(response, StatusCode::OK).await;
    (signed_in_client(app, HR).await, me.id.0, approved, pending)
}

async fn decide(
    app: &TestApp,
    hr: &Client,
    version: &str,
    reject: Option<&str>,
) -> reqwest::Response {
    let request = match reject {
        None => hr.post(app.url(&format!("/api/hr/reviews/{version}/approve"))),
        Some(reason) => hr
            .post(app.url(&format!("/api/hr/reviews/{version}/reject")))
            .json(&json!({ "reason": reason })),
    };
    request.send().await.unwrap()
}

/// Nothing under the embedded store's folder names `version`: no file or
/// folder with it in its name, plain or inside s3s-fs's base64 metadata
/// names (`.bucket-<b64>.object-<b64>.*.json`).
fn assert_no_trace_on_disk(app: &TestApp, version: &str) {
    use base64::Engine as _;
    if std::env::var_os("LANYARD_TEST_S3").is_some() {
        return; // Another S3 server: its disk is not ours to read.
    }
    let root = app._data.path().join("s3");
    let mut pending = vec![root.clone()];
    let mut seen = 0;
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            seen += 1;
            assert!(
                !name.contains(version),
                "{} names {version}",
                entry.path().display()
            );
            if let Some(object) = name
                .strip_prefix(".bucket-")
                .and_then(|rest| rest.split_once(".object-"))
                .map(|(_, object)| object.split('.').next().unwrap_or_default().to_owned())
            {
                let key = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(&object)
                    .map(|k| String::from_utf8_lossy(&k).into_owned())
                    .unwrap_or_default();
                assert!(!key.contains(version), "{name} is the metadata of {key}");
            }
            if entry.file_type().unwrap().is_dir() {
                pending.push(entry.path());
            }
        }
    }
    assert!(seen > 0, "the store's folder {} was read", root.display());
}

async fn assert_nothing_stored(app: &TestApp, version: &str) {
    for key in [
        keys::upload_key(version),
        keys::thumb_key(version),
        keys::profile_key(version),
    ] {
        assert!(!app.object_exists(&key).await, "{key} is still stored");
    }
}

async fn audit(app: &TestApp, hr: &Client, query: &str) -> AuditPage {
    app.audit.flush().await;
    let response = hr
        .get(app.url(&format!("/api/hr/audit?{query}")))
        .send()
        .await
        .unwrap();
    json_of(response, StatusCode::OK).await
}

#[tokio::test]
async fn the_queue_shows_the_proposal_beside_the_current_photo_with_short_urls() {
    let app = spawn_app().await;
    let (hr, me, approved, pending) = pending_photo(&app).await;

    let response = hr.get(app.url("/api/hr/reviews")).send().await.unwrap();
    let queue: ReviewQueue = json_of(response, StatusCode::OK).await;

    let item = queue
        .pending
        .iter()
        .find(|p| p.version_id == pending)
        .expect("queued");
    assert_eq!(item.person.0, me);
    assert!(item.proposed.url.contains(&pending));
    assert!(
        item.proposed.url.contains("X-Amz-Expires=300"),
        "the review lifetime"
    );
    assert_fetches_jpeg(&item.proposed.url, 480).await;
    let current = item.current.as_ref().expect("the approved photo beside it");
    assert!(current.url.contains(&approved));
    assert_fetches_jpeg(&current.url, 480).await;
    // The queue's URLs are granted in one audit entry naming the owner.
    let grants = audit(&app, &hr, "action=urls_granted&limit=200").await;
    let entry = grants
        .entries
        .iter()
        .find(|e| e.detail.contains("review queue"))
        .expect("the queue's grant is recorded");
    assert!(entry.subjects.iter().any(|s| s.id.0 == me));
}

#[tokio::test]
async fn approval_shows_the_new_photo_to_everyone_and_deletes_the_old_one() {
    // Arrange
    let app = spawn_app().await;
    let (hr, me, approved, pending) = pending_photo(&app).await;

    // Act
    let response = decide(&app, &hr, &pending, None).await;

    // Assert: HR's directory and profile show the new version...
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let page: DirectoryPage = json_of(
        hr.get(app.url("/api/people?per_page=100"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let card = page.people.iter().find(|p| p.id.0 == me).unwrap();
    let thumb = card.photo.as_ref().expect("a photo");
    assert!(thumb.url.contains(&pending));
    assert_fetches_jpeg(&thumb.url, 160).await;
    let profile: Profile = json_of(
        hr.get(app.url(&format!("/api/people/{me}")))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(profile.person.photo.unwrap().url.contains(&pending));
    // ...so does the owner's own page, with nothing pending any more...
    let mine = app.my_photo().await;
    assert_eq!(
        mine.current.as_ref().map(|c| c.id.as_str()),
        Some(pending.as_str())
    );
    assert_eq!(mine.latest, None);
    // ...and the previous version's row and objects are gone.
    assert_eq!(app.version_state(&approved).await, None);
    assert_nothing_stored(&app, &approved).await;
    let queue: ReviewQueue = json_of(
        hr.get(app.url("/api/hr/reviews")).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(queue.pending.iter().all(|p| p.version_id != pending));
    let log = audit(&app, &hr, &format!("person={me}&action=photo_approved")).await;
    assert_eq!(log.entries.len(), 1);
    assert!(
        log.entries[0].detail.contains(&approved),
        "{}",
        log.entries[0].detail
    );
}

#[tokio::test]
async fn rejection_shows_the_reason_to_the_owner_and_deletes_the_photo() {
    let app = spawn_app().await;
    let (hr, me, approved, pending) = pending_photo(&app).await;

    let response = decide(&app, &hr, &pending, Some("  Please face the camera.  ")).await;

    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let mine = app.my_photo().await;
    let latest = mine.latest.expect("the rejected version");
    assert_eq!(latest.id, pending);
    assert_eq!(latest.state, PhotoState::Rejected);
    assert_eq!(latest.reason.as_deref(), Some("Please face the camera."));
    assert!(latest.photo.is_none());
    assert!(latest.decided_at.is_some());
    assert_nothing_stored(&app, &pending).await;
    // The approved photo is untouched.
    assert_eq!(mine.current.map(|c| c.id), Some(approved.clone()));
    assert!(app.object_exists(&keys::profile_key(&approved)).await);
    let log = audit(&app, &hr, &format!("person={me}&action=photo_rejected")).await;
    assert_eq!(log.entries[0].detail, "Please face the camera.");
}

#[tokio::test]
async fn a_rejection_needs_a_usable_reason() {
    let app = spawn_app().await;
    let (hr, _, _, pending) = pending_photo(&app).await;
    let long = "x".repeat(MAX_REASON_CHARS + 1);
    for reason in ["", "   ", long.as_str(), "line\nbreak", "nul\u{0}"] {
        let response = decide(&app, &hr, &pending, Some(reason)).await;
        let error = api_error(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(error.code, ErrorCode::BadRequest, "{reason:?}");
    }
    assert_eq!(
        app.version_state(&pending).await.as_deref(),
        Some("pending")
    );
}

#[tokio::test]
async fn each_photo_is_decided_once() {
    let app = spawn_app().await;
    let (hr, _, _, pending) = pending_photo(&app).await;

    // One after the other.
    assert_eq!(
        decide(&app, &hr, &pending, None).await.status(),
        StatusCode::NO_CONTENT
    );
    for reject in [None, Some("Too late.")] {
        let error = api_error(
            decide(&app, &hr, &pending, reject).await,
            StatusCode::CONFLICT,
        )
        .await;
        assert_eq!(error.code, ErrorCode::Conflict);
    }

    // At the same time, by two members of HR: one wins, the other is told.
    let (_, response) = app.upload("image/png", &samples::png(300, 300)).await;
    let next = json_of::<MyPhoto>(response, StatusCode::OK)
        .await
        .latest
        .unwrap()
        .id;
    let other_hr = signed_in_client(&app, HR).await;
    let (a, b) = tokio::join!(
        decide(&app, &hr, &next, None),
        decide(&app, &other_hr, &next, Some("Blurry."))
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::NO_CONTENT, StatusCode::CONFLICT]);
    // The photo ends as the request that was told 204 asked.
    let winner = if a.status() == StatusCode::NO_CONTENT {
        "approved"
    } else {
        "rejected"
    };
    assert_eq!(app.version_state(&next).await.as_deref(), Some(winner));

    // A version its owner replaced is a conflict; a made-up one is unknown.
    let (replaced, response) = app.upload("image/jpeg", &samples::jpeg(300, 300)).await;
    json_of::<MyPhoto>(response, StatusCode::OK).await;
    let (_, response) = app.upload("image/jpeg", &samples::jpeg(320, 320)).await;
    json_of::<MyPhoto>(response, StatusCode::OK).await;
    assert_eq!(
        decide(&app, &hr, &replaced, None).await.status(),
        StatusCode::CONFLICT
    );
    let unknown = keys::new_version_id();
    assert_eq!(
        decide(&app, &hr, &unknown, None).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        decide(&app, &hr, "..%2Fetc", None).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn erasure_deletes_every_object_and_keeps_the_record() {
    // Arrange: an approved photo, a pending one and an unfinished upload.
    let app = spawn_app().await;
    let (hr, me, approved, pending) = pending_photo(&app).await;
    let body = samples::jpeg(200, 200);
    let unfinished = app.ticket("image/jpeg", &body).await;
    let put = crate::helpers::put_upload(&unfinished, body).await;
    assert_eq!(put.status(), StatusCode::OK);

    // Act
    let path = format!("/api/hr/people/{me}/photo");
    let response = hr.delete(app.url(&path)).send().await.unwrap();

    // Assert
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    for id in [&approved, &pending, &unfinished.upload_id] {
        assert_eq!(app.version_state(id).await, None, "{id}");
        assert_nothing_stored(&app, id).await;
        assert_no_trace_on_disk(&app, id);
    }
    let mine = app.my_photo().await;
    assert_eq!((mine.current, mine.latest), (None, None));
    let log = audit(&app, &hr, &format!("person={me}&action=photo_erased")).await;
    assert_eq!(log.entries.len(), 1);
    let entry = &log.entries[0];
    assert_eq!(entry.action, AuditAction::PhotoErased);
    assert!(entry.detail.contains(&pending), "{}", entry.detail);
    assert_eq!(entry.ip.as_deref(), Some("127.0.0.1"));
    // Nobody: 404, nothing recorded.
    let response = hr
        .delete(app.url("/api/hr/people/9999999/photo"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_database_refuses_to_change_or_remove_audit_entries() {
    let app = spawn_app().await;
    let (hr, me, _, _) = pending_photo(&app).await;
    let path = format!("/api/hr/people/{me}/photo");
    assert_eq!(
        hr.delete(app.url(&path)).send().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    app.audit.flush().await;
    for sql in [
        "UPDATE audit_log SET detail = 'nothing happened'",
        "DELETE FROM audit_log",
        "UPDATE audit_subjects SET employee_id = 1",
        "DELETE FROM audit_subjects",
    ] {
        let error = app.db.execute(query(sql)).await.unwrap_err();
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
    let log = audit(&app, &hr, "action=photo_erased").await;
    assert_eq!(log.entries.len(), 1);
}
