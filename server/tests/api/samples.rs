//! Image files for the upload tests, made in memory: ordinary photos, one
//! carrying EXIF with a GPS position, and the malformed files the server
//! must refuse (a PNG decompression bomb, a truncated JPEG).

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage};

/// A `width`×`height` RGB test pattern.
pub fn pattern(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    })
}

pub fn jpeg_of(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    jpeg_of(&pattern(width, height))
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = pattern(width, height);
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(image.as_raw(), width, height, ExtendedColorType::Rgb8)
        .unwrap();
    out
}

pub fn webp(width: u32, height: u32) -> Vec<u8> {
    let image = pattern(width, height);
    let mut out = Vec::new();
    WebPEncoder::new_lossless(&mut out)
        .write_image(image.as_raw(), width, height, ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// The GPS IFD pointer tag of EXIF (0x8825), little-endian as in the file.
pub const GPS_IFD_TAG: [u8; 2] = [0x25, 0x88];

/// A square JPEG, red on top and blue below as stored, with an APP1 EXIF
/// segment saying "rotate 90° clockwise to display" (orientation 6) and
/// holding a GPS position (latitude 51° N).
pub fn jpeg_with_exif_gps(side: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(side, side, |_, y| {
        if y < side / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    });
    let plain = jpeg_of(&image);
    let exif = exif_with_gps(6);
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    app1.extend_from_slice(&exif);
    // Right after SOI, where cameras put it.
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

/// `Exif\0\0` + a little-endian TIFF: IFD0 with Orientation and the GPS
/// IFD pointer; the GPS IFD with GPSLatitudeRef "N" and GPSLatitude 51/1.
fn exif_with_gps(orientation: u16) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes()); // IFD0 at 8
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        let mut e = tag.to_le_bytes().to_vec();
        e.extend_from_slice(&kind.to_le_bytes());
        e.extend_from_slice(&count.to_le_bytes());
        e.extend_from_slice(&value.to_le_bytes());
        e
    };
    // IFD0: 2 entries (2 + 2×12 + 4 = 30 bytes), GPS IFD right after (at 38).
    let gps_ifd = 8 + 30;
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend(entry(0x0112, 3, 1, u32::from(orientation)));
    tiff.extend(entry(0x8825, 4, 1, gps_ifd));
    tiff.extend_from_slice(&0u32.to_le_bytes());
    // GPS IFD: 2 entries (30 bytes), the latitude's 3 rationals after it (at 68).
    let rationals = gps_ifd + 30;
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    tiff.extend(entry(0x0002, 5, 3, rationals));
    tiff.extend_from_slice(&0u32.to_le_bytes());
    for (num, den) in [(51u32, 1u32), (30, 1), (0, 1)] {
        tiff.extend_from_slice(&num.to_le_bytes());
        tiff.extend_from_slice(&den.to_le_bytes());
    }
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(tiff);
    exif
}

/// Whether a JPEG has an APP1 segment (EXIF or XMP) before its image data.
pub fn jpeg_has_app1(jpeg: &[u8]) -> bool {
    let mut at = 2; // after SOI
    while at + 4 <= jpeg.len() && jpeg[at] == 0xFF {
        let marker = jpeg[at + 1];
        if marker == 0xE1 {
            return true;
        }
        if marker == 0xDA {
            return false; // start of scan: no more headers
        }
        let len = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        at += 2 + len;
    }
    false
}

/// A PNG of a few dozen bytes whose header claims `width`×`height` RGB
/// pixels (10^10 for 100000×100000, 30 GB decoded): valid signature,
/// chunks and CRCs, one empty compressed block as its data.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    // zlib header, one final empty stored block, Adler-32 of nothing.
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0, 0, 0, 1],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(kind.iter().chain(data));
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// CRC-32 (ISO 3309), as PNG chunks carry it.
fn crc32<'a>(bytes: impl Iterator<Item = &'a u8>) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn crc32_matches_the_png_specs_example() {
    // The CRC of an IEND chunk is the same in every PNG.
    assert_eq!(crc32(b"IEND".iter()), 0xAE42_6082);
}
