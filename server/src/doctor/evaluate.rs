//! From what the store answered to the report, Sans-IO: every check is a
//! pure function of the answers (gathered by `super::probe`) and the target
//! (`super::bucket_checks`: the bucket's configuration;
//! `super::access_checks`: the endpoint and the credentials).

use std::net::SocketAddr;
use std::time::Duration;

use super::access_checks::{https, probe_checks};
use super::bucket_checks::{encryption, policy_checks, public_access_block};
use super::report::Report;

pub const HTTPS: &str = "endpoint uses HTTPS";
pub const PUBLIC_ACCESS_BLOCK: &str = "public access blocked";
pub const ENCRYPTION: &str = "default encryption";
pub const TLS_POLICY: &str = "TLS-only bucket policy";
pub const SIGNATURE_AGE: &str = "signature age limit";
pub const NO_PUBLIC_GRANT: &str = "policy grants nothing to everyone";
pub const CAN_WRITE: &str = "credentials can write";
pub const CAN_READ: &str = "credentials can read";
pub const PRESIGNED_GET: &str = "presigned GET works";
pub const ANONYMOUS_REFUSED: &str = "anonymous read refused";
pub const CAN_DELETE: &str = "credentials can delete";
pub const MISSING_IS_404: &str = "missing objects answer 404";

pub(super) const PRODUCTION_DOC: &str = "docs/production.md";

/// Which bucket was checked, where, and what Lanyard needs of it.
#[derive(Debug, Clone)]
pub struct Target {
    pub bucket: String,
    /// Where the server (and the doctor) reach the store.
    pub endpoint: String,
    /// Where browsers reach it (LANYARD_S3_PUBLIC_URL, else the endpoint).
    pub public_endpoint: String,
    /// Set when the embedded store was checked.
    pub embedded: Option<EmbeddedTarget>,
    /// The longest a URL Lanyard hands out stays valid after its
    /// `X-Amz-Date`: the largest of its configured lifetimes.
    pub longest_url_life: Duration,
}

#[derive(Debug, Clone)]
pub struct EmbeddedTarget {
    /// Where the server runs it (LANYARD_EMBEDDED_S3_ADDR).
    pub configured_addr: SocketAddr,
    pub data_dir: String,
}

/// The store's answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Http {
        status: u16,
        body: String,
    },
    /// No answer at all (connection refused, timeout…).
    Unreachable(String),
}

/// The answers to the three bucket-configuration reads.
#[derive(Debug, Clone)]
pub struct BucketAnswers {
    pub public_access_block: Answer,
    pub encryption: Answer,
    pub policy: Answer,
}

/// One step of the probe with a real object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Done,
    Failed(String),
    /// Not tried (why), because an earlier step failed.
    Skipped(String),
}

/// An unsigned GET of an existing object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnonymousRead {
    Refused(u16),
    Served(u16),
    Failed(String),
    Skipped(String),
}

/// The probe: PUT, GET, presigned GET, unsigned GET and DELETE of `key`,
/// and a GET of a key that does not exist.
#[derive(Debug, Clone)]
pub struct ProbeOutcome {
    pub key: String,
    pub put: Step,
    pub get: Step,
    pub presigned_get: Step,
    pub anonymous_get: AnonymousRead,
    pub delete: Step,
    /// A GET of a key never written: Lanyard needs 404 (not 403) to tell
    /// "not uploaded yet" from a refusal.
    pub missing_get: Step,
}

/// The whole report.
pub fn evaluate(target: &Target, answers: &BucketAnswers, probe: &ProbeOutcome) -> Report {
    let (subject, notes) = match &target.embedded {
        Some(embedded) => (
            format!(
                "bucket \"{}\" on the embedded store (data folder {})",
                target.bucket, embedded.data_dir
            ),
            vec![format!(
                "No AWS_ENDPOINT_URL_S3 is set, so this checked the embedded store, started for the \
                 check at {} with the data folder's credentials.",
                target.endpoint
            )],
        ),
        None => (
            format!("bucket \"{}\" at {}", target.bucket, target.endpoint),
            Vec::new(),
        ),
    };
    let mut checks = vec![https(target)];
    checks.push(public_access_block(
        &answers.public_access_block,
        &target.bucket,
    ));
    checks.push(encryption(&answers.encryption, &target.bucket));
    checks.extend(policy_checks(&answers.policy, target));
    checks.extend(probe_checks(probe));
    Report {
        subject,
        notes,
        checks,
    }
}
