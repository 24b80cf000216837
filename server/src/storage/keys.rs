//! Names in the bucket: photo version ids, the object keys derived from them,
//! and the bucket name itself.
//!
//! Keys are built from a version id only, never from user input, so a key can
//! neither be guessed (128 random bits) nor steered into another person's
//! photo or outside the `photos/` and `uploads/` prefixes.

use crate::storage::StorageError;

/// Length of a version id: 128 bits as lowercase hexadecimal.
pub const VERSION_ID_LEN: usize = 32;

/// A fresh, unguessable photo version id: 128 bits from the thread-local
/// CSPRNG, as 32 lowercase hex characters.
pub fn new_version_id() -> String {
    let bits: u128 = rand::random();
    format!("{bits:032x}")
}

/// Checks that `input` is a version id (exactly 32 lowercase hex characters)
/// before it goes into a key; returns it unchanged.
pub fn parse_version_id(input: &str) -> Result<&str, StorageError> {
    let valid = input.len() == VERSION_ID_LEN
        && input
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if valid {
        Ok(input)
    } else {
        Err(StorageError::InvalidVersionId)
    }
}

/// The 160×160 JPEG of a photo version.
pub fn thumb_key(version_id: &str) -> String {
    debug_assert!(parse_version_id(version_id).is_ok(), "not a version id");
    format!("photos/{version_id}/thumb.jpg")
}

/// The 480×480 JPEG of a photo version.
pub fn profile_key(version_id: &str) -> String {
    debug_assert!(parse_version_id(version_id).is_ok(), "not a version id");
    format!("photos/{version_id}/profile.jpg")
}

/// Where a browser's raw upload for a photo version lands (later issues).
pub fn upload_key(version_id: &str) -> String {
    debug_assert!(parse_version_id(version_id).is_ok(), "not a version id");
    format!("uploads/{version_id}")
}

/// Checks S3's bucket naming rules (the subset every implementation accepts):
/// 3–63 characters of `a-z`, `0-9`, `.` and `-`, starting and ending with a
/// letter or digit, no `..`. This also keeps the name a safe single folder
/// name for the embedded store and a safe DNS label for virtual-host URLs.
pub fn validate_bucket_name(name: &str) -> Result<(), StorageError> {
    let bytes = name.as_bytes();
    let edge_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let valid = (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
        && edge_ok(bytes.first())
        && edge_ok(bytes.last())
        && !name.contains("..");
    if valid {
        Ok(())
    } else {
        Err(StorageError::InvalidBucket(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_version_ids_are_32_lowercase_hex_chars_and_differ() {
        let a = new_version_id();
        let b = new_version_id();
        assert_eq!(parse_version_id(&a).ok(), Some(a.as_str()));
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn version_ids_keep_their_leading_zeros() {
        // `{:032x}` pads; a plain `{:x}` would make 1 in 16 ids shorter.
        let ids: Vec<String> = (0..64).map(|_| new_version_id()).collect();
        assert!(ids.iter().all(|id| id.len() == VERSION_ID_LEN));
    }

    #[test]
    fn parse_version_id_rejects_everything_else() {
        for bad in [
            "",
            "0123456789abcdef0123456789abcde",   // 31
            "0123456789abcdef0123456789abcdef0", // 33
            "0123456789ABCDEF0123456789ABCDEF",  // upper case
            "0123456789abcdef0123456789abcdeg",  // not hex
            "../../../../etc/passwd/xxxxxxxxxx",
            "0123456789abcdef/123456789abcdef",
            "0123456789abcdef0123456789abcdé",
        ] {
            assert!(parse_version_id(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(parse_version_id("0123456789abcdef0123456789abcdef").is_ok());
    }

    #[test]
    fn keys_follow_the_contract() {
        let id = "00112233445566778899aabbccddeeff";
        assert_eq!(
            thumb_key(id),
            "photos/00112233445566778899aabbccddeeff/thumb.jpg"
        );
        assert_eq!(
            profile_key(id),
            "photos/00112233445566778899aabbccddeeff/profile.jpg"
        );
        assert_eq!(upload_key(id), "uploads/00112233445566778899aabbccddeeff");
    }

    #[test]
    fn bucket_names_follow_s3_rules() {
        for good in ["lanyard-photos", "abc", "a.b-c", "0bucket9"] {
            assert!(validate_bucket_name(good).is_ok(), "{good:?} was refused");
        }
        for bad in [
            "ab",
            "Lanyard",
            "-abc",
            "abc-",
            "a..b",
            "a/b",
            "..",
            "a_b",
            &"a".repeat(64),
        ] {
            assert!(validate_bucket_name(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
