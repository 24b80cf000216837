//! Checking an uploaded file and deriving the sizes the SPA shows. Pure:
//! bytes in, JPEG bytes out, no IO, so every refusal is unit-testable.
//!
//! The order matters for safety:
//! 1. the type comes from the file's first bytes (never its name or the
//!    declared content type) and must be JPEG, PNG or WebP;
//! 2. the dimensions come from the header, and are checked against the
//!    limits *before* a single pixel is decoded, so a decompression bomb (a
//!    few hundred bytes claiming 100000×100000 pixels) is refused there;
//! 3. decoding runs under the image crate's [`Limits`] as a backstop;
//! 4. the derived images are fresh JPEGs encoded from pixels only: the
//!    encoder writes a JFIF header and nothing else, so EXIF (GPS included),
//!    ICC profiles, XMP and comments of the upload never reach them. The
//!    EXIF orientation is applied to the pixels first, so nothing is lost.

use image::codecs::jpeg::JpegEncoder;
use image::imageops::{self, FilterType};
use image::metadata::Orientation;
use image::{
    DynamicImage, ExtendedColorType, ImageBuffer, ImageDecoder, ImageError, ImageFormat,
    ImageReader, Limits, Pixel, Rgb, RgbImage, RgbaImage,
};
use std::io::Cursor;

/// The directory grid's square thumbnail, in pixels.
pub const THUMB_SIDE: u32 = 160;
/// The profile page's square photo, in pixels.
pub const PROFILE_SIDE: u32 = 480;
/// Photos this small stay sharp at 85 with a few tens of kilobytes.
const JPEG_QUALITY: u8 = 85;
/// The final resampling step: Catmull-Rom is sharp without Lanczos's
/// ringing and about half its cost. A large photo is first averaged down to
/// twice the profile size ([`imageops::thumbnail`], integer box filtering):
/// cheaper than a wide Catmull-Rom kernel over 12 million pixels, and it
/// spares the resizer's full-height floating-point intermediate (~10 MiB
/// less at the peak, measured by `examples/photo_processing.rs`).
const FILTER: FilterType = FilterType::CatmullRom;
/// The content types an upload may declare, as the SPA offers them.
pub use lanyard_wire::PHOTO_CONTENT_TYPES as CONTENT_TYPES;

/// What an uploaded image must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageRules {
    /// The shortest side, in pixels.
    pub min_side: u32,
    /// The most pixels (width × height).
    pub max_pixels: u64,
}

impl ImageRules {
    /// The decoder's allocation cap: the decoded image at the worst case of
    /// 16-bit RGBA (8 bytes a pixel), plus room for the decoder's own
    /// tables. The header check already refused anything larger; this only
    /// stops a file whose header lies about what follows.
    fn decode_limits(self) -> Limits {
        let mut limits = Limits::default();
        limits.max_alloc = Some(
            self.max_pixels
                .saturating_mul(8)
                .saturating_add(64 * 1024 * 1024),
        );
        limits
    }
}

/// The checked upload and its derived renditions.
pub struct Derived {
    /// What the file turned out to be.
    pub format: ImageFormat,
    /// The upload's dimensions as stored (before orientation).
    pub width: u32,
    pub height: u32,
    /// [`THUMB_SIDE`]² JPEG.
    pub thumb: Vec<u8>,
    /// [`PROFILE_SIDE`]² JPEG.
    pub profile: Vec<u8>,
}

/// Why a file was refused; `Display` is a sentence for the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("This file is larger than the {max_bytes} bytes a photo may have.")]
    TooManyBytes { max_bytes: u64 },
    #[error("This file is not a JPEG, PNG or WebP image.")]
    NotAnImage,
    #[error("This image is {width}×{height} pixels; a photo must be at least {min_side} pixels on each side.")]
    TooSmall {
        width: u32,
        height: u32,
        min_side: u32,
    },
    #[error("This image is {width}×{height} pixels, more than the {max_pixels} pixels a photo may have. Please choose a smaller image.")]
    TooManyPixels {
        width: u32,
        height: u32,
        max_pixels: u64,
    },
    #[error("This image needs too much memory to process. Please save it as an ordinary 8-bit JPEG or PNG and try again.")]
    TooMuchMemory,
    #[error("This image is damaged or incomplete and cannot be read. Please choose another file.")]
    Damaged,
}

/// The type of `bytes` by their content: JPEG, PNG or WebP, else refused.
pub fn sniff(bytes: &[u8]) -> Result<ImageFormat, Refusal> {
    match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Ok(format),
        _ => Err(Refusal::NotAnImage),
    }
}

/// The header's dimensions against the rules.
pub fn check_dimensions(width: u32, height: u32, rules: ImageRules) -> Result<(), Refusal> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > rules.max_pixels {
        return Err(Refusal::TooManyPixels {
            width,
            height,
            max_pixels: rules.max_pixels,
        });
    }
    if width.min(height) < rules.min_side {
        return Err(Refusal::TooSmall {
            width,
            height,
            min_side: rules.min_side,
        });
    }
    Ok(())
}

/// Checks `bytes` and derives the thumbnail and profile JPEGs: centre
/// square, EXIF orientation applied, metadata gone. CPU-heavy (tens of
/// milliseconds for a 12-MP photo): call it off the async runtime.
pub fn check_and_derive(bytes: &[u8], rules: ImageRules) -> Result<Derived, Refusal> {
    let format = sniff(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(rules.decode_limits());
    // Reads the header only.
    let mut decoder = reader.into_decoder().map_err(refusal_of)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height, rules)?;
    // Damaged EXIF is no reason to refuse a photo: it is dropped anyway.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(refusal_of)?;
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        // The image crate runs zune-jpeg in lenient mode (not configurable),
        // which decodes a cut-off file and fills the missing rows with
        // grey; a photo missing its lower part is not what was meant.
        return Err(Refusal::Damaged);
    }

    let profile = oriented(square_profile(image), orientation);
    let thumb = imageops::resize(&profile, THUMB_SIDE, THUMB_SIDE, FILTER);
    Ok(Derived {
        format,
        width,
        height,
        thumb: encode_jpeg(&thumb),
        profile: encode_jpeg(&profile),
    })
}

fn refusal_of(error: ImageError) -> Refusal {
    match error {
        ImageError::Limits(_) => Refusal::TooMuchMemory,
        _ => Refusal::Damaged,
    }
}

/// Whether the JPEG's image data reaches its end-of-image marker (`FF D9`).
///
/// Walks the marker segments by their lengths, so an EXIF thumbnail (a
/// whole JPEG inside APP1) is skipped, and each scan's entropy-coded data
/// up to the next marker (inside it, `FF` is always followed by `00` or a
/// restart marker). Whatever follows the end marker is ignored: phones
/// append motion-photo videos and other trailers there.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return false;
    }
    let mut at = 2;
    loop {
        // Markers may be preceded by any number of fill bytes (FF).
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else {
            return false;
        };
        at += 2;
        match marker {
            0xD9 => return true,
            // Standalone markers: restart intervals, TEM.
            0xD0..=0xD7 | 0x01 => continue,
            _ => {}
        }
        let Some(length) = bytes
            .get(at..at + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
        else {
            return false;
        };
        if length < 2 {
            return false;
        }
        at += length;
        if marker == 0xDA {
            // Start of scan: entropy-coded data up to the next real marker.
            loop {
                match (bytes.get(at), bytes.get(at + 1)) {
                    (Some(0xFF), Some(0x00 | 0xD0..=0xD7)) => at += 2,
                    (Some(0xFF), Some(_)) => break,
                    (Some(_), _) => at += 1,
                    (None, _) => return false,
                }
            }
        }
    }
}

/// The centre square, scaled to [`PROFILE_SIDE`]. Cropped as stored,
/// before orientation: the centre square of a rotated or mirrored image is
/// the rotated or mirrored centre square, and orienting 480² pixels is far
/// cheaper than orienting 12 million.
fn square_profile(image: DynamicImage) -> RgbImage {
    if image.color().has_alpha() {
        flatten_onto_white(&scaled_square(&image.into_rgba8()))
    } else {
        // A JPEG decodes to RGB already: no copy.
        scaled_square(&image.into_rgb8())
    }
}

fn scaled_square<P>(image: &ImageBuffer<P, Vec<u8>>) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    let (width, height) = image.dimensions();
    let side = width.min(height);
    let (x, y) = ((width - side) / 2, (height - side) / 2);
    // A view: no copy of the (possibly 12-MP) square.
    let square = imageops::crop_imm(image, x, y, side, side);
    if side > 2 * PROFILE_SIDE {
        let halfway = imageops::thumbnail(&*square, 2 * PROFILE_SIDE, 2 * PROFILE_SIDE);
        imageops::resize(&halfway, PROFILE_SIDE, PROFILE_SIDE, FILTER)
    } else {
        imageops::resize(&*square, PROFILE_SIDE, PROFILE_SIDE, FILTER)
    }
}

/// JPEG has no transparency: transparent parts become white, as on the page.
fn flatten_onto_white(rgba: &RgbaImage) -> RgbImage {
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| {
            let value = (u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255;
            u8::try_from(value).unwrap_or(u8::MAX)
        };
        Rgb([blend(r), blend(g), blend(b)])
    })
}

fn oriented(image: RgbImage, orientation: Orientation) -> RgbImage {
    if orientation == Orientation::NoTransforms {
        return image;
    }
    let mut image = DynamicImage::ImageRgb8(image);
    image.apply_orientation(orientation);
    image.into_rgb8()
}

fn encode_jpeg(image: &RgbImage) -> Vec<u8> {
    let mut jpeg = Vec::with_capacity(64 * 1024);
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgb8,
        )
        .expect("encoding an in-memory RGB buffer of its own size cannot fail");
    jpeg
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::png::PngEncoder;
    use image::ImageEncoder as _;

    const RULES: ImageRules = ImageRules {
        min_side: 128,
        max_pixels: 40_000_000,
    };

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        encode_jpeg(&RgbImage::from_pixel(width, height, Rgb([10, 200, 30])))
    }

    #[test]
    fn the_type_comes_from_the_content() {
        assert_eq!(sniff(&jpeg(8, 8)), Ok(ImageFormat::Jpeg));
        assert_eq!(sniff(b"GIF89a\x01\x00\x01\x00"), Err(Refusal::NotAnImage));
        assert_eq!(sniff(b"<svg xmlns=..."), Err(Refusal::NotAnImage));
        assert_eq!(sniff(b""), Err(Refusal::NotAnImage));
    }

    #[test]
    fn dimensions_must_fit_the_rules() {
        assert!(check_dimensions(128, 128, RULES).is_ok());
        // A 12-MP photo passes.
        assert!(check_dimensions(4000, 3000, RULES).is_ok());
        assert!(matches!(
            check_dimensions(127, 4000, RULES),
            Err(Refusal::TooSmall { .. })
        ));
        assert!(matches!(
            check_dimensions(8000, 5001, RULES),
            Err(Refusal::TooManyPixels { .. })
        ));
        // No overflow at the extremes.
        assert!(check_dimensions(u32::MAX, u32::MAX, RULES).is_err());
    }

    #[test]
    fn renditions_are_squares_of_the_contract_sizes() {
        let derived = check_and_derive(&jpeg(400, 200), RULES).unwrap();
        assert_eq!((derived.width, derived.height), (400, 200));
        for (bytes, side) in [
            (&derived.thumb, THUMB_SIDE),
            (&derived.profile, PROFILE_SIDE),
        ] {
            let image = image::load_from_memory_with_format(bytes, ImageFormat::Jpeg).unwrap();
            assert_eq!((image.width(), image.height()), (side, side));
        }
    }

    #[test]
    fn transparency_becomes_white() {
        let clear = RgbaImage::from_pixel(200, 200, image::Rgba([0, 0, 0, 0]));
        let mut png = Vec::new();
        PngEncoder::new(&mut png)
            .write_image(clear.as_raw(), 200, 200, ExtendedColorType::Rgba8)
            .unwrap();
        let derived = check_and_derive(&png, RULES).unwrap();
        let thumb = image::load_from_memory(&derived.thumb).unwrap().into_rgb8();
        let pixel = thumb.get_pixel(80, 80).0;
        assert!(pixel.iter().all(|&c| c > 245), "{pixel:?}");
    }

    #[test]
    fn a_jpeg_without_its_end_is_damaged() {
        let whole = jpeg(200, 200);
        assert!(jpeg_is_complete(&whole));
        // A trailer after the end (a motion photo's video) is fine.
        let mut trailer = whole.clone();
        trailer.extend_from_slice(b"\0\0ftypmp42 and a video");
        assert!(jpeg_is_complete(&trailer));
        assert!(check_and_derive(&trailer, RULES).is_ok());
        for cut in [1, 2, 3, whole.len() / 2, whole.len() - 10] {
            assert!(!jpeg_is_complete(&whole[..whole.len() - cut]), "{cut}");
        }
        assert!(!jpeg_is_complete(b""));
        assert_eq!(
            check_and_derive(&whole[..whole.len() * 3 / 4], RULES).err(),
            Some(Refusal::Damaged)
        );
    }

    #[test]
    fn garbage_after_a_valid_header_is_damaged_not_a_panic() {
        let mut bytes = jpeg(200, 200);
        let len = bytes.len();
        for b in &mut bytes[len / 3..len - 2] {
            *b = 0xFF;
        }
        assert!(check_and_derive(&bytes, RULES).is_err());
        for cut in [0, 1, 2, 3, 10, 50, 100] {
            let _ = check_and_derive(&jpeg(200, 200)[..cut], RULES);
        }
    }

    #[test]
    fn refusals_are_sentences() {
        let refusal = Refusal::TooSmall {
            width: 1,
            height: 1,
            min_side: 128,
        };
        assert_eq!(
            refusal.to_string(),
            "This image is 1×1 pixels; a photo must be at least 128 pixels on each side."
        );
    }
}
