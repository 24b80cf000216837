//! The square crop's geometry, in the image's own pixels.
//!
//! At zoom 1 the crop is the largest square that fits (the image "covers"
//! the square viewport); zooming in shrinks the crop around its centre, and
//! the centre is always clamped so the crop never leaves the image. Zoom is
//! capped so the crop's side never falls below the server's minimum side:
//! what the person sees is what the server will accept. The cropper view and
//! the canvas export both read this one model.

/// The most the slider zooms in, when the image is large enough.
pub const MAX_ZOOM: f64 = 4.0;

/// The largest side of the exported square, in pixels: far more than the
/// 480 px profile rendition needs, far less than a phone photo's size.
pub const MAX_OUTPUT_SIDE: u32 = 960;

/// A square crop of a `width` × `height` image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crop {
    width: f64,
    height: f64,
    /// The crop's centre, in image pixels.
    cx: f64,
    cy: f64,
    zoom: f64,
    max_zoom: f64,
}

/// The crop as whole image pixels: what the canvas copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CropRect {
    pub x: u32,
    pub y: u32,
    pub side: u32,
}

/// Where the image sits inside the square viewport, in percent of the
/// viewport's side: CSS that works at any viewport size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl Crop {
    /// The centred crop at zoom 1. `min_side` caps the zoom; an image whose
    /// shorter side is below it has no valid crop (checked before, see
    /// [`super::check::check_dimensions`]) and gets zoom 1 only.
    pub fn new(width: u32, height: u32, min_side: u32) -> Self {
        let (w, h) = (f64::from(width.max(1)), f64::from(height.max(1)));
        let short = w.min(h);
        let max_zoom = (short / f64::from(min_side.max(1))).clamp(1.0, MAX_ZOOM);
        Self {
            width: w,
            height: h,
            cx: w / 2.0,
            cy: h / 2.0,
            zoom: 1.0,
            max_zoom,
        }
    }

    pub fn zoom(&self) -> f64 {
        self.zoom
    }

    /// The zoom in whole percent, for the slider (an integer slider keeps
    /// float formatting and parsing out of the wasm bundle).
    pub fn zoom_percent(&self) -> u32 {
        // Within [100, 400].
        (self.zoom * 100.0).round() as u32
    }

    pub fn max_zoom_percent(&self) -> u32 {
        // Within [100, 400]; floor, so the slider's top stays allowed.
        (self.max_zoom * 100.0).floor() as u32
    }

    pub fn max_zoom(&self) -> f64 {
        self.max_zoom
    }

    /// The crop's side in image pixels.
    pub fn side(&self) -> f64 {
        self.width.min(self.height) / self.zoom
    }

    /// Zooms to `zoom` (clamped to `1..=max_zoom`) around the crop's centre.
    #[must_use]
    pub fn with_zoom(self, zoom: f64) -> Self {
        let zoom = if zoom.is_finite() { zoom } else { 1.0 };
        Self {
            zoom: zoom.clamp(1.0, self.max_zoom),
            ..self
        }
        .clamped()
    }

    /// Moves the image by `dx`, `dy` CSS pixels inside a viewport `view_px`
    /// wide, as a drag does: the picture follows the pointer, so the crop
    /// moves the other way.
    #[must_use]
    pub fn panned(self, dx: f64, dy: f64, view_px: f64) -> Self {
        if !(view_px > 0.0 && dx.is_finite() && dy.is_finite()) {
            return self;
        }
        let image_px_per_css_px = self.side() / view_px;
        Self {
            cx: self.cx - dx * image_px_per_css_px,
            cy: self.cy - dy * image_px_per_css_px,
            ..self
        }
        .clamped()
    }

    /// Keeps the whole crop inside the image.
    fn clamped(self) -> Self {
        let half = self.side() / 2.0;
        Self {
            cx: self.cx.clamp(half, self.width - half),
            cy: self.cy.clamp(half, self.height - half),
            ..self
        }
    }

    /// The crop in whole pixels, still inside the image.
    pub fn rect(&self) -> CropRect {
        let side = self.side().floor().max(1.0);
        let x = (self.cx - side / 2.0).round().clamp(0.0, self.width - side);
        let y = (self.cy - side / 2.0)
            .round()
            .clamp(0.0, self.height - side);
        // Values are within [0, u32::MAX] image pixels.
        CropRect {
            x: x as u32,
            y: y as u32,
            side: side as u32,
        }
    }

    /// Where to draw the whole image so the viewport shows the crop.
    pub fn placement(&self) -> Placement {
        let side = self.side();
        let half = side / 2.0;
        Placement {
            left: -(self.cx - half) / side * 100.0,
            top: -(self.cy - half) / side * 100.0,
            width: self.width / side * 100.0,
            height: self.height / side * 100.0,
        }
    }
}

/// `v` percent as a CSS length with two decimals, by integer formatting
/// only: float formatting would add tens of kilobytes to the wasm bundle.
pub fn percent(v: f64) -> String {
    let hundredths = if v.is_finite() {
        (v * 100.0).round() as i64
    } else {
        0
    };
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    format!("{sign}{}.{:02}%", abs / 100, abs % 100)
}

/// The exported square's side: the crop's own side, down to at most
/// `MAX_OUTPUT_SIDE` — never upscaled, so never below what the crop holds
/// (and the zoom cap keeps that at or above the server's minimum).
pub fn output_side(rect: CropRect) -> u32 {
    rect.side.min(MAX_OUTPUT_SIDE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_one_is_the_largest_centred_square() {
        let crop = Crop::new(4_000, 3_000, 128);
        assert_eq!(
            crop.rect(),
            CropRect {
                x: 500,
                y: 0,
                side: 3_000
            }
        );
        let tall = Crop::new(600, 800, 128);
        assert_eq!(
            tall.rect(),
            CropRect {
                x: 0,
                y: 100,
                side: 600
            }
        );
    }

    #[test]
    fn zooming_shrinks_the_crop_around_its_centre() {
        let crop = Crop::new(4_000, 3_000, 128).with_zoom(2.0);
        assert_eq!(
            crop.rect(),
            CropRect {
                x: 1_250,
                y: 750,
                side: 1_500
            }
        );
    }

    #[test]
    fn zoom_is_capped_so_the_crop_keeps_the_minimum_side() {
        // 300 px short side, 128 px minimum: at most 2.34× zoom.
        let crop = Crop::new(300, 400, 128);
        assert!((crop.max_zoom() - 300.0 / 128.0).abs() < 1e-9);
        let zoomed = crop.with_zoom(10.0);
        assert!(zoomed.rect().side >= 128, "{:?}", zoomed.rect());
        // A big photo stops at MAX_ZOOM.
        assert_eq!(
            Crop::new(4_000, 3_000, 128).with_zoom(99.0).zoom(),
            MAX_ZOOM
        );
        // Below 1 and NaN mean 1.
        assert_eq!(crop.with_zoom(0.2).zoom(), 1.0);
        assert_eq!(crop.with_zoom(f64::NAN).zoom(), 1.0);
        // An image exactly at the minimum cannot zoom at all.
        assert_eq!(Crop::new(128, 500, 128).max_zoom(), 1.0);
    }

    #[test]
    fn dragging_moves_the_picture_with_the_pointer() {
        // 2 000 px crop shown 200 px wide: 10 image px per CSS px.
        let crop = Crop::new(4_000, 2_000, 128);
        assert_eq!(crop.rect().x, 1_000);
        // Drag right by 30 px: the picture moves right, the crop left.
        assert_eq!(crop.panned(30.0, 0.0, 200.0).rect().x, 700);
        assert_eq!(crop.panned(-30.0, 0.0, 200.0).rect().x, 1_300);
    }

    #[test]
    fn the_crop_never_leaves_the_image() {
        let crop = Crop::new(4_000, 2_000, 128).with_zoom(2.0);
        let far = crop.panned(1e9, -1e9, 300.0).rect();
        assert_eq!(
            far,
            CropRect {
                x: 0,
                y: 1_000,
                side: 1_000
            }
        );
        let other = crop.panned(-1e9, 1e9, 300.0).rect();
        assert_eq!(
            other,
            CropRect {
                x: 3_000,
                y: 0,
                side: 1_000
            }
        );
        // Zooming out after panning to an edge pulls the crop back inside.
        let back = Crop::new(4_000, 2_000, 128)
            .with_zoom(4.0)
            .panned(1e9, 1e9, 300.0)
            .with_zoom(1.0)
            .rect();
        assert_eq!(
            back,
            CropRect {
                x: 0,
                y: 0,
                side: 2_000
            }
        );
        // Nonsense drags change nothing.
        assert_eq!(crop.panned(f64::NAN, 1.0, 300.0), crop);
        assert_eq!(crop.panned(5.0, 1.0, 0.0), crop);
    }

    #[test]
    fn the_placement_shows_exactly_the_crop() {
        let crop = Crop::new(4_000, 2_000, 128)
            .with_zoom(2.0)
            .panned(50.0, 0.0, 100.0);
        let rect = crop.rect();
        let place = crop.placement();
        // The image is 4× the viewport wide, and its left edge sits the crop's
        // x (in viewport widths) to the left.
        assert!((place.width - 400.0).abs() < 1e-9);
        assert!((place.height - 200.0).abs() < 1e-9);
        let side = f64::from(rect.side);
        assert!(
            (place.left + f64::from(rect.x) / side * 100.0).abs() < 1e-6,
            "{place:?} {rect:?}"
        );
        assert!((place.top + f64::from(rect.y) / side * 100.0).abs() < 1e-6);
    }

    #[test]
    fn the_placement_is_written_as_css_percentages() {
        let written = [-12.345, -0.5, 200.0, 133.333, f64::NAN].map(percent);
        assert_eq!(
            written,
            ["-12.35%", "-0.50%", "200.00%", "133.33%", "0.00%"]
        );
    }

    #[test]
    fn the_slider_works_in_whole_percent() {
        let crop = Crop::new(300, 400, 128);
        assert_eq!(crop.zoom_percent(), 100);
        assert_eq!(crop.max_zoom_percent(), 234);
        assert_eq!(crop.with_zoom(1.234_9).zoom_percent(), 123);
        assert_eq!(crop.with_zoom(9.0).zoom_percent(), 234, "capped");
        // The slider's top is within the cap.
        let top = crop.with_zoom(f64::from(crop.max_zoom_percent()) / 100.0);
        assert!(top.rect().side >= 128);
    }

    #[test]
    fn the_export_downscales_but_never_upscales() {
        assert_eq!(
            output_side(CropRect {
                x: 0,
                y: 0,
                side: 3_000
            }),
            MAX_OUTPUT_SIDE
        );
        assert_eq!(
            output_side(CropRect {
                x: 0,
                y: 0,
                side: 500
            }),
            500
        );
        assert_eq!(
            output_side(CropRect {
                x: 0,
                y: 0,
                side: 128
            }),
            128
        );
    }
}
