//! The bucket's configuration, from its answers to GetPublicAccessBlock,
//! GetBucketEncryption and GetBucketPolicy.

use std::time::Duration;

use super::evaluate::{
    Answer, Target, ENCRYPTION, NO_PUBLIC_GRANT, PRODUCTION_DOC, PUBLIC_ACCESS_BLOCK,
    SIGNATURE_AGE, TLS_POLICY,
};
use super::policy::{read_policy, PolicyFacts};
use super::report::Check;
use super::xml::{error_code, first_text, leaf_texts};

/// What a configuration read came back as.
enum Read<'a> {
    /// 200 and its body.
    Found(&'a str),
    /// 404: the bucket has none (the error code says of what).
    Missing(String),
    /// The store does not implement the request (501 / NotImplemented).
    NotImplemented(String),
    /// Anything else: denied, unreachable, a server error.
    Failed { detail: String, denied: bool },
}

fn classify(answer: &Answer) -> Read<'_> {
    match answer {
        Answer::Unreachable(why) => Read::Failed {
            detail: format!("no answer from the store: {why}"),
            denied: false,
        },
        Answer::Http { status: 200, body } => Read::Found(body),
        Answer::Http { status, body } => {
            let code = error_code(body);
            let described = format!("{status} {}", code.as_deref().unwrap_or("(no error code)"));
            if *status == 501 || code.as_deref() == Some("NotImplemented") {
                Read::NotImplemented(described)
            } else if *status == 404 && code.as_deref() != Some("NoSuchBucket") {
                Read::Missing(described)
            } else {
                Read::Failed {
                    detail: format!("the store answered {described}"),
                    denied: *status == 403,
                }
            }
        }
    }
}

/// The fix for a read the credentials may not make.
fn grant_or_check(action: &str, cli: &str, bucket: &str) -> String {
    format!(
        "grant {action} on arn:aws:s3:::{bucket} to Lanyard's credentials ({PRODUCTION_DOC}), \
         or check as an administrator: aws s3api {cli} --bucket {bucket}"
    )
}

pub fn public_access_block(answer: &Answer, bucket: &str) -> Check {
    const FLAGS: [&str; 4] = [
        "BlockPublicAcls",
        "IgnorePublicAcls",
        "BlockPublicPolicy",
        "RestrictPublicBuckets",
    ];
    let fix = format!(
        "aws s3api put-public-access-block --bucket {bucket} --public-access-block-configuration \
         BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
    );
    match classify(answer) {
        Read::Found(body) => match leaf_texts(body) {
            Ok(leaves) => {
                let off: Vec<&str> = FLAGS
                    .into_iter()
                    .filter(|flag| {
                        !first_text(&leaves, flag).is_some_and(|v| v.eq_ignore_ascii_case("true"))
                    })
                    .collect();
                if off.is_empty() {
                    Check::pass(PUBLIC_ACCESS_BLOCK, "all four Block Public Access settings are on")
                } else {
                    Check::fail(PUBLIC_ACCESS_BLOCK, format!("not on: {}", off.join(", ")), fix)
                }
            }
            Err(why) => Check::fail(
                PUBLIC_ACCESS_BLOCK,
                format!("unreadable answer: {why}"),
                fix,
            ),
        },
        Read::Missing(code) => Check::fail(
            PUBLIC_ACCESS_BLOCK,
            format!("the bucket has no public access block ({code}); an account-wide one is not visible here"),
            fix,
        ),
        Read::NotImplemented(code) => Check::not_applicable(
            PUBLIC_ACCESS_BLOCK,
            format!("the store does not implement GetPublicAccessBlock ({code}); it has no public access to block"),
        ),
        Read::Failed { detail, denied } => Check::fail(
            PUBLIC_ACCESS_BLOCK,
            detail,
            if denied {
                grant_or_check("s3:GetBucketPublicAccessBlock", "get-public-access-block", bucket)
            } else {
                "check AWS_ENDPOINT_URL_S3 and the bucket name".to_owned()
            },
        ),
    }
}

pub fn encryption(answer: &Answer, bucket: &str) -> Check {
    let fix = format!(
        "aws s3api put-bucket-encryption --bucket {bucket} --server-side-encryption-configuration \
         '{{\"Rules\":[{{\"ApplyServerSideEncryptionByDefault\":{{\"SSEAlgorithm\":\"AES256\"}}}}]}}' \
         (or aws:kms with a key: {PRODUCTION_DOC})"
    );
    match classify(answer) {
        Read::Found(body) => {
            let leaves = leaf_texts(body).unwrap_or_default();
            match first_text(&leaves, "SSEAlgorithm").as_deref() {
                Some("AES256") => Check::pass(ENCRYPTION, "SSE-S3 (AES256) by default"),
                Some(kms @ ("aws:kms" | "aws:kms:dsse")) => {
                    let key = first_text(&leaves, "KMSMasterKeyID")
                        .map_or_else(|| "the AWS managed key".to_owned(), |k| format!("key {k}"));
                    Check::pass(ENCRYPTION, format!("SSE-KMS ({kms}, {key}) by default"))
                }
                Some(other) if !other.is_empty() => {
                    Check::pass(ENCRYPTION, format!("{other} by default"))
                }
                _ => Check::fail(ENCRYPTION, "the answer names no SSEAlgorithm", fix),
            }
        }
        Read::Missing(code) => Check::fail(
            ENCRYPTION,
            format!("no default encryption configured ({code})"),
            fix,
        ),
        Read::NotImplemented(code) => Check::not_applicable(
            ENCRYPTION,
            format!("the store does not implement GetBucketEncryption ({code}); its objects are files in the data folder"),
        ),
        Read::Failed { detail, denied } => Check::fail(
            ENCRYPTION,
            detail,
            if denied {
                grant_or_check("s3:GetEncryptionConfiguration", "get-bucket-encryption", bucket)
            } else {
                "check AWS_ENDPOINT_URL_S3 and the bucket name".to_owned()
            },
        ),
    }
}

/// The TLS-only policy, the signature age cap and public grants: all three
/// read the bucket policy.
pub fn policy_checks(answer: &Answer, target: &Target) -> [Check; 3] {
    let bucket = &target.bucket;
    let tls_fix = format!(
        "add a Deny for \"Principal\": \"*\", \"Action\": \"s3:*\" on arn:aws:s3:::{bucket}/* when \
         {{\"Bool\": {{\"aws:SecureTransport\": \"false\"}}}} ({PRODUCTION_DOC})"
    );
    match classify(answer) {
        Read::Found(body) => match read_policy(body, bucket) {
            Ok(facts) => [
                if facts.denies_plain_http {
                    Check::pass(TLS_POLICY, "denies every request made without TLS")
                } else {
                    Check::fail(
                        TLS_POLICY,
                        "no Deny on aws:SecureTransport = false for the bucket's objects",
                        tls_fix,
                    )
                },
                signature_age(&facts, target.longest_url_life),
                public_grants(&facts),
            ],
            Err(why) => [
                Check::fail(TLS_POLICY, why, tls_fix),
                Check::not_applicable(SIGNATURE_AGE, "the policy could not be read"),
                Check::not_applicable(NO_PUBLIC_GRANT, "the policy could not be read"),
            ],
        },
        Read::Missing(code) => [
            Check::fail(
                TLS_POLICY,
                format!("the bucket has no policy ({code})"),
                tls_fix,
            ),
            Check::not_applicable(
                SIGNATURE_AGE,
                "the bucket has no policy (a cap is optional hardening)",
            ),
            Check::pass(
                NO_PUBLIC_GRANT,
                "the bucket has no policy, so it grants nothing",
            ),
        ],
        Read::NotImplemented(code) => {
            let why = format!("the store does not implement GetBucketPolicy ({code})");
            [
                Check::not_applicable(TLS_POLICY, format!("{why}; it has no policies")),
                Check::not_applicable(SIGNATURE_AGE, why.clone()),
                Check::not_applicable(NO_PUBLIC_GRANT, why),
            ]
        }
        Read::Failed { detail, denied } => [
            Check::fail(
                TLS_POLICY,
                detail,
                if denied {
                    grant_or_check("s3:GetBucketPolicy", "get-bucket-policy", bucket)
                } else {
                    "check AWS_ENDPOINT_URL_S3 and the bucket name".to_owned()
                },
            ),
            Check::not_applicable(
                SIGNATURE_AGE,
                format!("the policy could not be read ({TLS_POLICY})"),
            ),
            Check::not_applicable(
                NO_PUBLIC_GRANT,
                format!("the policy could not be read ({TLS_POLICY})"),
            ),
        ],
    }
}

/// A cap below the longest URL lifetime makes S3 refuse URLs Lanyard
/// considers valid: signatureAge counts from X-Amz-Date, the start of the
/// URL's signing window, and a URL lives its whole lifetime from there.
fn signature_age(facts: &PolicyFacts, longest_url_life: Duration) -> Check {
    let Some(limit_ms) = facts.signature_age_limit_ms else {
        return Check::not_applicable(
            SIGNATURE_AGE,
            format!("no s3:signatureAge cap in the policy (optional hardening: {PRODUCTION_DOC})"),
        );
    };
    let needed_ms = u64::try_from(longest_url_life.as_millis()).unwrap_or(u64::MAX);
    if limit_ms >= needed_ms {
        Check::pass(
            SIGNATURE_AGE,
            format!(
                "signatures older than {} s are refused (Lanyard's longest URL lifetime: {} s)",
                limit_ms / 1000,
                needed_ms / 1000
            ),
        )
    } else {
        Check::fail(
            SIGNATURE_AGE,
            format!(
                "the policy refuses signatures older than {} s, but Lanyard's URLs live up to {} s \
                 after their X-Amz-Date: browsers would get 403 before the URLs expire",
                limit_ms / 1000,
                needed_ms / 1000
            ),
            format!(
                "raise s3:signatureAge to at least {} ms plus clock skew (e.g. {} ms), or lower \
                 the LANYARD_*_TTL lifetimes",
                needed_ms,
                needed_ms + 300_000
            ),
        )
    }
}

fn public_grants(facts: &PolicyFacts) -> Check {
    if facts.public_grants.is_empty() {
        Check::pass(
            NO_PUBLIC_GRANT,
            "no unconditional Allow for \"*\" on the objects",
        )
    } else {
        Check::fail(
            NO_PUBLIC_GRANT,
            format!(
                "anyone may read or write the objects through: {}",
                facts.public_grants.join(", ")
            ),
            "remove these statements; photos are served only through presigned URLs",
        )
    }
}
