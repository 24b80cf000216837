//! `lanyard doctor` against the store the tests run on: the embedded store,
//! or SeaweedFS when `LANYARD_TEST_S3` is set (`scripts/test.sh` runs this
//! with both). Its bucket checks are pinned by unit tests against recorded
//! answers (`src/doctor/tests.rs`); this runs the probe for real.

use crate::store;
use lanyard_server::config::Config;
use lanyard_server::doctor::{self, Status};

#[tokio::test]
async fn the_doctor_probe_passes_on_the_store_the_tests_use() {
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(data.path(), "unused");
    if let Some(bucket) = store::new_bucket().await {
        store::use_bucket(&mut config, &bucket);
    }
    let report = doctor::run(&config).await.unwrap();
    for name in [
        doctor::CAN_WRITE,
        doctor::CAN_READ,
        doctor::PRESIGNED_GET,
        doctor::ANONYMOUS_REFUSED,
        doctor::CAN_DELETE,
        doctor::MISSING_IS_404,
    ] {
        let check = report.check(name).unwrap();
        assert_eq!(check.status, Status::Pass, "{name}: {report}");
    }
    if store::is_external() {
        // A fresh SeaweedFS bucket has neither default encryption nor a
        // policy, and the doctor says so (see docs/production.md for why the
        // TLS-only policy cannot be tried over plain HTTP there).
        for name in [doctor::ENCRYPTION, doctor::TLS_POLICY] {
            assert_eq!(
                report.check(name).unwrap().status,
                Status::Fail,
                "{name}: {report}"
            );
        }
        assert!(report.failed());
    } else {
        assert!(!report.failed(), "{report}");
    }
}
