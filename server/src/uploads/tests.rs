use super::*;
use crate::config::ServerSideEncryption;
use crate::uploads::image::ImageRules;

fn settings() -> UploadSettings {
    UploadSettings {
        max_bytes: 1000,
        url_ttl: Duration::from_secs(300),
        sweep_after: Duration::from_secs(3600),
        rules: ImageRules {
            min_side: 128,
            max_pixels: 40_000_000,
        },
        sse: ServerSideEncryption::None,
    }
}

fn request(content_type: &str, content_length: u64) -> UploadRequest {
    UploadRequest {
        content_type: content_type.into(),
        content_length,
    }
}

#[test]
fn only_images_within_the_size_limit_may_be_uploaded() {
    let settings = settings();
    for ok in ["image/jpeg", "image/png", "image/webp"] {
        assert!(settings.check_request(&request(ok, 1000)).is_ok(), "{ok}");
    }
    for bad in [
        "image/gif",
        "text/plain",
        "IMAGE/JPEG",
        "image/jpeg; x=1",
        "",
    ] {
        let err = settings.check_request(&request(bad, 10)).unwrap_err();
        assert!(err.contains("JPEG, PNG or WebP"), "{bad}: {err}");
    }
    assert!(settings
        .check_request(&request("image/png", 0))
        .unwrap_err()
        .contains("empty"));
    assert!(settings
        .check_request(&request("image/png", 1001))
        .unwrap_err()
        .contains("at most 1000 bytes"));
}

#[test]
fn a_raw_upload_is_deleted_for_good_only_after_its_url_is_long_dead() {
    let settings = settings();
    let mut row = VersionRow {
        id: "0123456789abcdef0123456789abcdef".into(),
        employee_id: 1,
        state: lanyard_wire::PhotoState::Uploading,
        reason: None,
        created_at: 0,
        decided_at: None,
        upload_content_type: None,
        upload_content_length: None,
        upload_expires_at: Some(300_000),
    };
    assert_eq!(settings.raw_delete_after(&row, 1_000), 3_900_000);
    assert_eq!(settings.raw_delete_after(&row, 5_000_000), 5_000_000);
    row.upload_expires_at = None;
    assert_eq!(settings.raw_delete_after(&row, 7), 7);
}

#[test]
fn the_limits_tell_the_spa_everything_it_checks() {
    let limits = settings().limits();
    assert_eq!(limits.max_bytes, 1000);
    assert_eq!(
        limits.content_types,
        ["image/jpeg", "image/png", "image/webp"]
    );
    assert_eq!((limits.min_side, limits.max_pixels), (128, 40_000_000));
}
