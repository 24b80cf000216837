//! What the presigning benchmark measures, set up alike: the same endpoint,
//! bucket, credentials, object key, lifetime and signed response overrides
//! as a grid thumbnail URL of the directory API (see `server/src/photos.rs`).
//!
//! - [`Floor`]: the work no SigV4 presigner can avoid, one SHA-256 over a
//!   buffer as long as the canonical request plus one HMAC-SHA256 over a
//!   buffer as long as the string to sign (lengths taken from Lanyard's own
//!   URL, so the floor follows the real input).
//! - [`Lanyard`]: `lanyard_server::storage::Presigner`, and the whole
//!   `PhotoSigner::sign_version` around it (window rounding, `Expires` date).
//! - [`Aws`]: aws-sdk-s3's `presigned()` on a client with static
//!   credentials, driven to completion on a current-thread tokio runtime
//!   (it is async; nothing in it waits on IO).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use lanyard_server::photos::PhotoSigner;
use lanyard_server::storage::{keys, ObjectStore, Presigner, S3Settings};
use lanyard_wire::PhotoSize;
use sha2::{Digest, Sha256};

/// AWS's documentation example key pair: nothing secret.
const ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const REGION: &str = "us-east-1";
const BUCKET: &str = "lanyard-photos";
/// The embedded store's shape: loopback, a port, path-style URLs.
const ENDPOINT: &str = "http://127.0.0.1:9000";
const VERSION_ID: &str = "0123456789abcdef0123456789abcdef";
/// The default thumbnail lifetime.
const TTL: Duration = Duration::from_secs(3600);
const CACHE_CONTROL: &str = "private, immutable";

fn settings() -> S3Settings {
    S3Settings {
        endpoint: ENDPOINT.to_owned(),
        public_endpoint: ENDPOINT.to_owned(),
        region: REGION.to_owned(),
        bucket: BUCKET.to_owned(),
        path_style: true,
        access_key_id: ACCESS_KEY_ID.to_owned(),
        secret_access_key: SECRET_ACCESS_KEY.to_owned().into(),
    }
}

/// A fixed signing time (whole seconds, as SigV4 signs) so every iteration
/// signs the same thing.
fn signing_time() -> SystemTime {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    UNIX_EPOCH + Duration::from_secs(now.as_secs())
}

/// The object key and the signed overrides of a thumbnail URL.
pub struct Photo {
    pub key: String,
    pub now: SystemTime,
    pub expires: String,
}

impl Photo {
    pub fn new() -> Self {
        let now = signing_time();
        Self {
            key: keys::thumb_key(VERSION_ID),
            now,
            expires: httpdate::fmt_http_date(now + TTL),
        }
    }
}

impl Default for Photo {
    fn default() -> Self {
        Self::new()
    }
}

/// Lanyard's presigner and the server's photo signer around it.
pub struct Lanyard {
    presigner: Presigner,
    photos: PhotoSigner,
}

impl Lanyard {
    pub fn new() -> Self {
        let settings = settings();
        let store = ObjectStore::new(&settings).expect("valid settings");
        Self {
            presigner: Presigner::new(&settings, ENDPOINT).expect("valid endpoint"),
            photos: PhotoSigner::new(Arc::new(store), TTL, TTL),
        }
    }

    /// One thumbnail URL, exactly as `PhotoSigner` asks for it.
    pub fn presign(&self, photo: &Photo) -> String {
        self.presigner
            .presign(
                http::Method::GET,
                &photo.key,
                TTL,
                photo.now,
                &[],
                &[
                    ("response-cache-control", CACHE_CONTROL),
                    ("response-expires", &photo.expires),
                ],
            )
            .url
    }

    /// One plain GET URL, no overrides.
    pub fn presign_plain(&self, photo: &Photo) -> String {
        self.presigner.presign_get(&photo.key, TTL, photo.now).url
    }

    /// The whole per-photo cost in the directory API.
    pub fn sign_photo(&self, now: SystemTime) -> String {
        self.photos
            .sign_version(VERSION_ID, PhotoSize::Thumb, now)
            .expect("a valid version")
            .url
    }
}

impl Default for Lanyard {
    fn default() -> Self {
        Self::new()
    }
}

/// One SHA-256 and one HMAC-SHA256 over inputs as long as SigV4's.
pub struct Floor {
    canonical_request: Vec<u8>,
    string_to_sign: Vec<u8>,
    key: [u8; 32],
}

impl Floor {
    /// Sized after `url`, a presigned URL for `host` (its signature last).
    pub fn sized_like(url: &str) -> Self {
        let (canonical, to_sign) = sigv4_lengths(url);
        Self {
            canonical_request: vec![b'a'; canonical],
            string_to_sign: vec![b'b'; to_sign],
            key: [7; 32],
        }
    }

    pub fn lengths(&self) -> (usize, usize) {
        (self.canonical_request.len(), self.string_to_sign.len())
    }

    pub fn run(&self) -> [u8; 32] {
        let hash = Sha256::digest(std::hint::black_box(&self.canonical_request));
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(&self.string_to_sign);
        std::hint::black_box(hash);
        mac.finalize().into_bytes().into()
    }
}

/// The lengths of the canonical request and the string to sign behind a
/// presigned GET URL that signs only the `host` header.
fn sigv4_lengths(url: &str) -> (usize, usize) {
    let rest = url.split_once("://").expect("absolute URL").1;
    let (host, path_query) = rest.split_at(rest.find('/').expect("a path"));
    let (path, query) = path_query.split_once('?').expect("a query");
    let query = &query[..query.rfind("&X-Amz-Signature=").expect("signed")];
    // GET\n path\n query\n host:…\n \n host\n UNSIGNED-PAYLOAD
    let canonical = 4 + path.len() + 1 + query.len() + 1 + 5 + host.len() + 2 + 5 + 16;
    // algorithm\n date-time\n date/region/s3/aws4_request\n hex(hash)
    let to_sign = 17 + 17 + 8 + 1 + REGION.len() + 17 + 1 + 64;
    (canonical, to_sign)
}

/// aws-sdk-s3's presigner, configured like Lanyard's.
pub struct Aws {
    client: aws_sdk_s3::Client,
    runtime: tokio::runtime::Runtime,
}

impl Aws {
    pub fn new() -> Self {
        use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(Credentials::new(
                ACCESS_KEY_ID,
                SECRET_ACCESS_KEY,
                None,
                None,
                "bench",
            ))
            .endpoint_url(ENDPOINT)
            .force_path_style(true)
            .build();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime");
        Self {
            client: aws_sdk_s3::Client::from_conf(config),
            runtime,
        }
    }

    /// One thumbnail URL with the same key, lifetime and overrides.
    pub fn presign(&self, photo: &Photo) -> String {
        use aws_sdk_s3::presigning::PresigningConfig;
        let config = PresigningConfig::builder()
            .start_time(photo.now)
            .expires_in(TTL)
            .build()
            .expect("a valid presigning config");
        let request = self.runtime.block_on(
            self.client
                .get_object()
                .bucket(BUCKET)
                .key(&photo.key)
                .response_cache_control(CACHE_CONTROL)
                .response_expires(aws_sdk_s3::primitives::DateTime::from(photo.now + TTL))
                .presigned(config),
        );
        request
            .expect("presigning never fails here")
            .uri()
            .to_owned()
    }
}

impl Default for Aws {
    fn default() -> Self {
        Self::new()
    }
}
