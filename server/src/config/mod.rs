//! Lanyard's one typed configuration, read from flags and the environment.
//!
//! Every setting is a `--flag` and an environment variable (the flag wins).
//! The object store uses AWS's own variable names, so pointing Lanyard at any
//! S3-compatible endpoint changes nothing but the environment. Values are
//! checked here, once, so the rest of the server can trust them.

use clap::{builder::BoolishValueParser, ArgAction, Parser};
use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// SigV4 refuses presigned URLs that live longer than seven days.
pub const MAX_URL_TTL_SECS: u64 = 7 * 24 * 60 * 60;

/// The fewest people the demo seed can build a believable company from.
pub const MIN_SEED_PEOPLE: usize = 20;
/// The most people the demo seed will generate.
pub const MAX_SEED_PEOPLE: usize = 1_000_000;

/// The largest upload the server accepts: it holds one upload in memory
/// while checking it, so this also bounds that memory.
pub const MAX_UPLOAD_BYTES: u64 = 100 * 1024 * 1024;
/// The most pixels a photo may have: decoding takes 3–4 bytes per pixel.
pub const MAX_PHOTO_PIXELS: u64 = 100_000_000;
/// The largest "shortest side" a photo may be required to have.
pub const MAX_PHOTO_MIN_SIDE: u32 = 4096;

/// Lanyard: an employee directory with photos in a private S3 bucket.
#[derive(Clone, Parser)]
#[command(name = "lanyard", version, about, long_about = None)]
pub struct Config {
    /// Address the web server listens on (port 0 picks a free port).
    #[arg(long, env = "LANYARD_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Folder for the SQLite database, the embedded store's objects and generated credentials.
    #[arg(long, env = "LANYARD_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// SQLite database URL [default: sqlite://<data dir>/lanyard.db].
    #[arg(long, env = "LANYARD_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Folder holding the built SPA (Trunk's `dist`).
    #[arg(long, env = "LANYARD_SPA_DIR", default_value = "./dist")]
    pub spa_dir: PathBuf,

    /// The app's origin(s) as browsers see them, comma-separated; the embedded
    /// store's CORS allows them [default: http://localhost:<port> and http://127.0.0.1:<port>].
    #[arg(long, env = "LANYARD_PUBLIC_URL", value_delimiter = ',')]
    pub public_url: Vec<String>,

    /// The company's name, written into contact cards ("Add to contacts").
    #[arg(long, env = "LANYARD_ORGANIZATION", default_value = "")]
    pub organization: String,

    /// Proxies (CIDRs or addresses, comma-separated) whose `Forwarded` /
    /// `X-Forwarded-For` name the client; by default nobody's are believed.
    #[arg(long, env = "LANYARD_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,

    /// This replica's name in the `x-lanyard-replica` header of every answer
    /// and in its metrics [default: <host name>:<port>].
    #[arg(long, env = "LANYARD_REPLICA_NAME")]
    pub replica_name: Option<String>,

    /// Bucket holding the photos.
    #[arg(long, env = "LANYARD_BUCKET", default_value = "lanyard-photos")]
    pub bucket: String,

    /// Access key for the store [embedded store: generated on first start into <data dir>/s3-credentials].
    #[arg(long, env = "AWS_ACCESS_KEY_ID")]
    pub aws_access_key_id: Option<String>,

    /// Secret key for the store [embedded store: generated on first start].
    #[arg(long, env = "AWS_SECRET_ACCESS_KEY", hide_env_values = true)]
    pub aws_secret_access_key: Option<SecretString>,

    /// Temporary credentials' session token, signed into every URL.
    #[arg(long, env = "AWS_SESSION_TOKEN", hide_env_values = true)]
    pub aws_session_token: Option<SecretString>,

    /// When the environment's credentials expire (RFC 3339), when the tool
    /// that set them says: no URL is signed to outlive them.
    #[arg(long, env = "AWS_CREDENTIAL_EXPIRATION")]
    pub aws_credential_expiration: Option<String>,

    /// A shared credentials file to read the keys from (without
    /// AWS_ACCESS_KEY_ID), read again whenever it changes: how rotated
    /// temporary credentials reach Lanyard.
    #[arg(long, env = "AWS_SHARED_CREDENTIALS_FILE")]
    pub aws_shared_credentials_file: Option<PathBuf>,

    /// The profile of that file.
    #[arg(long, env = "AWS_PROFILE", default_value = "default")]
    pub aws_profile: String,

    /// Region the store signs for.
    #[arg(long, env = "AWS_REGION", default_value = "us-east-1")]
    pub aws_region: String,

    /// S3 endpoint the server uses; unset starts the embedded store.
    #[arg(long, env = "AWS_ENDPOINT_URL_S3")]
    pub aws_endpoint_url_s3: Option<String>,

    /// S3 endpoint as browsers reach it; its host is signed into every URL [default: the endpoint].
    #[arg(long, env = "LANYARD_S3_PUBLIC_URL")]
    pub s3_public_url: Option<String>,

    /// Path-style bucket addressing (`host/bucket/key`) instead of virtual-host style.
    #[arg(long, env = "LANYARD_S3_PATH_STYLE", default_value = "true", action = ArgAction::Set, value_parser = BoolishValueParser::new())]
    pub s3_path_style: bool,

    /// Address of the embedded store (port 0 picks a free port).
    #[arg(
        long,
        env = "LANYARD_EMBEDDED_S3_ADDR",
        default_value = "127.0.0.1:9000"
    )]
    pub embedded_s3_addr: SocketAddr,

    /// Lifetime of directory thumbnail URLs, in seconds (1..=604800).
    #[arg(long = "thumb-ttl", env = "LANYARD_THUMB_TTL", default_value = "3600", value_parser = parse_ttl)]
    pub thumb_ttl: Duration,

    /// Lifetime of profile photo URLs, in seconds (1..=604800).
    #[arg(long = "profile-ttl", env = "LANYARD_PROFILE_TTL", default_value = "1200", value_parser = parse_ttl)]
    pub profile_ttl: Duration,

    /// Photo URLs are signed at the start of windows this fraction of their
    /// lifetime long (0 < f <= 0.5), so every request in one window gets the
    /// byte-identical URL and the browser's cache hits.
    #[arg(long = "url-window-fraction", env = "LANYARD_URL_WINDOW_FRACTION", default_value = "0.125", value_parser = parse_window_fraction)]
    pub url_window_fraction: f64,

    /// The largest photo upload, in bytes (at most 104857600).
    #[arg(long, env = "LANYARD_UPLOAD_MAX_BYTES", default_value = "10485760", value_parser = parse_upload_max_bytes)]
    pub upload_max_bytes: u64,

    /// Lifetime of a presigned upload (PUT) URL, in seconds (1..=604800).
    #[arg(long = "upload-ttl", env = "LANYARD_UPLOAD_TTL", default_value = "300", value_parser = parse_ttl)]
    pub upload_ttl: Duration,

    /// Lifetime of the photo URLs in HR's review queue, in seconds (1..=604800).
    #[arg(long = "review-ttl", env = "LANYARD_REVIEW_TTL", default_value = "300", value_parser = parse_ttl)]
    pub review_ttl: Duration,

    /// Uploads never completed are deleted (row and objects) once their last
    /// upload URL has been expired this many seconds.
    #[arg(long = "upload-sweep-after", env = "LANYARD_UPLOAD_SWEEP_AFTER", default_value = "3600", value_parser = parse_sweep_after)]
    pub upload_sweep_after: Duration,

    /// The shortest side a photo may have, in pixels.
    #[arg(long, env = "LANYARD_PHOTO_MIN_SIDE", default_value = "128", value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_PHOTO_MIN_SIDE)))]
    pub photo_min_side: u32,

    /// The most pixels (width × height) a photo may have (at most 100000000).
    #[arg(long, env = "LANYARD_PHOTO_MAX_PIXELS", default_value = "40000000", value_parser = clap::value_parser!(u64).range(1..=MAX_PHOTO_PIXELS))]
    pub photo_max_pixels: u64,

    /// Server-side encryption asked of the store on uploads: `none` or `AES256`.
    #[arg(long, env = "LANYARD_S3_SSE", value_enum, default_value = "none")]
    pub s3_sse: ServerSideEncryption,

    /// Seed a demo company into an empty database on start.
    #[arg(long, env = "LANYARD_SEED", value_enum, default_value = "demo")]
    pub seed: SeedMode,

    /// How many people the demo seed creates (100000 for scale work).
    #[arg(long, env = "LANYARD_SEED_PEOPLE", default_value = "320", value_parser = parse_seed_people)]
    pub seed_people: usize,

    /// Password of the demo accounts [default: generated on first seed into <data dir>/demo-password].
    #[arg(long, env = "LANYARD_DEMO_PASSWORD", hide_env_values = true)]
    pub demo_password: Option<SecretString>,

    /// Mark the session cookie `Secure` (and name it `__Host-lanyard_session`)
    /// [default: on when every LANYARD_PUBLIC_URL is https://].
    #[arg(long, env = "LANYARD_SECURE_COOKIES", action = ArgAction::Set, value_parser = BoolishValueParser::new())]
    pub secure_cookies: Option<bool>,

    /// Sign a session out after this many minutes without a request.
    #[arg(long, env = "LANYARD_SESSION_IDLE_MINUTES", default_value = "480", value_parser = clap::value_parser!(u32).range(1..=43_200))]
    pub session_idle_minutes: u32,

    /// Sign a session out this many hours after signing in, however busy.
    #[arg(long, env = "LANYARD_SESSION_MAX_HOURS", default_value = "168", value_parser = clap::value_parser!(u32).range(1..=8_760))]
    pub session_max_hours: u32,
    /// Benchmarks only (scripts/bench-replicas.sh): no shared limits, no
    /// scraping counts, sessions read from this process's memory once
    /// seen, and answers sent without waiting for their audit entries.
    /// What the shared state costs is measured against this; never set it
    /// in production (a sign-out would not reach other replicas, limits
    /// would not hold, a crash could lose audit entries).
    #[arg(long, env = "LANYARD_BENCH_RELAXED", hide = true, action = ArgAction::Set, value_parser = BoolishValueParser::new(), default_value = "false")]
    pub bench_relaxed: bool,

    #[command(flatten)]
    pub limits: limits::LimitSettings,

    #[command(flatten)]
    pub sign_in: sign_in::SignInSettings,
}

// Hand-written so secrets never reach a log through `{:?}`: `SecretString`
// already redacts, but this also keeps the field list honest in one place.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(crate::db::redact),
            )
            .field("spa_dir", &self.spa_dir)
            .field("public_url", &self.public_url)
            .field("organization", &self.organization)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("replica_name", &self.replica_name)
            .field("bucket", &self.bucket)
            .field("aws_access_key_id", &self.aws_access_key_id)
            .field("aws_credential_expiration", &self.aws_credential_expiration)
            .field(
                "aws_shared_credentials_file",
                &self.aws_shared_credentials_file,
            )
            .field("aws_profile", &self.aws_profile)
            .field("aws_region", &self.aws_region)
            .field("aws_endpoint_url_s3", &self.aws_endpoint_url_s3)
            .field("s3_public_url", &self.s3_public_url)
            .field("s3_path_style", &self.s3_path_style)
            .field("embedded_s3_addr", &self.embedded_s3_addr)
            .field("thumb_ttl", &self.thumb_ttl)
            .field("profile_ttl", &self.profile_ttl)
            .field("url_window_fraction", &self.url_window_fraction)
            .field("upload_max_bytes", &self.upload_max_bytes)
            .field("upload_ttl", &self.upload_ttl)
            .field("review_ttl", &self.review_ttl)
            .field("upload_sweep_after", &self.upload_sweep_after)
            .field("photo_min_side", &self.photo_min_side)
            .field("photo_max_pixels", &self.photo_max_pixels)
            .field("s3_sse", &self.s3_sse)
            .field("seed", &self.seed)
            .field("seed_people", &self.seed_people)
            .field("secure_cookies", &self.secure_cookies)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_max_hours", &self.session_max_hours)
            .field("bench_relaxed", &self.bench_relaxed)
            .field("limits", &self.limits)
            .field("sign_in", &self.sign_in)
            .finish_non_exhaustive()
    }
}

/// A setting that cannot work, found before anything starts.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} must be between 1 and {MAX_URL_TTL_SECS} seconds (7 days), got {secs}")]
    Ttl { name: &'static str, secs: u64 },
    #[error("the URL signing window (LANYARD_URL_WINDOW_FRACTION) must be above 0 and at most 0.5 of the lifetime, got {0}")]
    WindowFraction(f64),
    #[error("--seed-people must be between {MIN_SEED_PEOPLE} and {MAX_SEED_PEOPLE}, got {0}")]
    SeedPeople(usize),
    #[error("the upload size limit (LANYARD_UPLOAD_MAX_BYTES) must be between 1 and {MAX_UPLOAD_BYTES} bytes, got {0}")]
    UploadMaxBytes(u64),
    #[error("the sweep age (LANYARD_UPLOAD_SWEEP_AFTER) must be at least a second, got {0:?}")]
    SweepAfter(Duration),
    #[error("photo limits do not fit together: LANYARD_PHOTO_MIN_SIDE {min_side} (1..={MAX_PHOTO_MIN_SIDE}) squared must be at most LANYARD_PHOTO_MAX_PIXELS {max_pixels} (at most {MAX_PHOTO_PIXELS})")]
    PhotoLimits { min_side: u32, max_pixels: u64 },
    #[error("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together")]
    HalfCredentials,
    #[error(
        "AWS_ENDPOINT_URL_S3 is set, so AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_SHARED_CREDENTIALS_FILE) are required"
    )]
    MissingCredentials,
    #[error("sign-in settings: {0}")]
    SignIn(String),
}

impl Config {
    /// A configuration for tests: everything on loopback port 0, data under
    /// `data_dir`, the embedded store, a small demo seed with a known password.
    pub fn for_tests(data_dir: impl Into<PathBuf>, demo_password: &str) -> Self {
        let data_dir = data_dir.into();
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            spa_dir: data_dir.join("dist"),
            data_dir,
            database_url: None,
            public_url: Vec::new(),
            organization: String::new(),
            trusted_proxies: Vec::new(),
            replica_name: None,
            bucket: "lanyard-photos".into(),
            aws_access_key_id: None,
            aws_secret_access_key: None,
            aws_session_token: None,
            aws_credential_expiration: None,
            aws_shared_credentials_file: None,
            aws_profile: "default".into(),
            aws_region: "us-east-1".into(),
            aws_endpoint_url_s3: None,
            s3_public_url: None,
            s3_path_style: true,
            embedded_s3_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            thumb_ttl: Duration::from_secs(3600),
            profile_ttl: Duration::from_secs(1200),
            url_window_fraction: DEFAULT_WINDOW_FRACTION,
            upload_max_bytes: 10 * 1024 * 1024,
            upload_ttl: Duration::from_secs(300),
            review_ttl: Duration::from_secs(300),
            upload_sweep_after: Duration::from_secs(3600),
            photo_min_side: 128,
            photo_max_pixels: 40_000_000,
            s3_sse: ServerSideEncryption::None,
            seed: SeedMode::Demo,
            seed_people: 40,
            demo_password: Some(SecretString::from(demo_password)),
            secure_cookies: None,
            session_idle_minutes: 480,
            session_max_hours: 168,
            bench_relaxed: false,
            limits: limits::LimitSettings::default(),
            sign_in: sign_in::SignInSettings::default(),
        }
    }

    /// Checks what clap cannot see: values set by code (tests) and settings
    /// that only make sense together.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_ttl("thumbnail URL lifetime (LANYARD_THUMB_TTL)", self.thumb_ttl)?;
        check_ttl(
            "profile URL lifetime (LANYARD_PROFILE_TTL)",
            self.profile_ttl,
        )?;
        check_ttl("upload URL lifetime (LANYARD_UPLOAD_TTL)", self.upload_ttl)?;
        check_ttl("review URL lifetime (LANYARD_REVIEW_TTL)", self.review_ttl)?;
        if !(1..=MAX_UPLOAD_BYTES).contains(&self.upload_max_bytes) {
            return Err(ConfigError::UploadMaxBytes(self.upload_max_bytes));
        }
        if self.upload_sweep_after < Duration::from_secs(1) {
            return Err(ConfigError::SweepAfter(self.upload_sweep_after));
        }
        let min_side_ok = (1..=MAX_PHOTO_MIN_SIDE).contains(&self.photo_min_side);
        let max_pixels_ok = (1..=MAX_PHOTO_PIXELS).contains(&self.photo_max_pixels);
        let square = u64::from(self.photo_min_side).pow(2);
        if !min_side_ok || !max_pixels_ok || square > self.photo_max_pixels {
            return Err(ConfigError::PhotoLimits {
                min_side: self.photo_min_side,
                max_pixels: self.photo_max_pixels,
            });
        }
        if !window_fraction_ok(self.url_window_fraction) {
            return Err(ConfigError::WindowFraction(self.url_window_fraction));
        }
        if !(MIN_SEED_PEOPLE..=MAX_SEED_PEOPLE).contains(&self.seed_people) {
            return Err(ConfigError::SeedPeople(self.seed_people));
        }
        self.sign_in.check().map_err(ConfigError::SignIn)?;
        match (&self.aws_access_key_id, &self.aws_secret_access_key) {
            (Some(_), None) | (None, Some(_)) => Err(ConfigError::HalfCredentials),
            (None, None)
                if self.aws_endpoint_url_s3.is_some()
                    && self.aws_shared_credentials_file.is_none() =>
            {
                Err(ConfigError::MissingCredentials)
            }
            _ => Ok(()),
        }
    }

    /// The SQLite URL, defaulting to `lanyard.db` in the data folder.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("lanyard.db").display()),
        }
    }

    /// Where the embedded store keeps its buckets.
    pub fn embedded_s3_root(&self) -> PathBuf {
        self.data_dir.join("s3")
    }

    /// The file holding the embedded store's generated credentials.
    pub fn s3_credentials_file(&self) -> PathBuf {
        self.data_dir.join("s3-credentials")
    }

    /// The file holding the generated demo password.
    pub fn demo_password_file(&self) -> PathBuf {
        self.data_dir.join("demo-password")
    }

    /// Whether the session cookie is `Secure`: as set, else whether every
    /// public URL is `https://` (an `http://` one would never get it back).
    pub fn use_secure_cookies(&self) -> bool {
        let tls = |url: &String| url.trim().to_ascii_lowercase().starts_with("https://");
        let all_tls = !self.public_url.is_empty() && self.public_url.iter().all(tls);
        self.secure_cookies.unwrap_or(all_tls)
    }

    /// Whether the server starts its own store.
    pub fn uses_embedded_store(&self) -> bool {
        self.aws_endpoint_url_s3.is_none()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

fn check_ttl(name: &'static str, ttl: Duration) -> Result<(), ConfigError> {
    let secs = ttl.as_secs();
    if ttl.subsec_nanos() != 0 || !(1..=MAX_URL_TTL_SECS).contains(&secs) {
        return Err(ConfigError::Ttl { name, secs });
    }
    Ok(())
}

/// The default signing window: an eighth of a URL's lifetime, so a URL handed
/// out is always good for at least 7/8 of its lifetime.
pub const DEFAULT_WINDOW_FRACTION: f64 = 0.125;

/// Above half, a URL could be handed out with less than half its lifetime
/// left, and the SPA's renewal at 80 % of the lifetime could land in the same
/// window and get the same URL back.
fn window_fraction_ok(fraction: f64) -> bool {
    fraction > 0.0 && fraction <= lanyard_wire::MAX_URL_WINDOW_FRACTION
}

fn parse_window_fraction(value: &str) -> Result<f64, String> {
    let fraction: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a number like 0.125"))?;
    if !window_fraction_ok(fraction) {
        return Err(format!("{value} must be above 0 and at most 0.5"));
    }
    Ok(fraction)
}

/// `value` as a whole number of `unit`s, or a message saying it is not one.
fn whole_number(value: &str, unit: &str) -> Result<u64, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a whole number of {unit}"))
}

/// Parses a URL lifetime in whole seconds, refusing 0 and anything SigV4 refuses.
fn parse_ttl(value: &str) -> Result<Duration, String> {
    let secs = whole_number(value, "seconds")?;
    if !(1..=MAX_URL_TTL_SECS).contains(&secs) {
        return Err(format!(
            "{secs} is out of range: URL lifetimes are 1 to {MAX_URL_TTL_SECS} seconds (7 days)"
        ));
    }
    Ok(Duration::from_secs(secs))
}

fn parse_upload_max_bytes(value: &str) -> Result<u64, String> {
    let bytes = whole_number(value, "bytes")?;
    if !(1..=MAX_UPLOAD_BYTES).contains(&bytes) {
        return Err(format!(
            "{bytes} is out of range: uploads are 1 to {MAX_UPLOAD_BYTES} bytes"
        ));
    }
    Ok(bytes)
}

/// Parses the sweep age in whole seconds (at least one).
fn parse_sweep_after(value: &str) -> Result<Duration, String> {
    let secs = whole_number(value, "seconds")?;
    if secs == 0 {
        return Err("the sweep age must be at least 1 second".to_owned());
    }
    Ok(Duration::from_secs(secs))
}

fn parse_seed_people(value: &str) -> Result<usize, String> {
    let n: usize = value
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a whole number"))?;
    if !(MIN_SEED_PEOPLE..=MAX_SEED_PEOPLE).contains(&n) {
        return Err(format!(
            "{n} is out of range: seed between {MIN_SEED_PEOPLE} and {MAX_SEED_PEOPLE} people"
        ));
    }
    Ok(n)
}

mod choices;
pub mod limits;
/// Single sign-on, the password form, one-time links.
pub mod sign_in;
pub use choices::{SeedMode, ServerSideEncryption};
#[cfg(test)]
mod tests;
