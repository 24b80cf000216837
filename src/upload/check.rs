//! The checks a chosen file must pass before any request is made, with a
//! sentence for a person when it fails. The server checks again, by content;
//! this only spares people a pointless wait.

use lanyard_wire::UploadLimits;

/// Why a chosen file cannot be used, said for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem(pub String);

/// Checks a file's type (as the browser reports it) and size in bytes
/// against the server's limits.
pub fn check_file(content_type: &str, size: u64, limits: &UploadLimits) -> Result<(), FileProblem> {
    let allowed = limits
        .content_types
        .iter()
        .any(|t| t.eq_ignore_ascii_case(content_type.trim()));
    if !allowed {
        return Err(FileProblem(format!(
            "That file isn't a photo Lanyard can use. Choose a {} file.",
            type_names(&limits.content_types)
        )));
    }
    if size == 0 {
        return Err(FileProblem(
            "That file is empty. Choose another photo.".into(),
        ));
    }
    if size > limits.max_bytes {
        return Err(FileProblem(format!(
            "That file is {}; photos can be at most {}. Choose a smaller one.",
            megabytes(size),
            megabytes(limits.max_bytes)
        )));
    }
    Ok(())
}

/// Checks a decoded image's size: its shorter side must be at least
/// `min_side` pixels, or the server will refuse it.
pub fn check_dimensions(width: u32, height: u32, min_side: u32) -> Result<(), FileProblem> {
    if width == 0 || height == 0 {
        return Err(FileProblem(
            "That file couldn't be read as an image. Choose another photo.".into(),
        ));
    }
    if width.min(height) < min_side {
        return Err(FileProblem(format!(
            "That photo is {width}×{height} pixels; it needs to be at least \
             {min_side}×{min_side}. Choose a larger one."
        )));
    }
    Ok(())
}

/// "JPEG, PNG or WebP" from `image/jpeg`, `image/png`, `image/webp`.
fn type_names(types: &[String]) -> String {
    let names: Vec<String> = types
        .iter()
        .map(|t| match t.as_str() {
            "image/jpeg" => "JPEG".to_owned(),
            "image/png" => "PNG".to_owned(),
            "image/webp" => "WebP".to_owned(),
            // MIME types are ASCII; the ASCII mapping keeps Unicode's case
            // tables out of the wasm bundle (docs/performance.md).
            other => other.trim_start_matches("image/").to_ascii_uppercase(),
        })
        .collect();
    match names.as_slice() {
        [] => "photo".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// Bytes in megabytes of 2^20 bytes (the server's default limit is 10 × 2^20),
/// rounded up to one decimal, which is dropped when whole: a file just over
/// the limit never reads as the limit itself.
pub fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10).div_ceil(1 << 20);
    if tenths.is_multiple_of(10) {
        format!("{} MB", tenths / 10)
    } else {
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> UploadLimits {
        UploadLimits {
            max_bytes: 10 << 20,
            content_types: vec!["image/jpeg".into(), "image/png".into(), "image/webp".into()],
            min_side: 128,
            max_pixels: 40_000_000,
        }
    }

    #[test]
    fn photos_of_the_allowed_types_and_size_pass() {
        assert_eq!(check_file("image/jpeg", 1, &limits()), Ok(()));
        assert_eq!(check_file("image/png", 10 << 20, &limits()), Ok(()));
        assert_eq!(check_file("IMAGE/WEBP", 5_000, &limits()), Ok(()));
    }

    #[test]
    fn other_types_are_refused_naming_the_allowed_ones() {
        let err = check_file("text/plain", 100, &limits()).unwrap_err();
        assert_eq!(
            err.0,
            "That file isn't a photo Lanyard can use. Choose a JPEG, PNG or WebP file."
        );
        // A file the browser could not type at all, and a GIF.
        assert!(check_file("", 100, &limits()).is_err());
        assert!(check_file("image/gif", 100, &limits()).is_err());
    }

    #[test]
    fn empty_and_oversized_files_are_refused_with_sizes() {
        assert!(check_file("image/jpeg", 0, &limits())
            .unwrap_err()
            .0
            .contains("empty"));
        let err = check_file("image/jpeg", 12_345_678, &limits()).unwrap_err();
        assert_eq!(
            err.0,
            "That file is 11.8 MB; photos can be at most 10 MB. Choose a smaller one."
        );
        let just_over = check_file("image/jpeg", (10 << 20) + 1, &limits()).unwrap_err();
        assert!(
            just_over.0.starts_with("That file is 10.1 MB"),
            "{}",
            just_over.0
        );
    }

    #[test]
    fn images_below_the_minimum_side_are_refused() {
        assert_eq!(check_dimensions(128, 4_000, 128), Ok(()));
        let err = check_dimensions(1, 1, 128).unwrap_err();
        assert!(err.0.contains("1×1"), "{}", err.0);
        assert!(err.0.contains("128×128"), "{}", err.0);
        assert!(check_dimensions(0, 300, 128).is_err());
    }
}
