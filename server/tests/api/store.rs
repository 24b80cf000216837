//! Which S3 store the integration tests run on. The embedded store by
//! default (started by each server). With `LANYARD_TEST_S3` set to another
//! S3 server's endpoint (`scripts/test.sh` starts SeaweedFS and runs the
//! storage, upload and doctor tests with it), with its keys in
//! `LANYARD_TEST_S3_KEY` and `LANYARD_TEST_S3_SECRET`, the template is
//! seeded into a bucket of its own and every test gets a fresh bucket with a
//! copy of the template's photos: one test's erasures never reach another's.

use http::Method;
use lanyard_server::config::Config;
use lanyard_server::storage::{keys, ObjectStore, Presigner, S3Settings};
use secrecy::SecretString;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::LazyLock;
use std::time::{Duration, SystemTime};

/// An S3 server other than the embedded store.
#[derive(Clone)]
struct External {
    endpoint: String,
    key: String,
    secret: String,
}

static EXTERNAL: LazyLock<Option<External>> = LazyLock::new(|| {
    let endpoint = std::env::var("LANYARD_TEST_S3")
        .ok()
        .filter(|e| !e.is_empty())?;
    let var =
        |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("LANYARD_TEST_S3 needs {name}"));
    Some(External {
        endpoint,
        key: var("LANYARD_TEST_S3_KEY"),
        secret: var("LANYARD_TEST_S3_SECRET"),
    })
});

/// Buckets made so far by this test binary.
static MADE: AtomicU32 = AtomicU32::new(0);

/// Whether the tests run on a store other than the embedded one.
pub fn is_external() -> bool {
    EXTERNAL.is_some()
}

fn settings(store: &External, bucket: &str) -> S3Settings {
    S3Settings {
        endpoint: store.endpoint.clone(),
        public_endpoint: store.endpoint.clone(),
        region: "us-east-1".into(),
        bucket: bucket.into(),
        path_style: true,
        access_key_id: store.key.clone(),
        secret_access_key: SecretString::from(store.secret.clone()),
        session_token: None,
        expires_at: None,
        shared_file: None,
    }
}

/// A new, empty bucket on the external store, or `None` on the embedded one.
pub async fn new_bucket() -> Option<String> {
    let store = EXTERNAL.as_ref()?;
    let n = MADE.fetch_add(1, Ordering::Relaxed);
    let bucket = format!("lanyard-test-{}-{n}", std::process::id());
    // S3's CreateBucket: a PUT of the bucket itself (an empty key).
    let presigner = Presigner::new(&settings(store, &bucket), &store.endpoint).unwrap();
    let url = presigner.presign(
        Method::PUT,
        "",
        Duration::from_secs(60),
        SystemTime::now(),
        &[],
        &[],
    );
    let response = reqwest::Client::new()
        .put(url.url)
        .send()
        .await
        .expect("the external S3 store answers");
    assert!(
        response.status().is_success(),
        "creating bucket {bucket}: {} {}",
        response.status(),
        response.text().await.unwrap_or_default()
    );
    Some(bucket)
}

/// Points `config` at `bucket` on the external store.
pub fn use_bucket(config: &mut Config, bucket: &str) {
    let store = EXTERNAL.as_ref().expect("an external store");
    config.aws_endpoint_url_s3 = Some(store.endpoint.clone());
    config.aws_access_key_id = Some(store.key.clone());
    config.aws_secret_access_key = Some(SecretString::from(store.secret.clone()));
    config.bucket = bucket.into();
}

/// Copies the photos of `versions` (their thumbnails and profile photos)
/// from bucket `from` to bucket `to`.
pub async fn copy_photos(from: &str, to: &str, versions: &[String]) {
    let store = EXTERNAL.as_ref().expect("an external store");
    let source = ObjectStore::new(&settings(store, from)).unwrap();
    let target = ObjectStore::new(&settings(store, to)).unwrap();
    for version in versions {
        for key in [keys::thumb_key(version), keys::profile_key(version)] {
            let body = source
                .get(&key)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("the template's {key}"));
            target.put(&key, body, "image/jpeg").await.unwrap();
        }
    }
}
