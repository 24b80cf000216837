//! Generated demo portraits: a head-and-shoulders figure on a soft gradient,
//! distinct per seed (background hue, skin, hair style and colour, shirt).
//!
//! The seed renders about 600 of these in a debug build at first start, and
//! this crate is not optimised in debug builds (only the image codecs are),
//! so shapes are drawn a scanline span at a time: only pixels on a shape's
//! edge pay for an anti-aliasing estimate, the rest are plain fills.

use image::codecs::jpeg::JpegEncoder;
use image::ExtendedColorType;

/// Good enough for photos this small, well under 20 KB at 160×160.
const JPEG_QUALITY: u8 = 82;
/// Sizes outside this range are clamped (0 would be no image at all).
const MIN_SIZE: u32 = 16;
const MAX_SIZE: u32 = 2048;

type Rgb = [f32; 3];

/// A JPEG portrait of `size`×`size` pixels (clamped to 16..=2048), the same
/// for the same seed. Written by the `image` JPEG encoder, which adds only
/// the JFIF header: no EXIF, no other metadata.
pub fn render_avatar(seed: u64, size: u32) -> Vec<u8> {
    let size = size.clamp(MIN_SIZE, MAX_SIZE);
    let look = Look::from_seed(seed);
    let mut canvas = Canvas::new(size);
    canvas.diagonal_gradient(look.background_top, look.background_bottom);
    look.draw(&mut canvas);

    let mut jpeg = Vec::with_capacity((size * size / 4) as usize);
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode(&canvas.pixels, size, size, ExtendedColorType::Rgb8)
        .expect("encoding an in-memory RGB buffer of the declared size cannot fail");
    jpeg
}

/// Everything that varies between portraits.
struct Look {
    background_top: Rgb,
    background_bottom: Rgb,
    skin: Rgb,
    hair: Rgb,
    shirt: Rgb,
    hair_style: HairStyle,
    /// Horizontal offset of the figure, a few percent either way.
    shift: f32,
    head_width: f32,
}

#[derive(Clone, Copy)]
enum HairStyle {
    Short,
    Long,
    Bald,
}

const SKIN_TONES: [Rgb; 6] = [
    [255.0, 224.0, 196.0],
    [241.0, 194.0, 160.0],
    [224.0, 172.0, 130.0],
    [198.0, 134.0, 96.0],
    [150.0, 98.0, 66.0],
    [104.0, 68.0, 46.0],
];

const HAIR_COLOURS: [Rgb; 7] = [
    [34.0, 28.0, 26.0],
    [66.0, 44.0, 30.0],
    [110.0, 72.0, 42.0],
    [160.0, 82.0, 45.0],
    [214.0, 180.0, 120.0],
    [176.0, 172.0, 168.0],
    [52.0, 40.0, 36.0],
];

impl Look {
    fn from_seed(seed: u64) -> Self {
        let mut rng = SplitMix64(seed ^ 0x1a9a_2d5e_ed00_0001);
        let hue = rng.unit() * 360.0;
        let shirt_hue = (hue + 150.0 + rng.unit() * 60.0) % 360.0;
        let hair_style = match rng.below(10) {
            0..=4 => HairStyle::Short,
            5..=8 => HairStyle::Long,
            _ => HairStyle::Bald,
        };
        let skin = SKIN_TONES[rng.below(SKIN_TONES.len() as u64) as usize];
        let mut hair = HAIR_COLOURS[rng.below(HAIR_COLOURS.len() as u64) as usize];
        // Hair the colour of the skin reads as one blob: fall back to a dark
        // shade that stands out against it.
        if (luma(hair) - luma(skin)).abs() < 45.0 {
            hair = if luma(skin) > 150.0 {
                HAIR_COLOURS[1]
            } else {
                [20.0, 16.0, 16.0]
            };
        }
        Self {
            background_top: hsl(hue, 0.45, 0.84),
            background_bottom: hsl((hue + 25.0) % 360.0, 0.50, 0.64),
            skin,
            hair,
            shirt: hsl(shirt_hue, 0.25 + rng.unit() * 0.3, 0.28 + rng.unit() * 0.2),
            hair_style,
            shift: (rng.unit() - 0.5) * 0.06,
            head_width: 0.155 + rng.unit() * 0.025,
        }
    }

    /// Back to front; coordinates are fractions of the image size.
    fn draw(&self, canvas: &mut Canvas) {
        let cx = 0.5 + self.shift;
        let head_rx = self.head_width;
        let head_ry = 0.195;
        let head_cy = 0.42;
        let skin_shadow = scale(self.skin, 0.82);

        if let HairStyle::Long = self.hair_style {
            // Hair falling behind the head down to the shoulders.
            canvas.ellipse(cx, head_cy + 0.07, head_rx + 0.05, head_ry + 0.1, self.hair);
        }
        // Shoulders, then the neck in shadow, then the head.
        canvas.ellipse(cx, 1.0, 0.39, 0.27, self.shirt);
        canvas.ellipse(cx, head_cy + 0.22, head_rx * 0.52, 0.16, skin_shadow);
        canvas.ellipse(cx, head_cy, head_rx, head_ry, self.skin);
        match self.hair_style {
            HairStyle::Bald => {}
            HairStyle::Short | HairStyle::Long => {
                // A hair cap over the top of the head, then the face drawn
                // over it again: the face's upper edge becomes the hairline.
                canvas.ellipse(
                    cx,
                    head_cy - 0.07,
                    head_rx + 0.015,
                    head_ry * 0.78,
                    self.hair,
                );
                canvas.ellipse(
                    cx,
                    head_cy + 0.035,
                    head_rx * 0.92,
                    head_ry * 0.84,
                    self.skin,
                );
            }
        }
        // Ears, slightly darker, on each side.
        let ear_x = head_rx * 0.97;
        canvas.ellipse(cx - ear_x, head_cy + 0.03, 0.022, 0.04, skin_shadow);
        canvas.ellipse(cx + ear_x, head_cy + 0.03, 0.022, 0.04, skin_shadow);
    }
}

/// An RGB8 image being drawn.
struct Canvas {
    size: u32,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(size: u32) -> Self {
        Self {
            size,
            pixels: vec![0; (size as usize) * (size as usize) * 3],
        }
    }

    /// From `top` at the top-left corner to `bottom` at the bottom-right.
    fn diagonal_gradient(&mut self, top: Rgb, bottom: Rgb) {
        let n = self.size as usize;
        let steps = (2 * n).saturating_sub(2).max(1) as f32;
        // The colour depends on x + y only, so row y is the slice y..y + n of
        // one ramp: one memcpy per row.
        let ramp: Vec<u8> = (0..2 * n)
            .flat_map(|i| to_u8(mix(top, bottom, (i as f32 / steps).min(1.0))))
            .collect();
        for (y, row) in self.pixels.chunks_exact_mut(n * 3).enumerate() {
            row.copy_from_slice(&ramp[y * 3..(y + n) * 3]);
        }
    }

    /// Fills an axis-aligned ellipse (centre and radii as fractions of the
    /// size), anti-aliased, clipped to the image.
    fn ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, colour: Rgb) {
        let n = self.size as usize;
        let s = self.size as f32;
        let (cx, cy, rx, ry) = (cx * s, cy * s, rx * s, ry * s);
        let solid: Vec<u8> = std::iter::repeat_n(to_u8(colour), n).flatten().collect();
        let last = n as i64 - 1;
        let y0 = ((cy - ry - 1.0).floor() as i64).max(0);
        let y1 = ((cy + ry + 1.0).ceil() as i64).min(last);
        for y in y0..=y1 {
            let dy = y as f32 + 0.5 - cy;
            // Beyond `outer` nothing is covered, within `inner` everything is.
            let outer = half_width(rx + 1.0, ry + 1.0, dy);
            if outer <= 0.0 {
                continue;
            }
            let inner = half_width(rx - 1.0, ry - 1.0, dy);
            let x0 = ((cx - outer).floor() as i64).max(0);
            let x1 = ((cx + outer).ceil() as i64).min(last);
            // Pixels whose centre lies within `inner`: a plain copy.
            let (solid0, solid1) = if inner > 0.0 {
                (
                    ((cx - inner - 0.5).ceil() as i64).max(x0),
                    ((cx + inner - 0.5).floor() as i64).min(x1),
                )
            } else {
                (x1 + 1, x1)
            };
            let row = &mut self.pixels[y as usize * n * 3..(y as usize + 1) * n * 3];
            if solid0 <= solid1 {
                let (a, b) = (solid0 as usize * 3, (solid1 as usize + 1) * 3);
                row[a..b].copy_from_slice(&solid[..b - a]);
            }
            // The edges: blend by coverage.
            for x in (x0..solid0.min(x1 + 1)).chain((solid1 + 1).max(x0)..=x1) {
                let dx = x as f32 + 0.5 - cx;
                let coverage = ellipse_coverage(dx, dy, rx, ry);
                if coverage > 0.0 {
                    let i = x as usize * 3;
                    blend(&mut row[i..i + 3], colour, coverage);
                }
            }
        }
    }
}

/// Half the width of the ellipse (rx, ry) at height `dy` from its centre.
fn half_width(rx: f32, ry: f32, dy: f32) -> f32 {
    if rx <= 0.0 || ry <= 0.0 || dy.abs() >= ry {
        return 0.0;
    }
    rx * (1.0 - (dy / ry) * (dy / ry)).sqrt()
}

/// Fraction of a pixel covered, from an estimate of the signed distance to
/// the edge (the implicit function divided by its gradient).
fn ellipse_coverage(dx: f32, dy: f32, rx: f32, ry: f32) -> f32 {
    let f = (dx / rx) * (dx / rx) + (dy / ry) * (dy / ry) - 1.0;
    let gx = 2.0 * dx / (rx * rx);
    let gy = 2.0 * dy / (ry * ry);
    let gradient = (gx * gx + gy * gy).sqrt().max(1e-6);
    (0.5 - f / gradient).clamp(0.0, 1.0)
}

fn blend(pixel: &mut [u8], colour: Rgb, alpha: f32) {
    for (channel, target) in pixel.iter_mut().zip(colour) {
        let current = f32::from(*channel);
        *channel = (current + (target - current) * alpha)
            .round()
            .clamp(0.0, 255.0) as u8;
    }
}

fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t)
}

fn scale(colour: Rgb, factor: f32) -> Rgb {
    colour.map(|c| c * factor)
}

/// Perceived brightness, 0..=255 (Rec. 601 weights).
fn luma(colour: Rgb) -> f32 {
    0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
}

fn to_u8(colour: Rgb) -> [u8; 3] {
    colour.map(|c| c.round().clamp(0.0, 255.0) as u8)
}

/// HSL (hue in degrees, saturation and lightness in 0..=1) to RGB 0..=255.
fn hsl(hue: f32, saturation: f32, lightness: f32) -> Rgb {
    let chroma = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let h = hue / 60.0;
    let x = chroma * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (chroma, x, 0.0),
        1 => (x, chroma, 0.0),
        2 => (0.0, chroma, x),
        3 => (0.0, x, chroma),
        4 => (x, 0.0, chroma),
        _ => (chroma, 0.0, x),
    };
    let m = lightness - chroma / 2.0;
    [r, g, b].map(|c| (c + m) * 255.0)
}

/// A tiny deterministic generator: the same seed must give the same
/// portrait on every machine and every run, so no `rand` here.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Uniform enough in 0..n for tiny n.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(jpeg: &[u8]) -> image::RgbImage {
        image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg)
            .expect("a valid JPEG")
            .to_rgb8()
    }

    #[test]
    fn renders_a_jpeg_of_the_requested_size() {
        for size in [160, 480] {
            let image = decode(&render_avatar(7, size));
            assert_eq!(image.dimensions(), (size, size));
        }
    }

    #[test]
    fn sizes_are_clamped() {
        assert_eq!(
            decode(&render_avatar(1, 0)).dimensions(),
            (MIN_SIZE, MIN_SIZE)
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes_and_seeds_differ() {
        assert_eq!(render_avatar(42, 160), render_avatar(42, 160));
        let a = decode(&render_avatar(1, 160));
        let b = decode(&render_avatar(2, 160));
        let difference: u64 = a
            .as_raw()
            .iter()
            .zip(b.as_raw())
            .map(|(x, y)| u64::from(x.abs_diff(*y)))
            .sum();
        // Clearly different pictures, not just JPEG noise.
        assert!(
            difference / a.as_raw().len() as u64 > 10,
            "mean difference {difference}"
        );
    }

    #[test]
    fn has_no_exif_or_other_metadata_segments() {
        let jpeg = render_avatar(3, 160);
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        // Walk the header segments up to the scan: APP0 (JFIF) is fine,
        // APP1..APP15 (EXIF, XMP, ICC…) and COM (comments) must be absent.
        let mut at = 2;
        loop {
            assert_eq!(jpeg[at], 0xFF, "segment marker expected at {at}");
            let marker = jpeg[at + 1];
            assert!(
                !(0xE1..=0xEF).contains(&marker) && marker != 0xFE,
                "metadata marker {marker:#x}"
            );
            if marker == 0xDA {
                break;
            }
            let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
            at += 2 + length;
        }
    }

    #[test]
    fn hair_always_stands_out_from_the_skin() {
        for seed in 0..500 {
            let look = Look::from_seed(seed);
            assert!(
                (luma(look.hair) - luma(look.skin)).abs() >= 45.0,
                "seed {seed}"
            );
        }
    }

    #[test]
    fn the_figure_stands_out_from_the_background() {
        let image = decode(&render_avatar(9, 160));
        let corner = image.get_pixel(2, 2).0;
        let face = image.get_pixel(80, 75).0;
        let distance: u32 = corner
            .iter()
            .zip(face)
            .map(|(a, b)| u32::from(a.abs_diff(b)))
            .sum();
        assert!(distance > 30, "corner {corner:?} face {face:?}");
    }
}
