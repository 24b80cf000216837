//! `PhotoCropper`: a square window onto the chosen photo. Drag (mouse,
//! touch or pen) or the arrow keys move the photo; the slider, `+` and `-`
//! zoom. The geometry is [`Crop`]'s, so what the window shows is exactly
//! what the canvas will export.
//!
//! `data-crop="x,y,side"` on the frame gives the crop in image pixels, for
//! tests.

use crate::upload::crop::{percent, Crop, Placement};
use leptos::html::Div;
use leptos::prelude::*;

/// CSS pixels an arrow key moves the photo (Shift: five times as far).
const KEY_STEP_PX: f64 = 10.0;
/// How much `+` and `-` zoom.
const KEY_ZOOM_STEP: f64 = 0.1;

#[component]
pub fn PhotoCropper(
    /// The photo, as an object URL.
    #[prop(into)]
    src: String,
    /// The crop, owned by the page (it exports it).
    crop: RwSignal<Crop>,
) -> impl IntoView {
    let viewport = NodeRef::<Div>::new();
    // The pointer's last position while dragging.
    let drag = StoredValue::new(None::<(i32, i32, i32)>);
    let view_px = move || {
        viewport
            .get_untracked()
            .map_or(0.0, |v| f64::from(v.client_width()))
    };
    let pan = move |dx: f64, dy: f64| crop.update(|c| *c = c.panned(dx, dy, view_px()));

    let on_pointer_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        if let Some(el) = viewport.get_untracked() {
            // Keep receiving moves when the pointer leaves the window.
            let _ = el.set_pointer_capture(ev.pointer_id());
            let _ = el.focus();
        }
        drag.set_value(Some((ev.pointer_id(), ev.client_x(), ev.client_y())));
        ev.prevent_default();
    };
    let on_pointer_move = move |ev: web_sys::PointerEvent| {
        let Some((id, x, y)) = drag.get_value() else {
            return;
        };
        if id != ev.pointer_id() {
            return;
        }
        let (nx, ny) = (ev.client_x(), ev.client_y());
        drag.set_value(Some((id, nx, ny)));
        pan(f64::from(nx - x), f64::from(ny - y));
    };
    let on_pointer_end = move |_: web_sys::PointerEvent| drag.set_value(None);
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let step = if ev.shift_key() {
            KEY_STEP_PX * 5.0
        } else {
            KEY_STEP_PX
        };
        // Arrows move the photo the way they point.
        match ev.key().as_str() {
            "ArrowLeft" => pan(-step, 0.0),
            "ArrowRight" => pan(step, 0.0),
            "ArrowUp" => pan(0.0, -step),
            "ArrowDown" => pan(0.0, step),
            "+" | "=" => crop.update(|c| *c = c.with_zoom(c.zoom() + KEY_ZOOM_STEP)),
            "-" | "_" => crop.update(|c| *c = c.with_zoom(c.zoom() - KEY_ZOOM_STEP)),
            _ => return,
        }
        ev.prevent_default();
    };

    // Each property through the CSSOM (`style:`), which the
    // Content-Security-Policy allows; a `style` attribute would not be.
    let place = move |side: fn(&Placement) -> f64| move || percent(side(&crop.get().placement()));
    let data_crop = move || {
        let r = crop.get().rect();
        format!("{},{},{}", r.x, r.y, r.side)
    };
    let max_zoom = move || crop.with(Crop::max_zoom_percent).to_string();
    let zoom = move || crop.with(Crop::zoom_percent).to_string();

    view! {
        <div class="cropper" data-testid="cropper" data-crop=data_crop>
            <div
                class="cropper__viewport"
                node_ref=viewport
                tabindex="0"
                role="group"
                aria-label="Photo crop"
                aria-describedby="cropper-help"
                on:pointerdown=on_pointer_down
                on:pointermove=on_pointer_move
                on:pointerup=on_pointer_end
                on:pointercancel=on_pointer_end
                on:keydown=on_key
            >
                <img
                    class="cropper__img"
                    src=src
                    alt=""
                    draggable="false"
                    style:left=place(|p| p.left)
                    style:top=place(|p| p.top)
                    style:width=place(|p| p.width)
                    style:height=place(|p| p.height)
                />
                // The round frame the directory shows: a guide, not a crop.
                <span class="cropper__guide" aria-hidden="true"></span>
            </div>
            <p class="cropper__help muted" id="cropper-help">
                "Drag the photo or use the arrow keys to move it; + and − zoom."
            </p>
            <label class="cropper__zoom">
                <span>"Zoom"</span>
                <input
                    type="range"
                    data-testid="crop-zoom"
                    min="100"
                    max=max_zoom
                    step="1"
                    aria-valuetext=move || format!("{}%", crop.with(Crop::zoom_percent))
                    prop:value=zoom
                    disabled=move || crop.with(Crop::max_zoom_percent) <= 100
                    on:input=move |ev| {
                        let percent = event_target::<web_sys::HtmlInputElement>(&ev).value_as_number();
                        crop.update(|c| *c = c.with_zoom(percent / 100.0));
                    }
                />
            </label>
        </div>
    }
}
