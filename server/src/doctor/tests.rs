//! The doctor's verdicts on sample answers: a well-kept AWS bucket, the
//! embedded store, and a bucket that fails each check in turn.

use std::time::Duration;

use super::access_checks::https;
use super::samples::*;
use super::*;

const KEY: &str = "doctor/probe-x.txt";

fn aws_target() -> Target {
    Target {
        bucket: "lanyard-photos".into(),
        endpoint: "https://s3.eu-west-1.amazonaws.com".into(),
        public_endpoint: "https://s3.eu-west-1.amazonaws.com".into(),
        embedded: None,
        longest_url_life: Duration::from_secs(3600),
    }
}

fn good_answers() -> BucketAnswers {
    BucketAnswers {
        public_access_block: ok(ALL_BLOCKED),
        encryption: ok(SSE_KMS),
        policy: ok(RECOMMENDED_POLICY),
    }
}

fn good_probe() -> ProbeOutcome {
    ProbeOutcome {
        key: KEY.into(),
        put: Step::Done,
        get: Step::Done,
        presigned_get: Step::Done,
        anonymous_get: AnonymousRead::Refused(403),
        delete: Step::Done,
        missing_get: Step::Done,
    }
}

fn status_of(report: &Report, name: &str) -> Status {
    report
        .check(name)
        .unwrap_or_else(|| panic!("no {name:?} line"))
        .status
}

/// Every line but `failing` passes.
fn only_fails(report: &Report, failing: &[&str]) {
    for check in &report.checks {
        let expected = if failing.contains(&check.name) {
            Status::Fail
        } else {
            Status::Pass
        };
        assert_eq!(check.status, expected, "{}: {}", check.name, check.detail);
        assert_eq!(
            check.fix.is_some(),
            expected == Status::Fail,
            "{}",
            check.name
        );
    }
    assert_eq!(report.failed(), !failing.is_empty());
}

#[test]
fn a_well_kept_aws_bucket_passes_every_check() {
    let report = evaluate(&aws_target(), &good_answers(), &good_probe());
    assert_eq!(report.checks.len(), 12);
    only_fails(&report, &[]);
    assert!(report.check(ENCRYPTION).unwrap().detail.contains("aws:kms"));
    assert!(report
        .subject
        .contains("https://s3.eu-west-1.amazonaws.com"));
}

#[test]
fn sse_s3_is_default_encryption_too() {
    let mut answers = good_answers();
    answers.encryption = ok(SSE_S3);
    let report = evaluate(&aws_target(), &answers, &good_probe());
    only_fails(&report, &[]);
    assert!(report.check(ENCRYPTION).unwrap().detail.contains("AES256"));
}

#[test]
fn the_embedded_store_answers_what_it_can() {
    let target = Target {
        endpoint: "http://127.0.0.1:41234".into(),
        public_endpoint: "http://127.0.0.1:41234".into(),
        embedded: Some(EmbeddedTarget {
            configured_addr: "127.0.0.1:9000".parse().unwrap(),
            data_dir: "./data".into(),
        }),
        ..aws_target()
    };
    let answers = BucketAnswers {
        public_access_block: not_implemented(),
        encryption: not_implemented(),
        policy: not_implemented(),
    };
    let report = evaluate(&target, &answers, &good_probe());
    for name in [
        HTTPS,
        PUBLIC_ACCESS_BLOCK,
        ENCRYPTION,
        TLS_POLICY,
        SIGNATURE_AGE,
        NO_PUBLIC_GRANT,
    ] {
        assert_eq!(status_of(&report, name), Status::NotApplicable, "{name}");
    }
    for name in [
        CAN_WRITE,
        CAN_READ,
        PRESIGNED_GET,
        ANONYMOUS_REFUSED,
        CAN_DELETE,
        MISSING_IS_404,
    ] {
        assert_eq!(status_of(&report, name), Status::Pass, "{name}");
    }
    assert!(!report.failed());
    assert!(report.notes[0].contains("embedded store"));
    let text = report.to_string();
    assert!(
        text.contains("does not implement GetPublicAccessBlock (501 NotImplemented)"),
        "{text}"
    );
}

#[test]
fn an_embedded_store_open_to_the_network_fails_https() {
    let target = Target {
        endpoint: "http://127.0.0.1:41234".into(),
        public_endpoint: "http://127.0.0.1:41234".into(),
        embedded: Some(EmbeddedTarget {
            configured_addr: "0.0.0.0:9000".parse().unwrap(),
            data_dir: "./data".into(),
        }),
        ..aws_target()
    };
    assert_eq!(https(&target).status, Status::Fail);
    let behind_tls = Target {
        public_endpoint: "https://photos.example.com".into(),
        ..target
    };
    assert_eq!(https(&behind_tls).status, Status::Pass);
}

#[test]
fn plain_http_fails_unless_on_loopback() {
    let plain = Target {
        endpoint: "http://minio.internal:9000".into(),
        public_endpoint: "HTTPS://photos.example.com".into(),
        ..aws_target()
    };
    let check = https(&plain);
    assert_eq!(check.status, Status::Fail);
    assert!(
        check.detail.starts_with("AWS_ENDPOINT_URL_S3 use"),
        "{}",
        check.detail
    );
    let local = Target {
        endpoint: "http://localhost:9000".into(),
        public_endpoint: "http://[::1]:9000".into(),
        ..aws_target()
    };
    assert_eq!(https(&local).status, Status::NotApplicable);
}

#[test]
fn public_access_not_fully_blocked_fails() {
    let mut answers = good_answers();
    answers.public_access_block = ok(HALF_BLOCKED);
    let report = evaluate(&aws_target(), &answers, &good_probe());
    only_fails(&report, &[PUBLIC_ACCESS_BLOCK]);
    let check = report.check(PUBLIC_ACCESS_BLOCK).unwrap();
    assert_eq!(
        check.detail,
        "not on: IgnorePublicAcls, RestrictPublicBuckets"
    );
    assert!(check
        .fix
        .as_deref()
        .unwrap()
        .contains("put-public-access-block --bucket lanyard-photos"));

    answers.public_access_block = error(404, "NoSuchPublicAccessBlockConfiguration");
    let report = evaluate(&aws_target(), &answers, &good_probe());
    only_fails(&report, &[PUBLIC_ACCESS_BLOCK]);
}

#[test]
fn no_default_encryption_fails() {
    let mut answers = good_answers();
    answers.encryption = error(404, "ServerSideEncryptionConfigurationNotFoundError");
    let report = evaluate(&aws_target(), &answers, &good_probe());
    only_fails(&report, &[ENCRYPTION]);
}

#[test]
fn reads_the_credentials_may_not_make_fail_with_the_permission_to_grant() {
    let answers = BucketAnswers {
        public_access_block: error(403, "AccessDenied"),
        encryption: error(403, "AccessDenied"),
        policy: error(403, "AccessDenied"),
    };
    let report = evaluate(&aws_target(), &answers, &good_probe());
    for (name, action) in [
        (PUBLIC_ACCESS_BLOCK, "s3:GetBucketPublicAccessBlock"),
        (ENCRYPTION, "s3:GetEncryptionConfiguration"),
        (TLS_POLICY, "s3:GetBucketPolicy"),
    ] {
        let check = report.check(name).unwrap();
        assert_eq!(check.status, Status::Fail, "{name}");
        assert!(
            check.detail.contains("403 AccessDenied"),
            "{}",
            check.detail
        );
        assert!(check.fix.as_deref().unwrap().contains(action), "{name}");
    }
    // One unreadable policy is one failure, not three.
    assert_eq!(status_of(&report, SIGNATURE_AGE), Status::NotApplicable);
    assert_eq!(status_of(&report, NO_PUBLIC_GRANT), Status::NotApplicable);
}

#[test]
fn no_bucket_policy_fails_the_tls_rule_only() {
    let mut answers = good_answers();
    answers.policy = error(404, "NoSuchBucketPolicy");
    let report = evaluate(&aws_target(), &answers, &good_probe());
    assert_eq!(status_of(&report, TLS_POLICY), Status::Fail);
    assert_eq!(status_of(&report, SIGNATURE_AGE), Status::NotApplicable);
    assert_eq!(status_of(&report, NO_PUBLIC_GRANT), Status::Pass);
    assert!(report.failed());
}

#[test]
fn a_public_grant_a_short_signature_cap_and_no_tls_rule_fail() {
    let mut answers = good_answers();
    answers.policy = ok(BAD_POLICY);
    let report = evaluate(&aws_target(), &answers, &good_probe());
    only_fails(&report, &[TLS_POLICY, SIGNATURE_AGE, NO_PUBLIC_GRANT]);
    let age = report.check(SIGNATURE_AGE).unwrap();
    assert!(age.detail.contains("older than 600 s"), "{}", age.detail);
    assert!(age.fix.as_deref().unwrap().contains("at least 3600000 ms"));
    assert!(report
        .check(NO_PUBLIC_GRANT)
        .unwrap()
        .detail
        .contains("PublicRead"));
}

#[test]
fn a_cap_of_exactly_the_longest_lifetime_passes() {
    let mut target = aws_target();
    target.longest_url_life = Duration::from_secs(3900);
    let report = evaluate(&target, &good_answers(), &good_probe());
    assert_eq!(status_of(&report, SIGNATURE_AGE), Status::Pass);
    target.longest_url_life = Duration::from_secs(3901);
    let report = evaluate(&target, &good_answers(), &good_probe());
    assert_eq!(status_of(&report, SIGNATURE_AGE), Status::Fail);
}

#[test]
fn an_unreadable_policy_fails() {
    let mut answers = good_answers();
    answers.policy = ok("<html>not a policy</html>");
    let report = evaluate(&aws_target(), &answers, &good_probe());
    assert_eq!(status_of(&report, TLS_POLICY), Status::Fail);
}

#[test]
fn an_unreachable_store_fails_every_read() {
    let down = Answer::Unreachable("connection refused".into());
    let answers = BucketAnswers {
        public_access_block: down.clone(),
        encryption: down.clone(),
        policy: down,
    };
    let report = evaluate(&aws_target(), &answers, &good_probe());
    for name in [PUBLIC_ACCESS_BLOCK, ENCRYPTION, TLS_POLICY] {
        let check = report.check(name).unwrap();
        assert_eq!(check.status, Status::Fail);
        assert!(check.detail.contains("connection refused"));
    }
}

#[test]
fn a_failed_put_skips_the_rest_of_the_probe() {
    let skipped = || Step::Skipped("the probe object could not be written".into());
    let probe = ProbeOutcome {
        put: Step::Failed("S3 answered 403 Forbidden (AccessDenied) to PUT".into()),
        get: skipped(),
        presigned_get: skipped(),
        anonymous_get: AnonymousRead::Skipped("the probe object could not be written".into()),
        delete: skipped(),
        missing_get: skipped(),
        ..good_probe()
    };
    let report = evaluate(&aws_target(), &good_answers(), &probe);
    assert_eq!(status_of(&report, CAN_WRITE), Status::Fail);
    assert!(report
        .check(CAN_WRITE)
        .unwrap()
        .fix
        .as_deref()
        .unwrap()
        .contains("s3:PutObject"));
    for name in [
        CAN_READ,
        PRESIGNED_GET,
        ANONYMOUS_REFUSED,
        CAN_DELETE,
        MISSING_IS_404,
    ] {
        assert_eq!(status_of(&report, name), Status::NotApplicable, "{name}");
    }
}

#[test]
fn each_failed_probe_step_fails_its_line() {
    let failed = || Step::Failed("S3 answered 403 Forbidden (AccessDenied)".into());
    let cases: [(&str, ProbeOutcome); 6] = [
        (
            CAN_READ,
            ProbeOutcome {
                get: failed(),
                ..good_probe()
            },
        ),
        (
            PRESIGNED_GET,
            ProbeOutcome {
                presigned_get: failed(),
                ..good_probe()
            },
        ),
        (
            CAN_DELETE,
            ProbeOutcome {
                delete: failed(),
                ..good_probe()
            },
        ),
        (
            MISSING_IS_404,
            ProbeOutcome {
                missing_get: failed(),
                ..good_probe()
            },
        ),
        (
            ANONYMOUS_REFUSED,
            ProbeOutcome {
                anonymous_get: AnonymousRead::Served(200),
                ..good_probe()
            },
        ),
        (
            ANONYMOUS_REFUSED,
            ProbeOutcome {
                anonymous_get: AnonymousRead::Failed("timed out".into()),
                ..good_probe()
            },
        ),
    ];
    for (name, probe) in cases {
        let report = evaluate(&aws_target(), &good_answers(), &probe);
        only_fails(&report, &[name]);
    }
}
