//! Building and running the whole server: database, object store, demo
//! data, HTTP listener.
//!
//! [`Application::build`] does everything that can fail before the first
//! request (so a bad setting stops the start with a clear error) and binds
//! the listener, so the port is known (port 0 picks a free one) before
//! [`Application::run_until_stopped`] serves.

use crate::audit::AuditLog;
use crate::auth::{self, Credentials, SessionMaxAge, Sessions};
use crate::config::Config;
use crate::db::Db;
use crate::demo::{self, DemoInfo};
use crate::security::csp::ContentSecurityPolicy;
use crate::security::forwarded::TrustedProxies;
use crate::state::AppState;
use crate::storage::photo_urls::PhotoSigner;
use crate::storage::settings::store_settings;
use crate::storage::{EmbeddedS3, ObjectStore};
use crate::uploads::{UploadSettings, Uploads};
use crate::{background, routes, secrets};
use anyhow::Context as _;
use axum::serve::ListenerExt as _;
use axum::Router;
use secrecy::ExposeSecret as _;
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A built server, listening but not yet serving.
pub struct Application {
    listener: TcpListener,
    local_addr: SocketAddr,
    router: Router,
    db: Db,
    embedded: Option<EmbeddedS3>,
    store_endpoint: String,
    data_dir: PathBuf,
    demo: DemoInfo,
    uploads: Uploads,
    sweeper: background::Running,
    /// Reads rotated store credentials (a shared credentials file).
    credential_watch: JoinHandle<()>,
    audit: AuditLog,
    audit_writer: JoinHandle<()>,
    limits: crate::limits::Background,
}

impl Application {
    /// Opens the database (migrating it), starts the embedded store unless
    /// `AWS_ENDPOINT_URL_S3` is set, seeds an empty database, binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        config.validate()?;
        create_data_dir(&config.data_dir)?;

        let db = Db::connect(&config.database_url()).await?;
        // Small moves of the idle expiry are not written (see session_store).
        let session_store = Sessions::new(&db)
            .with_idle_expiry(time::Duration::minutes(i64::from(
                config.session_idle_minutes,
            )))
            .relaxed(config.bench_relaxed);

        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("could not listen on {}", config.addr))?;
        let local_addr = listener
            .local_addr()
            .context("could not read the address")?;

        let (settings, embedded) = store_settings(&config, local_addr).await?;
        let store_endpoint = settings.endpoint.clone();
        let store = Arc::new(
            ObjectStore::new(&settings)
                .context("invalid S3 settings")?
                .with_server_side_encryption(config.s3_sse.header_value()),
        );
        let credential_watch = watch_credentials(store.clone());
        let replica = replica_name(&config, local_addr);
        let hardening = routes::Hardening {
            csp: ContentSecurityPolicy::new(vec![store.browser_presigner().origin().to_owned()])?,
            session_max_age: SessionMaxAge(Duration::from_secs(
                u64::from(config.session_max_hours) * 3600,
            )),
            proxies: TrustedProxies::parse(&config.trusted_proxies).map_err(anyhow::Error::msg)?,
            replica: replica_header(&replica)?,
        };

        let demo = demo::prepare(&config, &db, &store).await?;

        let uploads = Uploads::new(
            db.clone(),
            store.clone(),
            UploadSettings::from_config(&config),
        );
        let (audit, audit_writer) = AuditLog::spawn(db.clone());
        let audit = audit.relaxed(config.bench_relaxed);
        let limits =
            crate::limits::Limits::new(db.clone(), &config.limits).relaxed(config.bench_relaxed);
        if config.bench_relaxed {
            tracing::warn!(
                "LANYARD_BENCH_RELAXED: limits, sign-outs and audit durability do not hold                  across replicas (for benchmarks only)"
            );
        }
        let limits_metrics = limits.metrics().clone();
        let limits_background = limits.start(config.limits.metrics_addr).await?;
        let review_photos = PhotoSigner::new(store.clone(), config.review_ttl, config.review_ttl)
            .with_window_fraction(config.url_window_fraction);
        let state = AppState {
            db: db.clone(),
            review_photos,
            photos: PhotoSigner::new(store, config.thumb_ttl, config.profile_ttl)
                .with_window_fraction(config.url_window_fraction),
            credentials: Credentials::new()?,
            sign_in: auth::SignIn::from_config(
                &config,
                &format!("http://{}", loopback_if_unspecified(local_addr)),
            )?,
            uploads: uploads.clone(),
            audit: audit.clone(),
            limits,
            organization: crate::state::Organization(config.organization.trim().into()),
        };
        let idle = time::Duration::minutes(i64::from(config.session_idle_minutes));
        let sessions =
            auth::session_layer(session_store.clone(), config.use_secure_cookies(), idle);
        let router = routes::app(state, sessions, config.spa_dir.clone(), hardening);

        // One replica at a time sweeps (a lease in the database).
        let sweeper = background::Sweeper {
            db: db.clone(),
            uploads: uploads.clone(),
            sessions: session_store,
            metrics: limits_metrics,
            holder: format!("{replica}#{}", secrets::random_token(6)),
            sightings_kept: config.limits.scraping_window + crate::limits::scraping::NOTE_EVERY,
        }
        .spawn();

        Ok(Self {
            listener,
            local_addr,
            router,
            db,
            embedded,
            store_endpoint,
            data_dir: config.data_dir,
            demo,
            uploads,
            sweeper,
            credential_watch,
            audit,
            audit_writer,
            limits: limits_background,
        })
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.local_addr.port()
    }

    /// The URL to open, e.g. `http://127.0.0.1:8080`.
    pub fn address(&self) -> String {
        format!("http://{}", loopback_if_unspecified(self.local_addr))
    }

    /// Where the server reaches the object store.
    pub fn store_endpoint(&self) -> &str {
        &self.store_endpoint
    }

    /// The database (tests use it to arrange data).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Own-photo uploads (tests drive the sweeper and read the store through it).
    pub fn uploads(&self) -> &Uploads {
        &self.uploads
    }

    /// The buffered audit log (tests flush it before reading the log).
    pub fn audit(&self) -> &AuditLog {
        &self.audit
    }

    /// Where `GET /metrics` is served (`LANYARD_METRICS_ADDR`), if anywhere.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.limits.metrics_addr()
    }

    /// The demo accounts and their password.
    pub fn demo(&self) -> &DemoInfo {
        &self.demo
    }

    /// What to print at start: the address, the demo accounts, the store,
    /// the data folder. (Printed to stdout, for the person who started it.)
    pub fn banner(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(text, "Lanyard is running at {}", self.address());
        if !self.demo.accounts.is_empty() {
            let password = match &self.demo.password {
                Some(p) => p.expose_secret().to_owned(),
                None => "as LANYARD_DEMO_PASSWORD was when the data was seeded".to_owned(),
            };
            let _ = writeln!(text, "  Demo accounts (password: {password}):");
            for account in &self.demo.accounts {
                let _ = writeln!(text, "    {account}");
            }
        }
        let kind = if self.embedded.is_some() {
            "embedded S3 store"
        } else {
            "S3 store"
        };
        let _ = writeln!(text, "  Photos: {kind} at {}", self.store_endpoint);
        let _ = writeln!(text, "  Data folder: {}", display_path(&self.data_dir));
        if let Some(addr) = self.metrics_addr() {
            let _ = writeln!(text, "  Metrics (operators only): http://{addr}/metrics");
        }
        if self.demo.seeded_people > 0 {
            let _ = writeln!(
                text,
                "  Seeded {} demo people on this first start.",
                self.demo.seeded_people
            );
        }
        let _ = writeln!(text, "Press Ctrl-C to stop.");
        text
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes open requests, stops
    /// the embedded store and closes the database.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        // With the peer's address, which the audit log records (`ClientIp`).
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        // TCP_NODELAY: a response written in several pieces (ServeDir sends
        // a 64 KiB file as chunks) otherwise waits out the client's delayed
        // ACK after its first piece: 43 ms for every static file on a kept-
        // alive connection, measured by `bash scripts/bench-directory.sh`
        // with BENCH_CONNECTIONS=1 (the SPA's bundles are such files).
        let listener = self.listener.tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::debug!(%error, "could not set TCP_NODELAY");
            }
        });
        let served = axum::serve(listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("the HTTP server failed");
        tracing::info!("shutting down");
        // Safe at any point: see `background`.
        self.sweeper.stop().await;
        self.credential_watch.abort();
        self.limits.stop();
        // Open requests are finished: what they recorded is written before
        // the database closes.
        self.audit.flush().await;
        self.audit_writer.abort();
        if let Some(embedded) = self.embedded {
            embedded.shutdown().await;
        }
        self.db.close().await;
        served
    }
}

/// Creates the data folder (and missing parents) readable by the owner
/// only: the database in it holds live session ids and password hashes, and
/// the embedded store's objects sit beside it. A folder that already exists
/// keeps its permissions, since the operator chose them.
fn create_data_dir(path: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder
        .create(path)
        .with_context(|| format!("could not create the data folder {}", path.display()))
}

/// How often the shared credentials file is looked at for a rotation.
const CREDENTIALS_CHECK: Duration = Duration::from_secs(15);

/// Re-reads the store's credentials file whenever it changes, so new
/// temporary credentials are used before the old ones expire (a refusal
/// also triggers a read: see `ObjectStore::refresh`).
fn watch_credentials(store: Arc<ObjectStore>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(CREDENTIALS_CHECK);
        loop {
            ticks.tick().await;
            if let Err(error) = store.refresh(false) {
                tracing::error!(%error, "could not read the store's rotated credentials");
            }
        }
    })
}

/// `LANYARD_REPLICA_NAME`, else this machine's host name and the port.
pub fn replica_name(config: &Config, addr: SocketAddr) -> String {
    config.replica_name.clone().unwrap_or_else(|| {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_owned())
            .unwrap_or_else(|_| "lanyard".to_owned());
        format!("{host}:{}", addr.port())
    })
}

fn replica_header(name: &str) -> anyhow::Result<axum::http::HeaderValue> {
    axum::http::HeaderValue::from_str(name)
        .map_err(|_| anyhow::anyhow!("LANYARD_REPLICA_NAME {name:?} cannot be a header value"))
}

fn loopback_if_unspecified(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

fn display_path(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_data_folder_is_private_to_its_owner() {
        // Regression: it was created 0755, so anyone on the machine could
        // read the session ids in the database and take over a session.
        let parent = tempfile::tempdir().unwrap();
        let data = parent.path().join("a").join("data");
        create_data_dir(&data).unwrap();
        create_data_dir(&data).unwrap(); // a second start reuses it
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&data).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
    }

    #[test]
    fn unspecified_addresses_print_as_loopback() {
        let addr: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(loopback_if_unspecified(addr).to_string(), "127.0.0.1:8080");
    }
}
