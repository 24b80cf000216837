//! The built SPA and its history fallback.

use crate::helpers::{spawn_app, spawn_app_with, SPA_MARKER};
use reqwest::StatusCode;

#[tokio::test]
async fn the_spa_is_served_at_the_root() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains(SPA_MARKER));
}

#[tokio::test]
async fn a_deep_link_falls_back_to_index_html() {
    let app = spawn_app().await;
    for path in ["/people/5", "/sign-in", "/people/5/whatever?x=1"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let content_type = response
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            content_type.starts_with("text/html"),
            "{path}: {content_type}"
        );
        assert!(
            response.text().await.unwrap().contains(SPA_MARKER),
            "{path}"
        );
    }
}

#[tokio::test]
async fn each_bundle_answers_its_own_paths() {
    let app = spawn_app().await;
    for (path, marker) in [
        ("/hr", "<!-- lanyard test hr -->"),
        ("/hr/", "<!-- lanyard test hr -->"),
        ("/hr/reviews", "<!-- lanyard test hr -->"),
        ("/hr/people/7?x=1", "<!-- lanyard test hr -->"),
        ("/me/photo", "<!-- lanyard test my-photo -->"),
        ("/me/photo/", "<!-- lanyard test my-photo -->"),
        ("/hrx", SPA_MARKER),
        ("/me", SPA_MARKER),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(response.text().await.unwrap().contains(marker), "{path}");
    }
}

#[tokio::test]
async fn a_missing_bundle_is_not_replaced_by_another() {
    // The directory's router would hand `/hr/...` straight back to the
    // server: a page saying what is missing ends that loop before it starts.
    let app = spawn_app().await;
    let hr_page = app._data.path().join("dist/apps/hr/index.html");
    std::fs::remove_file(hr_page).unwrap();
    let response = app.get("/hr/reviews").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("has not been built"));
    assert_eq!(app.get("/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn static_files_are_served_as_they_are() {
    let app = spawn_app().await;
    let response = app.get("/app.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "console.log('lanyard')");
}

#[tokio::test]
async fn paths_cannot_escape_the_dist_folder() {
    let app = spawn_app().await;
    // The database sits one folder above dist.
    for path in ["/../lanyard.db", "/%2e%2e/lanyard.db", "/..%2flanyard.db"] {
        let response = app.get(path).await;
        let body = response.bytes().await.unwrap();
        assert!(!body.starts_with(b"SQLite format"), "{path}");
    }
}

#[tokio::test]
async fn a_missing_spa_build_gets_a_page_saying_so() {
    let app = spawn_app_with(|config| config.spa_dir = "/nonexistent/lanyard-dist".into()).await;
    for path in ["/", "/people/5"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("has not been built"));
    }
    // The API still works.
    assert_eq!(app.get("/api/health").await.status(), StatusCode::OK);
}
