//! `spawn_app()` and the typed helpers tests talk to the server with.

use crate::{backend, store};
use lanyard_server::config::Config;
use lanyard_server::db::{query, Db, Exec as _};
use lanyard_server::startup::Application;
use lanyard_server::uploads::Uploads;
use lanyard_wire::{ApiError, DirectoryPage, Me, PhotoSize, PhotoUrlsRequest, Profile};
use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;
use std::path::Path;
use std::sync::LazyLock;
use tempfile::TempDir;
use tokio::sync::OnceCell;

pub const DEMO_PASSWORD: &str = "correct-horse-battery-staple";
pub const EMPLOYEE: &str = "employee@lanyard.example";
pub const HR: &str = "hr@lanyard.example";
/// People in the test company.
pub const PEOPLE: u64 = 40;
/// What the SPA stub in the test dist folder says.
pub const SPA_MARKER: &str = "<!-- lanyard test spa -->";

// Logs only when asked: `TEST_LOG=1 cargo test -p lanyard-server`.
static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var_os("TEST_LOG").is_some() {
        lanyard_server::telemetry::init("info");
    }
});

/// A data folder (and, on PostgreSQL, a database) seeded once per test
/// binary; every test starts from a copy. Rendering the portraits is most of
/// a seed's cost in a debug build, and every test would render the same
/// ones (the company's seed is fixed).
static SEEDED: OnceCell<Template> = OnceCell::const_new();

pub struct Template {
    pub dir: TempDir,
    /// The template database on PostgreSQL ([`backend`]).
    pub database: Option<String>,
    /// The template's bucket on an external S3 store ([`store`]).
    pub bucket: Option<String>,
    /// The photo versions the seed stored (copied into each test's bucket).
    pub versions: Vec<String>,
}

pub async fn seeded_template() -> &'static Template {
    SEEDED
        .get_or_init(|| async {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let database = backend::template_database().await;
            let bucket = store::new_bucket().await;
            let mut config = Config::for_tests(dir.path(), DEMO_PASSWORD);
            config.seed_people = PEOPLE as usize;
            config.database_url.clone_from(&database);
            if let Some(bucket) = &bucket {
                store::use_bucket(&mut config, bucket);
            }
            let app = Application::build(config)
                .await
                .expect("the template builds");
            let versions = app
                .db()
                .fetch_all::<(String,)>(query("SELECT id FROM photo_versions"))
                .await
                .unwrap()
                .into_iter()
                .map(|(id,)| id)
                .collect();
            // The template's sweeper took the sweeper's lease: left in the
            // copies, it would hold every test's own sweeper off for three
            // passes.
            app.db().execute(query("DELETE FROM leases")).await.unwrap();
            // Closing the pool checkpoints SQLite's WAL into the database
            // file, and leaves PostgreSQL's template free to be copied.
            app.db().close().await;
            drop(app);
            Template {
                dir,
                database,
                bucket,
                versions,
            }
        })
        .await
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub store_endpoint: String,
    pub db: Db,
    /// The server's uploads: the sweeper, and the store to read objects back.
    pub uploads: Uploads,
    /// The server's buffered audit log (flush it before reading the log).
    pub audit: lanyard_server::audit::AuditLog,
    /// Keeps cookies, like a browser.
    pub api: reqwest::Client,
    /// Where `GET /metrics` is served, when `LANYARD_METRICS_ADDR` is set.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// The data folder; deleted when the test ends.
    pub _data: TempDir,
}

/// The server with the default test configuration.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The server with a configuration adjusted by `tweak`.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    LazyLock::force(&TRACING);
    let data = tempfile::tempdir().expect("a temporary folder");
    let template = seeded_template().await;
    copy_dir(template.dir.path(), data.path());
    let dist = data.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        format!("<!doctype html><title>Lanyard</title>{SPA_MARKER}"),
    )
    .unwrap();
    std::fs::write(dist.join("app.js"), "console.log('lanyard')").unwrap();
    // The other bundles' pages (lanyard_wire::Entry), each marked with its name.
    for app in ["hr", "my-photo"] {
        let folder = dist.join("apps").join(app);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("index.html"),
            format!("<!doctype html><title>Lanyard</title><!-- lanyard test {app} -->"),
        )
        .unwrap();
    }

    let mut config = Config::for_tests(data.path(), DEMO_PASSWORD);
    config.seed_people = PEOPLE as usize;
    config.database_url = backend::copy_of(template.database.as_deref()).await;
    if let Some(bucket) = store::new_bucket().await {
        let from = template.bucket.as_deref().expect("the template's bucket");
        store::copy_photos(from, &bucket, &template.versions).await;
        store::use_bucket(&mut config, &bucket);
    }
    tweak(&mut config);
    let app = Application::build(config).await.expect("the app builds");
    let address = app.address();
    let store_endpoint = app.store_endpoint().to_owned();
    let db = app.db().clone();
    // The template's sweeper may have taken the lease after the template
    // dropped it (its first pass is a task of its own): a copied lease would
    // hold this app's sweeper off for three of the template's passes. This
    // app's own sweeper takes the lease again at its next pass.
    db.execute(query("DELETE FROM leases")).await.unwrap();
    let uploads = app.uploads().clone();
    let audit = app.audit().clone();
    let metrics_addr = app.metrics_addr();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        store_endpoint,
        db,
        uploads,
        audit,
        api: cookie_client(),
        metrics_addr,
        _data: data,
    }
}

pub fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A client without cookies, like a browser fetching an `<img>` elsewhere.
pub fn plain_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.api.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &impl serde::Serialize) -> Response {
        self.api
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        self.post_json(
            "/api/session",
            &serde_json::json!({ "email": email, "password": password }),
        )
        .await
    }

    /// Signs in as the demo employee; panics unless it works.
    pub async fn sign_in_as_employee(&self) -> Me {
        let response = self.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
        json_of(response, StatusCode::OK).await
    }

    pub async fn sign_out(&self) -> Response {
        self.api
            .delete(self.url("/api/session"))
            .send()
            .await
            .unwrap()
    }

    pub async fn get_people(&self, query: &str) -> Response {
        self.get(&format!("/api/people?{query}")).await
    }

    /// A directory page; panics unless the answer is 200.
    pub async fn people(&self, query: &str) -> DirectoryPage {
        json_of(self.get_people(query).await, StatusCode::OK).await
    }

    pub async fn get_person(&self, id: i64) -> Response {
        self.get(&format!("/api/people/{id}")).await
    }

    /// A profile; panics unless the answer is 200.
    pub async fn profile(&self, id: i64) -> Profile {
        json_of(self.get_person(id).await, StatusCode::OK).await
    }

    pub async fn post_photo_urls(&self, ids: &[i64], size: PhotoSize) -> Response {
        let request = PhotoUrlsRequest {
            people: ids.iter().copied().map(lanyard_wire::EmployeeId).collect(),
            size,
        };
        self.post_json("/api/photos/urls", &request).await
    }

    /// Runs SQL against the server's database (to arrange a test). Write
    /// it for both databases: booleans as `TRUE`/`FALSE`, no `?`.
    pub async fn execute(&self, sql: &str) {
        self.db
            .execute(query(sql))
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// The body as `T`, after checking the status.
pub async fn json_of<T: DeserializeOwned>(response: Response, status: StatusCode) -> T {
    let actual = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The `ApiError` body of a failed call, after checking the status.
pub async fn api_error(response: Response, status: StatusCode) -> ApiError {
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    json_of(response, status).await
}

/// Fetches a presigned URL the way a browser's `<img>` would.
pub async fn fetch(url: &str) -> Response {
    plain_client().get(url).send().await.unwrap()
}

/// Fetches a presigned URL and checks it is a JPEG of `size`×`size` pixels.
pub async fn assert_fetches_jpeg(url: &str, size: u32) {
    let response = fetch(url).await;
    assert_eq!(response.status(), StatusCode::OK, "{}", redact(url));
    let content_type = response.headers().get("content-type").cloned();
    assert_eq!(
        content_type.as_ref().and_then(|v| v.to_str().ok()),
        Some("image/jpeg"),
        "{}",
        redact(url)
    );
    let bytes = response.bytes().await.unwrap();
    let image = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
        .expect("a decodable JPEG");
    assert_eq!((image.width(), image.height()), (size, size));
}

/// A URL without its credentials, for assertion messages.
pub fn redact(url: &str) -> String {
    lanyard_wire::redact_url(url)
}

/// A second signed-in person with their own cookies (a second browser).
pub async fn signed_in_client(app: &TestApp, email: &str) -> reqwest::Client {
    let client = cookie_client();
    let response = client
        .post(app.url("/api/session"))
        .json(&serde_json::json!({ "email": email, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    client
}

impl TestApp {
    pub async fn delete(&self, path: &str) -> Response {
        self.api.delete(self.url(path)).send().await.unwrap()
    }

    pub async fn post_empty(&self, path: &str) -> Response {
        self.api.post(self.url(path)).send().await.unwrap()
    }

    pub async fn my_photo(&self) -> lanyard_wire::MyPhoto {
        json_of(self.get("/api/me/photo").await, StatusCode::OK).await
    }

    pub async fn begin_upload(&self, content_type: &str, content_length: usize) -> Response {
        let request = lanyard_wire::UploadRequest {
            content_type: content_type.into(),
            content_length: content_length as u64,
        };
        self.post_json("/api/me/photo/uploads", &request).await
    }

    /// A ticket for `body`; panics unless the answer is 201.
    pub async fn ticket(&self, content_type: &str, body: &[u8]) -> lanyard_wire::UploadTicket {
        let response = self.begin_upload(content_type, body.len()).await;
        json_of(response, StatusCode::CREATED).await
    }

    pub async fn complete(&self, upload_id: &str) -> Response {
        self.post_empty(&format!("/api/me/photo/uploads/{upload_id}/complete"))
            .await
    }

    /// Ticket, PUT and completion of `body`; the completion's answer.
    pub async fn upload(&self, content_type: &str, body: &[u8]) -> (String, Response) {
        let ticket = self.ticket(content_type, body).await;
        let put = put_upload(&ticket, body.to_vec()).await;
        assert_eq!(put.status(), StatusCode::OK, "the store took the PUT");
        let id = ticket.upload_id.clone();
        (id.clone(), self.complete(&id).await)
    }

    /// The object under `key`, read from the store by the server's client.
    pub async fn object(&self, key: &str) -> Option<bytes::Bytes> {
        self.uploads.store().get(key).await.unwrap()
    }

    pub async fn object_exists(&self, key: &str) -> bool {
        self.uploads.store().exists(key).await.unwrap()
    }

    /// The state of photo version `id`, or `None` without a row.
    pub async fn version_state(&self, id: &str) -> Option<String> {
        self.db
            .optional_scalar(query("SELECT state FROM photo_versions WHERE id = $1").bind(id))
            .await
            .unwrap()
    }
}

/// PUTs `body` to a ticket's URL as a browser's XMLHttpRequest does: the
/// ticket's headers, and a Content-Length of the body's size.
pub async fn put_upload(ticket: &lanyard_wire::UploadTicket, body: Vec<u8>) -> Response {
    let mut request = plain_client().put(&ticket.url);
    for header in &ticket.headers {
        request = request.header(&header.name, &header.value);
    }
    request.body(body).send().await.unwrap()
}
