//! Cropping and downscaling in a `<canvas>`, then a JPEG blob to upload.
//!
//! Re-encoding in the browser keeps uploads small (a phone photo of several
//! megabytes becomes a 960 px square of a few hundred kilobytes). It also
//! drops the original's metadata, though the server strips it again
//! regardless.

use super::crop::{output_side, CropRect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement};

/// The JPEG quality of the exported square.
const JPEG_QUALITY: f64 = 0.9;

/// Draws `rect` of the loaded `image` into a square canvas of
/// [`output_side`] pixels and encodes it as JPEG; `done` gets the blob (or
/// `None` if the browser could not encode it).
pub fn export_jpeg(
    image: &HtmlImageElement,
    rect: CropRect,
    done: impl FnOnce(Option<Blob>) + 'static,
) -> Result<(), JsValue> {
    let side = output_side(rect);
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.unchecked_into();
    canvas.set_width(side);
    canvas.set_height(side);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2d context"))?
        .unchecked_into();
    // JPEG has no transparency: a PNG's transparent parts become white, not
    // black.
    context.set_fill_style_str("#fff");
    context.fill_rect(0.0, 0.0, f64::from(side), f64::from(side));
    context.set_image_smoothing_enabled(true);
    // Not in web-sys's bindings; the best resampling the browser has.
    js_sys::Reflect::set(
        &context,
        &JsValue::from_str("imageSmoothingQuality"),
        &JsValue::from_str("high"),
    )?;
    context.draw_image_with_html_image_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
        image,
        f64::from(rect.x),
        f64::from(rect.y),
        f64::from(rect.side),
        f64::from(rect.side),
        0.0,
        0.0,
        f64::from(side),
        f64::from(side),
    )?;
    let callback = Closure::once_into_js(move |blob: JsValue| {
        done(blob.dyn_into::<Blob>().ok());
    });
    canvas.to_blob_with_type_and_encoder_options(
        callback.unchecked_ref(),
        "image/jpeg",
        &JsValue::from_f64(JPEG_QUALITY),
    )
}
