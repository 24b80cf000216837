//! The storage module against the real embedded store: the server's own IO,
//! and presigned URLs that the store accepts or refuses exactly as S3 would.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{header, Method, StatusCode};
use lanyard_server::storage::{
    keys, EmbeddedS3, ObjectStore, Presigner, S3Settings, MAX_PRESIGN_TTL,
};
use secrecy::SecretString;

const BUCKET: &str = "lanyard-photos";
const ACCESS_KEY: &str = "lanyard-test-key";
const SECRET: &str = "a-test-secret-that-is-long-enough";
const APP_ORIGIN: &str = "http://localhost:8080";
const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0 not really a jpeg, but bytes are bytes \xFF\xD9";

struct TestStore {
    s3: EmbeddedS3,
    store: ObjectStore,
    settings: S3Settings,
    http: reqwest::Client,
    _root: tempfile::TempDir,
}

impl TestStore {
    async fn start() -> Self {
        let root = tempfile::tempdir().expect("a temporary folder");
        let s3 = EmbeddedS3::start(
            root.path().join("s3"),
            "127.0.0.1:0".parse().unwrap(),
            BUCKET,
            ACCESS_KEY,
            &SecretString::from(SECRET),
            vec![APP_ORIGIN.to_owned()],
        )
        .await
        .expect("the embedded store starts");
        let settings = settings_for(&s3.endpoint(), SECRET);
        let store = ObjectStore::new(&settings).expect("a store client");
        Self {
            s3,
            store,
            settings,
            http: reqwest::Client::new(),
            _root: root,
        }
    }

    async fn put_photo(&self) -> String {
        let key = keys::thumb_key(&keys::new_version_id());
        self.store
            .put(&key, Bytes::from_static(JPEG), "image/jpeg")
            .await
            .expect("put succeeds");
        key
    }

    fn browser(&self) -> std::sync::Arc<Presigner> {
        self.store.browser_presigner()
    }

    async fn get(&self, url: &str) -> reqwest::Response {
        self.http.get(url).send().await.expect("the store answers")
    }
}

fn settings_for(endpoint: &str, secret: &str) -> S3Settings {
    S3Settings {
        endpoint: endpoint.to_owned(),
        public_endpoint: endpoint.to_owned(),
        region: "us-east-1".to_owned(),
        bucket: BUCKET.to_owned(),
        path_style: true,
        access_key_id: ACCESS_KEY.to_owned(),
        secret_access_key: SecretString::from(secret),
        session_token: None,
        expires_at: None,
        shared_file: None,
    }
}

const TTL: Duration = Duration::from_secs(60);

#[tokio::test]
async fn the_server_can_put_get_check_and_delete_objects() {
    // Arrange
    let t = TestStore::start().await;
    let key = keys::profile_key(&keys::new_version_id());

    // Act + Assert
    assert!(!t.store.exists(&key).await.unwrap());
    assert_eq!(t.store.get(&key).await.unwrap(), None);
    t.store
        .put(&key, Bytes::from_static(JPEG), "image/jpeg")
        .await
        .unwrap();
    assert!(t.store.exists(&key).await.unwrap());
    assert_eq!(t.store.get(&key).await.unwrap().as_deref(), Some(JPEG));
    t.store.delete(&key).await.unwrap();
    assert!(!t.store.exists(&key).await.unwrap());
    t.store
        .delete(&key)
        .await
        .expect("deleting a missing object is fine");
}

#[tokio::test]
async fn a_fresh_presigned_get_returns_the_object() {
    let t = TestStore::start().await;
    let key = t.put_photo().await;

    let url = t.browser().presign_get(&key, TTL, SystemTime::now());
    let response = t.get(&url.url).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(response.bytes().await.unwrap().as_ref(), JPEG);
}

#[tokio::test]
async fn a_tampered_presigned_url_is_refused() {
    let t = TestStore::start().await;
    let key = t.put_photo().await;
    let other_key = t.put_photo().await;
    let url = t.browser().presign_get(&key, TTL, SystemTime::now()).url;

    // One hex digit of the signature changed.
    let (rest, signature) = url.rsplit_once("X-Amz-Signature=").unwrap();
    let last = signature.chars().last().unwrap();
    let flipped = if last == '0' { '1' } else { '0' };
    let tampered_signature = format!(
        "{rest}X-Amz-Signature={}{flipped}",
        &signature[..signature.len() - 1]
    );
    // The same signature on another (existing) key.
    let other_object = url.replace(&key, &other_key);
    // A longer lifetime than was signed.
    let longer = url.replace("X-Amz-Expires=60", "X-Amz-Expires=600");

    for tampered in [tampered_signature, other_object, longer] {
        assert_ne!(tampered, url);
        assert_eq!(
            t.get(&tampered).await.status(),
            StatusCode::FORBIDDEN,
            "{tampered}"
        );
    }
    assert_eq!(t.get(&url).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn urls_signed_with_the_wrong_secret_or_for_another_method_are_refused() {
    let t = TestStore::start().await;
    let key = t.put_photo().await;

    let wrong_secret = Presigner::new(
        &settings_for(&t.s3.endpoint(), "not-the-secret"),
        &t.s3.endpoint(),
    )
    .unwrap();
    let url = wrong_secret.presign_get(&key, TTL, SystemTime::now());
    assert_eq!(t.get(&url.url).await.status(), StatusCode::FORBIDDEN);

    let get_url = t.browser().presign_get(&key, TTL, SystemTime::now());
    let response = t.http.delete(&get_url.url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(t.store.exists(&key).await.unwrap());
}

#[tokio::test]
async fn the_host_is_signed() {
    let t = TestStore::start().await;
    let key = t.put_photo().await;
    let port = t.s3.local_addr().port();
    // Signed for `localhost`, sent to `127.0.0.1`: a different Host header.
    let localhost = Presigner::new(&t.settings, &format!("http://localhost:{port}")).unwrap();

    let url = localhost.presign_get(&key, TTL, SystemTime::now()).url;
    let redirected = url.replace("//localhost:", "//127.0.0.1:");

    assert_eq!(t.get(&redirected).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_expired_presigned_url_is_refused() {
    let t = TestStore::start().await;
    let key = t.put_photo().await;
    let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 3600);

    let url = t.browser().presign_get(&key, TTL, two_hours_ago);

    assert!(url.expires_at < SystemTime::now());
    assert_eq!(t.get(&url.url).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_presigned_put_accepts_only_the_signed_type_and_length() {
    let t = TestStore::start().await;
    let key = keys::upload_key(&keys::new_version_id());
    let url = t
        .browser()
        .presign_put(
            &key,
            "image/jpeg",
            JPEG.len() as u64,
            TTL,
            SystemTime::now(),
        )
        .url;
    let put = |content_type: &'static str, body: Vec<u8>| {
        t.http
            .put(&url)
            .header(header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
    };

    let wrong_type = put("text/html", JPEG.to_vec()).await.unwrap();
    let mut longer = JPEG.to_vec();
    longer.push(0);
    let wrong_length = put("image/jpeg", longer).await.unwrap();
    assert_eq!(wrong_type.status(), StatusCode::FORBIDDEN);
    assert_eq!(wrong_length.status(), StatusCode::FORBIDDEN);
    assert!(!t.store.exists(&key).await.unwrap());

    let right = put("image/jpeg", JPEG.to_vec()).await.unwrap();
    assert_eq!(right.status(), StatusCode::OK);
    assert_eq!(t.store.get(&key).await.unwrap().as_deref(), Some(JPEG));
}

#[tokio::test]
async fn a_ttl_beyond_seven_days_is_clamped_and_still_accepted() {
    let t = TestStore::start().await;
    let key = t.put_photo().await;
    let now = SystemTime::now();

    let url = t
        .browser()
        .presign_get(&key, Duration::from_secs(30 * 86_400), now);

    assert!(url.url.contains("X-Amz-Expires=604800&"), "{}", url.url);
    assert!(url.expires_at <= now + MAX_PRESIGN_TTL);
    assert!(url.expires_at > now + MAX_PRESIGN_TTL - Duration::from_secs(1));
    assert_eq!(t.get(&url.url).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn extra_query_parameters_are_signed_and_honoured() {
    let t = TestStore::start().await;
    let key = t.put_photo().await;

    let url = t.browser().presign(
        Method::GET,
        &key,
        TTL,
        SystemTime::now(),
        &[],
        &[("response-cache-control", "private, max-age=600, immutable")],
    );
    let response = t.get(&url.url).await;
    assert_eq!(response.status(), StatusCode::OK);

    let changed = url.url.replace("max-age%3D600", "max-age%3D9999");
    assert_ne!(changed, url.url);
    assert_eq!(t.get(&changed).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn cors_allows_the_app_origin_only() {
    let t = TestStore::start().await;
    let key = t.put_photo().await;
    let url = t.browser().presign_get(&key, TTL, SystemTime::now()).url;
    let preflight = |origin: &'static str| {
        t.http
            .request(Method::OPTIONS, &url)
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "PUT")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
            .send()
    };

    let allowed = preflight(APP_ORIGIN).await.unwrap();
    assert!(allowed.status().is_success(), "{}", allowed.status());
    assert_eq!(
        allowed.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        APP_ORIGIN
    );
    let refused = preflight("http://evil.example").await.unwrap();
    assert!(refused
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());

    let get = t
        .http
        .get(&url)
        .header(header::ORIGIN, APP_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), StatusCode::OK);
    assert_eq!(
        get.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        APP_ORIGIN
    );
    let exposed = get.headers()[header::ACCESS_CONTROL_EXPOSE_HEADERS]
        .to_str()
        .unwrap();
    assert!(exposed.eq_ignore_ascii_case("etag"), "{exposed}");
}

#[tokio::test]
async fn errors_never_show_a_signature() {
    let t = TestStore::start().await;
    let wrong = ObjectStore::new(&settings_for(&t.s3.endpoint(), "not-the-secret")).unwrap();

    let error = wrong.get("photos/x/thumb.jpg").await.unwrap_err();

    let shown = format!("{error} / {error:?}");
    assert!(shown.contains("403"), "{shown}");
    assert!(!shown.contains("X-Amz-Signature"), "{shown}");
}

#[tokio::test]
async fn after_shutdown_the_store_refuses_connections_and_a_restart_keeps_the_data() {
    let t = TestStore::start().await;
    let key = t.put_photo().await;
    let addr = t.s3.local_addr();
    let root = t._root.path().join("s3");

    t.s3.shutdown().await;
    let error = t.store.get(&key).await.unwrap_err();
    assert!(
        matches!(error, lanyard_server::storage::StorageError::Request { .. }),
        "{error:?}"
    );

    let again = EmbeddedS3::start(
        root,
        addr,
        BUCKET,
        ACCESS_KEY,
        &SecretString::from(SECRET),
        vec![],
    )
    .await
    .expect("restarts on the same port");
    assert_eq!(t.store.get(&key).await.unwrap().as_deref(), Some(JPEG));
    again.shutdown().await;
}

#[tokio::test]
async fn bad_settings_are_errors_not_panics() {
    let root = tempfile::tempdir().unwrap();
    let secret = SecretString::from(SECRET);
    let start = |bucket: &'static str, origins: Vec<String>| {
        EmbeddedS3::start(
            root.path().to_owned(),
            "127.0.0.1:0".parse().unwrap(),
            bucket,
            ACCESS_KEY,
            &secret,
            origins,
        )
    };
    assert!(start("../escape", vec![]).await.is_err());
    assert!(start(BUCKET, vec!["http://bad\norigin".to_owned()])
        .await
        .is_err());
    assert!(ObjectStore::new(&settings_for("not a url", SECRET)).is_err());
}

#[tokio::test]
async fn rotated_credentials_are_read_again_when_the_store_refuses_the_old_ones() {
    // Arrange: the server reads its keys from a credentials file, which
    // holds keys the store no longer takes (they were rotated).
    let t = TestStore::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credentials");
    let write = |secret: &str| {
        std::fs::write(
            &path,
            format!(
                "[lanyard]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {secret}\n"
            ),
        )
        .unwrap();
    };
    write("the-old-secret");
    let file = lanyard_server::storage::credentials::SharedFile {
        path: path.clone(),
        profile: "lanyard".into(),
    };
    let mut settings = settings_for(&t.s3.endpoint(), "the-old-secret");
    settings.shared_file = Some(file);
    let store = ObjectStore::new(&settings).unwrap();
    let key = keys::thumb_key(&keys::new_version_id());

    // Act + Assert: refused, tried again with the same (still old) keys
    // once, and reported; never a retry loop.
    let refused = store
        .put(&key, Bytes::from_static(JPEG), "image/jpeg")
        .await;
    assert!(
        refused.unwrap_err().to_string().contains("403"),
        "the refusal is reported"
    );
    // The rotation lands in the file: the next request succeeds at once.
    write(SECRET);
    store
        .put(&key, Bytes::from_static(JPEG), "image/jpeg")
        .await
        .expect("signed again with the fresh keys");
    assert_eq!(t.store.get(&key).await.unwrap().as_deref(), Some(JPEG));
    // And browsers' URLs are signed with them too.
    let url = store
        .browser_presigner()
        .presign_get(&key, TTL, SystemTime::now());
    assert_eq!(t.get(&url.url).await.status(), StatusCode::OK);
}
