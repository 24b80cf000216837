//! `lanyard doctor` against the real embedded store: what it cannot answer
//! is N/A, the credential checks pass, and wrong credentials fail.

use lanyard_server::config::Config;
use lanyard_server::doctor::{self, Report, Status};
use lanyard_server::storage::EmbeddedS3;
use secrecy::SecretString;

const NOT_ANSWERED: [&str; 7] = [
    doctor::HTTPS,
    doctor::PUBLIC_ACCESS_BLOCK,
    doctor::ENCRYPTION,
    doctor::TLS_POLICY,
    doctor::SIGNATURE_AGE,
    doctor::NO_PUBLIC_GRANT,
    // Single sign-on is off.
    doctor::IDENTITY_PROVIDER,
];
const CREDENTIAL_CHECKS: [&str; 6] = [
    doctor::CAN_WRITE,
    doctor::CAN_READ,
    doctor::PRESIGNED_GET,
    doctor::ANONYMOUS_REFUSED,
    doctor::CAN_DELETE,
    doctor::MISSING_IS_404,
];

fn status(report: &Report, name: &str) -> Status {
    report
        .check(name)
        .unwrap_or_else(|| panic!("no {name:?} line in\n{report}"))
        .status
}

#[tokio::test]
async fn the_embedded_store_passes_what_applies_and_the_rest_is_not_applicable() {
    let data = tempfile::tempdir().unwrap();
    let config = Config::for_tests(data.path(), "unused-demo-password");
    let report = doctor::run(&config).await.expect("the doctor runs");
    let text = report.to_string();

    for name in NOT_ANSWERED {
        assert_eq!(
            status(&report, name),
            Status::NotApplicable,
            "{name}\n{text}"
        );
    }
    for name in CREDENTIAL_CHECKS {
        assert_eq!(status(&report, name), Status::Pass, "{name}\n{text}");
    }
    assert!(!report.failed(), "{text}");
    assert!(text.contains("embedded store"), "{text}");
    assert!(
        text.contains("does not implement GetBucketPolicy (501 NotImplemented)"),
        "{text}"
    );
    assert!(
        text.contains("6 passed, 0 failed, 7 not applicable."),
        "{text}"
    );
    // The probe is gone, its folder too.
    let bucket = config.embedded_s3_root().join(&config.bucket);
    assert!(!bucket.join("doctor").exists());
}

#[tokio::test]
async fn without_a_data_folder_it_says_what_to_do() {
    let parent = tempfile::tempdir().unwrap();
    let config = Config::for_tests(parent.path().join("missing"), "pw");
    let error = doctor::run(&config).await.unwrap_err().to_string();
    assert!(error.contains("no data folder"), "{error}");
    assert!(!parent.path().join("missing").exists());
}

/// An "external" store (AWS_ENDPOINT_URL_S3 set) that is really an embedded
/// one started here, so the configured-endpoint path runs for real.
async fn external_store(secret: &str) -> (EmbeddedS3, tempfile::TempDir) {
    let root = tempfile::tempdir().unwrap();
    let store = EmbeddedS3::start(
        root.path().join("s3"),
        "127.0.0.1:0".parse().unwrap(),
        "lanyard-photos",
        "doctor-test-key",
        &SecretString::from(secret),
        Vec::new(),
    )
    .await
    .expect("the store starts");
    (store, root)
}

fn config_for(store: &EmbeddedS3, secret: &str, data: &std::path::Path) -> Config {
    let mut config = Config::for_tests(data, "pw");
    config.aws_endpoint_url_s3 = Some(store.endpoint());
    config.aws_access_key_id = Some("doctor-test-key".into());
    config.aws_secret_access_key = Some(SecretString::from(secret));
    config
}

#[tokio::test]
async fn a_configured_endpoint_is_checked_with_the_configured_credentials() {
    let secret = "a-secret-for-the-doctor-test";
    let (store, _root) = external_store(secret).await;
    let data = tempfile::tempdir().unwrap();
    let report = doctor::run(&config_for(&store, secret, data.path()))
        .await
        .expect("the doctor runs");
    let text = report.to_string();
    assert!(report.notes.is_empty(), "{text}");
    assert!(text.contains(&store.endpoint()), "{text}");
    // Plain HTTP, but on loopback.
    assert_eq!(
        status(&report, doctor::HTTPS),
        Status::NotApplicable,
        "{text}"
    );
    for name in CREDENTIAL_CHECKS {
        assert_eq!(status(&report, name), Status::Pass, "{name}\n{text}");
    }
    assert!(!report.failed(), "{text}");
    // The doctor of an external store leaves the data folder alone.
    assert_eq!(std::fs::read_dir(data.path()).unwrap().count(), 0);
    store.shutdown().await;
}

#[tokio::test]
async fn wrong_credentials_fail_and_skip_the_rest_of_the_probe() {
    let (store, _root) = external_store("the-right-secret-of-this-store").await;
    let data = tempfile::tempdir().unwrap();
    let config = config_for(&store, "a-wrong-secret-entirely", data.path());
    let report = doctor::run(&config).await.expect("the doctor runs");
    let text = report.to_string();
    let write = report.check(doctor::CAN_WRITE).unwrap();
    assert_eq!(write.status, Status::Fail, "{text}");
    assert!(write.detail.contains("403"), "{text}");
    assert!(
        write.fix.as_deref().unwrap().contains("s3:PutObject"),
        "{text}"
    );
    for name in [
        doctor::CAN_READ,
        doctor::PRESIGNED_GET,
        doctor::CAN_DELETE,
        doctor::MISSING_IS_404,
    ] {
        assert_eq!(
            status(&report, name),
            Status::NotApplicable,
            "{name}\n{text}"
        );
    }
    assert!(report.failed());
    // Refused signatures are a denial of the reads too, never a crash.
    assert!(!text.contains("X-Amz-Signature"), "{text}");
    store.shutdown().await;
}
