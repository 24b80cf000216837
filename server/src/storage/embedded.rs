//! The embedded S3 store: s3s-fs on its own loopback port, for running
//! Lanyard with no S3 service at hand.
//!
//! It behaves like S3 where Lanyard depends on it: it verifies SigV4
//! signatures (header and presigned), expiry and every signed header, and
//! answers 403 otherwise. What it lacks is added here:
//! - CORS: s3s answers `OPTIONS` with 501, so each connection's service is
//!   wrapped in a [`CorsLayer`] allowing the app's origins;
//! - its own listener: the path is part of the signature, so the store
//!   cannot be mounted under a prefix of the app's router;
//! - the bucket: a bucket is a folder under the root, created here;
//! - a clean delete: s3s-fs leaves, per deleted object, its
//!   `.bucket-….object-….metadata.json` and `.internal.json` (the names are
//!   the bucket and key in base64) and the key's now-empty folders, so an
//!   erased photo's version id would stay on disk; [`tidy_after_delete`]
//!   removes them (see [`traces`]).
//!
//! s3s logs every 4xx answer at ERROR (targets `s3s::ops` and
//! `s3s::service`; the latter also logs requests, presigned query strings
//! included, at DEBUG). A 403 for an expired URL is routine, so the app
//! filters the `s3s` target; server errors (5xx) are logged here instead,
//! under this module's target.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use http::{header, HeaderName, HeaderValue, Method};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use secrecy::{ExposeSecret, SecretString};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};
use tower::{Layer, ServiceExt};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::keys::validate_bucket_name;
use super::StorageError;

/// How long browsers may cache a CORS preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(3600);
/// How long `shutdown` lets in-flight requests finish before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A running embedded store. Dropping it stops accepting connections;
/// [`EmbeddedS3::shutdown`] also waits for open ones to finish.
#[derive(Debug)]
pub struct EmbeddedS3 {
    local_addr: SocketAddr,
    stop: oneshot::Sender<()>,
    server: JoinHandle<()>,
}

impl EmbeddedS3 {
    /// Serves s3s-fs rooted at `root` (bucket = sub-folder, created if
    /// missing) on `addr` (port 0 picks a free port), verifying SigV4 with
    /// (`access_key`, `secret`); CORS allows `allowed_origins` (e.g.
    /// `http://localhost:8080`; a trailing `/` is ignored).
    pub async fn start(
        root: PathBuf,
        addr: SocketAddr,
        bucket: &str,
        access_key: &str,
        secret: &SecretString,
        allowed_origins: Vec<String>,
    ) -> Result<EmbeddedS3, StorageError> {
        validate_bucket_name(bucket)?;
        let cors = cors_layer(&allowed_origins)?;

        tokio::fs::create_dir_all(root.join(bucket))
            .await
            .map_err(|e| embedded_error("cannot create the bucket folder", e))?;
        // s3s_fs::Error implements neither Display nor Error: keep its Debug text.
        let fs = s3s_fs::FileSystem::new(&root)
            .map_err(|e| embedded_error("cannot open the store's folder", format!("{e:?}")))?;
        let mut builder = S3ServiceBuilder::new(fs);
        builder.set_auth(SimpleAuth::from_single(access_key, secret.expose_secret()));
        let inner = ServiceExt::<http::Request<Incoming>>::map_response(
            cors.layer(builder.build()),
            log_server_errors,
        );
        let service = TidyAfterDelete {
            inner,
            root: std::sync::Arc::new(root.clone()),
        };

        let listener = TcpListener::bind(addr)
            .await
            .map_err(|e| embedded_error("cannot listen on its address", e))?;
        let local_addr = listener
            .local_addr()
            .map_err(|e| embedded_error("cannot read its address", e))?;
        let (stop, stopped) = oneshot::channel();
        let server = tokio::spawn(serve(listener, service, stopped));
        tracing::debug!(%local_addr, root = %root.display(), bucket, "embedded S3 store started");
        Ok(EmbeddedS3 {
            local_addr,
            stop,
            server,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://IP:PORT`; an unspecified bind address (`0.0.0.0`, `::`) is
    /// reported as the loopback address of the same family.
    pub fn endpoint(&self) -> String {
        let ip = match self.local_addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.local_addr.port()))
    }

    /// Stops accepting connections, lets in-flight requests finish (up to a
    /// few seconds) and closes idle keep-alive connections.
    pub async fn shutdown(self) {
        // An Err means the server task is gone already: nothing to stop.
        let _ = self.stop.send(());
        if let Err(error) = self.server.await {
            tracing::error!(%error, "embedded S3 store task failed");
        }
    }
}

fn embedded_error(
    context: &'static str,
    source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
) -> StorageError {
    StorageError::Embedded {
        context,
        source: source.into(),
    }
}

/// s3s's own logs are filtered out (see the module docs); keep the failures
/// that are ours to fix.
fn log_server_errors(response: http::Response<s3s::Body>) -> http::Response<s3s::Body> {
    if response.status().is_server_error() {
        tracing::error!(status = %response.status(), "embedded S3 store failed a request");
    }
    response
}

fn cors_layer(allowed_origins: &[String]) -> Result<CorsLayer, StorageError> {
    let origins = allowed_origins
        .iter()
        .map(|origin| {
            HeaderValue::from_str(origin.trim().trim_end_matches('/'))
                .map_err(|_| StorageError::InvalidOrigin(origin.clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::PUT, Method::HEAD])
        // What a browser upload may send beyond the CORS-safelisted headers;
        // content-length is set by the browser itself and needs no allowing.
        .allow_headers([
            header::CONTENT_TYPE,
            header::CACHE_CONTROL,
            HeaderName::from_static("content-md5"),
            HeaderName::from_static("x-amz-server-side-encryption"),
        ])
        .expose_headers([header::ETAG])
        .max_age(PREFLIGHT_MAX_AGE))
}

/// Accepts connections until `stop` fires (or its sender is dropped), then
/// drains the open ones.
async fn serve<S>(listener: TcpListener, service: S, mut stop: oneshot::Receiver<()>)
where
    S: tower::Service<http::Request<Incoming>, Response = http::Response<s3s::Body>>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let graceful = GracefulShutdown::new();
    let builder = auto::Builder::new(TokioExecutor::new());
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    let io = TokioIo::new(stream);
                    let connection = builder
                        .serve_connection(io, TowerToHyperService::new(service.clone()))
                        .into_owned();
                    let connection = graceful.watch(connection);
                    connections.spawn(async move {
                        // Clients hanging up mid-request is routine.
                        if let Err(error) = connection.await {
                            tracing::debug!(%error, "embedded S3 store connection ended");
                        }
                    });
                }
                Err(error) => {
                    // Typically out of file descriptors: back off instead of spinning.
                    tracing::warn!(%error, "embedded S3 store cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            // Reap finished connections so the set does not grow forever.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = &mut stop => break,
        }
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "embedded S3 store: connections still open after {SHUTDOWN_GRACE:?}, dropping them"
        );
    }
    connections.shutdown().await;
}

/// The files and folders s3s-fs leaves behind when `key` of `bucket` is
/// deleted: its metadata files under `root` (named by the base64 of the
/// bucket and the key, as s3s-fs 0.14 names them) and the key's folders
/// below the bucket's top-level ones (`photos/<version>/`, not `photos/`:
/// a put racing into `uploads/` must find its folder).
pub fn traces(root: &std::path::Path, bucket: &str, key: &str) -> (Vec<PathBuf>, Vec<PathBuf>) {
    use base64::Engine as _;
    let encode = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let stem = format!(".bucket-{}.object-{}", encode(bucket), encode(key));
    let files = vec![
        root.join(format!("{stem}.metadata.json")),
        root.join(format!("{stem}.internal.json")),
    ];
    let parts: Vec<&str> = key.split('/').filter(|p| !p.is_empty()).collect();
    let mut folders = Vec::new();
    // Deepest first: `a/b/c/file` → `a/b/c`, `a/b` (never `a`).
    for depth in (2..parts.len()).rev() {
        folders.push(root.join(bucket).join(parts[..depth].join("/")));
    }
    (files, folders)
}

/// Removes `key`'s traces once its DELETE succeeded: the metadata files
/// (missing ones are fine) and the folders that are now empty.
async fn tidy_after_delete(root: &std::path::Path, bucket: &str, key: &str) {
    let (files, folders) = traces(root, bucket, key);
    for file in files {
        match tokio::fs::remove_file(&file).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                tracing::warn!(%error, "embedded S3 store: cannot remove an object's metadata")
            }
        }
    }
    for folder in folders {
        // `remove_dir` refuses a folder that is not empty: that is the check.
        if tokio::fs::remove_dir(&folder).await.is_err() {
            break;
        }
    }
}

/// `/bucket/key` of a path-style request, percent-decoded.
fn bucket_and_key(path: &str) -> Option<(String, String)> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let (bucket, key) = decoded.trim_start_matches('/').split_once('/')?;
    (!bucket.is_empty() && !key.is_empty() && !key.contains(".."))
        .then(|| (bucket.to_owned(), key.to_owned()))
}

/// The store's service, tidying after each successful single-object DELETE
/// (the only delete Lanyard sends).
#[derive(Clone)]
struct TidyAfterDelete<S> {
    inner: S,
    root: std::sync::Arc<PathBuf>,
}

impl<S> tower::Service<http::Request<Incoming>> for TidyAfterDelete<S>
where
    S: tower::Service<http::Request<Incoming>, Response = http::Response<s3s::Body>>
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>,
    >;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Incoming>) -> Self::Future {
        let target = (request.method() == Method::DELETE)
            .then(|| bucket_and_key(request.uri().path()))
            .flatten();
        let root = self.root.clone();
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
            if let Some((bucket, key)) = target {
                if response.status().is_success() {
                    tidy_after_delete(&root, &bucket, &key).await;
                }
            }
            Ok(response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traces_are_named_as_s3s_fs_names_them() {
        let root = std::path::Path::new("/data/store");
        let (files, folders) = traces(root, "lanyard-photos", "photos/0123abcd/thumb.jpg");
        // base64url without padding, computed outside Rust:
        // python3 -c 'import base64; print(base64.urlsafe_b64encode(b"photos/0123abcd/thumb.jpg"))'
        assert_eq!(
            files[0],
            root.join(".bucket-bGFueWFyZC1waG90b3M.object-cGhvdG9zLzAxMjNhYmNkL3RodW1iLmpwZw.metadata.json")
        );
        assert_eq!(
            files[1],
            root.join(".bucket-bGFueWFyZC1waG90b3M.object-cGhvdG9zLzAxMjNhYmNkL3RodW1iLmpwZw.internal.json")
        );
        assert_eq!(folders, [root.join("lanyard-photos/photos/0123abcd")]);
        let (_, top) = traces(root, "b", "uploads/0123abcd");
        assert!(top.is_empty(), "top-level folders stay: {top:?}");
    }

    #[test]
    fn only_path_style_object_paths_name_a_key() {
        assert_eq!(
            bucket_and_key("/b/photos/x%2Fy/thumb.jpg"),
            Some(("b".into(), "photos/x/y/thumb.jpg".into()))
        );
        assert_eq!(bucket_and_key("/b"), None);
        assert_eq!(bucket_and_key("/b/"), None);
        assert_eq!(bucket_and_key("/b/../etc/passwd"), None);
    }
}
