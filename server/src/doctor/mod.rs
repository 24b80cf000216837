//! `lanyard doctor`: checks the configured bucket against the seeds'
//! checklist (see docs/production.md) where the store can answer, and
//! prints one PASS / FAIL / N/A line per check.
//!
//! - public access blocked: GetPublicAccessBlock, all four settings on;
//! - default encryption: GetBucketEncryption;
//! - a TLS-only bucket policy (a Deny on `aws:SecureTransport` = false), an
//!   `s3:signatureAge` cap that does not cut Lanyard's URLs short, and no
//!   Allow for everyone: GetBucketPolicy;
//! - the credentials do what Lanyard needs: PUT, GET and DELETE a probe
//!   object under `doctor/`, a presigned GET as browsers get it works, and
//!   an unsigned GET of it is refused, and a missing key answers 404 (not
//!   403, which needs s3:ListBucket);
//! - the endpoints use https;
//! - with single sign-on on, the identity provider's discovery document and
//!   key set are reachable and name the configured issuer.
//!
//! Without `AWS_ENDPOINT_URL_S3` it checks the embedded store, started like
//! the server starts it but on a free loopback port (a running server keeps
//! its own), with the data folder's credentials. That store implements none
//! of the three configuration reads (501 NotImplemented): those lines are
//! N/A, the credential lines still apply.
//!
//! [`evaluate`] turns answers into the [`Report`] without IO; [`probe`] does
//! the IO; [`run`] wires them to a [`Config`].

mod access_checks;
mod bucket_checks;
mod evaluate;
mod oidc;
mod policy;
mod probe;
mod report;
#[cfg(test)]
mod samples;
#[cfg(test)]
mod tests;
mod xml;

pub use evaluate::{
    evaluate, AnonymousRead, Answer, BucketAnswers, EmbeddedTarget, ProbeOutcome, Step, Target,
    ANONYMOUS_REFUSED, CAN_DELETE, CAN_READ, CAN_WRITE, ENCRYPTION, HTTPS, MISSING_IS_404,
    NO_PUBLIC_GRANT, PRESIGNED_GET, PUBLIC_ACCESS_BLOCK, SIGNATURE_AGE, TLS_POLICY,
};
pub use oidc::IDENTITY_PROVIDER;
pub use probe::PROBE_PREFIX;
pub use report::{Check, Report, Status};

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use anyhow::Context as _;

use crate::config::Config;
use crate::storage::settings::store_settings;
use crate::storage::ObjectStore;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Checks the bucket `config` points at. `Err` only when the check cannot
/// start at all (a bad setting, no data folder for the embedded store).
pub async fn run(config: &Config) -> anyhow::Result<Report> {
    config.validate()?;
    let mut config = config.clone();
    let embedded_target = if config.uses_embedded_store() {
        anyhow::ensure!(
            config.data_dir.is_dir(),
            "no data folder at {}: run `lanyard` once (the embedded store lives there), set \
             LANYARD_DATA_DIR to it, or set AWS_ENDPOINT_URL_S3 and the credentials to check an \
             S3 bucket",
            config.data_dir.display()
        );
        let target = EmbeddedTarget {
            configured_addr: config.embedded_s3_addr,
            data_dir: config.data_dir.display().to_string(),
        };
        // A server may be running on the configured port.
        config.embedded_s3_addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        Some(target)
    } else {
        None
    };
    // The app address only feeds the embedded store's CORS origins, which
    // the doctor never uses.
    let unused_app_addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let (settings, embedded) = store_settings(&config, unused_app_addr).await?;
    let store = ObjectStore::new(&settings)
        .context("invalid S3 settings")?
        .with_server_side_encryption(config.s3_sse.header_value());
    let http = reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .build()
        .context("could not build an HTTP client")?;

    let answers = probe::read_bucket(&store).await;
    let outcome = probe::probe(&store, &http).await;
    if let Some(embedded) = embedded {
        embedded.shutdown().await;
        remove_empty_probe_folder(&config);
    }

    let target = Target {
        bucket: settings.bucket.clone(),
        endpoint: settings.endpoint.clone(),
        public_endpoint: settings.public_endpoint.clone(),
        embedded: embedded_target,
        longest_url_life: longest_url_life(&config),
    };
    let mut report = evaluate(&target, &answers, &outcome);
    report.checks.push(oidc::check(&config).await);
    Ok(report)
}

/// Logging for `lanyard doctor`: warnings only, and not the embedded
/// store's own error lines for the 501s it answers to the configuration
/// reads; the report shows every answer, 5xx included.
pub fn init_logging() {
    use tracing_subscriber::prelude::*;
    let mut filter = crate::telemetry::filter("warn");
    for quiet in ["s3s::service=off", "lanyard_server::storage::embedded=off"] {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .try_init();
}

/// s3s-fs leaves a key's folders behind when it deletes the object; the
/// probe's is removed when empty (`remove_dir` refuses a non-empty one).
fn remove_empty_probe_folder(config: &Config) {
    let folder = config
        .embedded_s3_root()
        .join(&config.bucket)
        .join(PROBE_PREFIX.trim_end_matches('/'));
    let _ = std::fs::remove_dir(folder);
}

/// The longest any URL Lanyard signs stays valid after its `X-Amz-Date`.
fn longest_url_life(config: &Config) -> Duration {
    [
        config.thumb_ttl,
        config.profile_ttl,
        config.upload_ttl,
        config.review_ttl,
    ]
    .into_iter()
    .max()
    .unwrap_or_default()
}
