//! The "My photo" page's upload panel: choose a file, check it, crop it,
//! upload it with a real progress bar, or cancel.

use crate::components::photo_cropper::PhotoCropper;
use crate::session::Session;
use crate::upload::canvas::export_jpeg;
use crate::upload::check::{check_dimensions, check_file, megabytes};
use crate::upload::crop::Crop;
use crate::upload::machine::Phase;
use crate::upload::runner::{UploadStatus, Uploader};
use lanyard_wire::{MyPhoto, UploadLimits};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::HtmlImageElement;

/// A photo the person chose and may crop: its object URL and size.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Chosen {
    url: String,
    width: u32,
    height: u32,
}
/// Choose, check, crop, upload.
#[component]
pub(super) fn UploadPanel(limits: UploadLimits, on_done: Callback<MyPhoto>) -> impl IntoView {
    let session = Session::expect();
    let chosen = RwSignal::new(None::<Chosen>);
    let crop = RwSignal::new(Crop::new(1, 1, 1));
    let (file_error, set_file_error) = signal(None::<String>);
    let (preparing, set_preparing) = signal(false);
    // The decoded photo, for the canvas export.
    let image = StoredValue::new_local(None::<HtmlImageElement>);
    let input = NodeRef::<leptos::html::Input>::new();
    let uploader = Uploader::new(
        session,
        Callback::new(move |photo| {
            forget_chosen(chosen, image);
            on_done.run(photo);
        }),
    );
    on_cleanup(move || {
        // Leaving the page mid-upload cancels it: nothing is left behind.
        uploader.cancel();
        forget_chosen(chosen, image);
    });

    let accept = limits.content_types.join(",");
    let hint = format!(
        "JPEG, PNG or WebP, up to {}, at least {}×{} pixels.",
        megabytes(limits.max_bytes),
        limits.min_side,
        limits.min_side
    );
    let max_bytes = limits.max_bytes;
    let min_side = limits.min_side;
    let on_change = move |_| {
        set_file_error.set(None);
        uploader.clear();
        let Some(el) = input.get_untracked() else {
            return;
        };
        let Some(file) = el.files().and_then(|files| files.get(0)) else {
            return;
        };
        // The same file chosen again must fire `change` again.
        el.set_value("");
        // A blob's size is a whole number of bytes.
        if let Err(problem) = check_file(&file.type_(), file.size() as u64, &limits) {
            set_file_error.set(Some(problem.0));
            return;
        }
        forget_chosen(chosen, image);
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&file) else {
            set_file_error.set(Some("This browser could not open that file.".into()));
            return;
        };
        load_image(url, min_side, move |loaded| match loaded {
            Ok((img, picked)) => {
                crop.set(Crop::new(picked.width, picked.height, min_side));
                image.set_value(Some(img));
                chosen.set(Some(picked));
            }
            Err(message) => {
                set_file_error.set(Some(message));
            }
        });
    };

    let upload = move |_| {
        let Some(img) = image.get_value() else {
            return;
        };
        set_preparing.set(true);
        let exported = export_jpeg(&img, crop.get_untracked().rect(), move |blob| {
            set_preparing.try_set(false);
            match blob {
                // A blob's size is a whole number of bytes.
                Some(blob) if blob.size() as u64 <= max_bytes => uploader.start(blob),
                Some(_) => {
                    set_file_error
                        .try_set(Some("That photo is still too large once cropped.".into()));
                }
                None => {
                    set_file_error
                        .try_set(Some("This browser could not prepare the photo.".into()));
                }
            }
        });
        if exported.is_err() {
            set_preparing.set(false);
            set_file_error.set(Some("This browser could not prepare the photo.".into()));
        }
    };
    let busy = move || {
        preparing.get()
            || uploader
                .status()
                .is_some_and(|s| s.can_cancel || s.phase == Phase::Completing)
    };

    view! {
        <section class="panel my-photo__upload" aria-labelledby="my-photo-upload">
            <h2 class="panel__title" id="my-photo-upload">"Upload a new photo"</h2>
            <div class="my-photo__choose">
                <label class="button button--secondary file-button" class:file-button--disabled=busy>
                    "Choose a photo…"
                    <input
                        class="sr-only"
                        type="file"
                        accept=accept
                        data-testid="file-input"
                        node_ref=input
                        disabled=busy
                        on:change=on_change
                    />
                </label>
                <p class="muted my-photo__hint">{hint}</p>
            </div>
            {move || file_error.get().map(|message| view! {
                <p class="form__error" role="alert" data-testid="file-error">{message}</p>
            })}
            {move || chosen.get().map(|picked| view! {
                <PhotoCropper src=picked.url crop />
                <div class="my-photo__actions">
                    <button
                        type="button"
                        class="button button--primary"
                        data-testid="crop-confirm"
                        on:click=upload
                        disabled=busy
                    >
                        {move || if preparing.get() { "Preparing…" } else { "Upload" }}
                    </button>
                    <button
                        type="button"
                        class="button button--ghost"
                        on:click=move |_| forget_chosen(chosen, image)
                        disabled=busy
                    >
                        "Discard"
                    </button>
                </div>
            })}
            {move || uploader.status().map(|status| view! { <Progress status uploader /> })}
        </section>
    }
}

/// The upload's progress bar, its words, Cancel, and what went wrong.
#[component]
fn Progress(status: UploadStatus, uploader: Uploader) -> impl IntoView {
    let words = match status.phase {
        Phase::Requesting => "Starting the upload…".to_owned(),
        Phase::Sending => format!("Uploading… {}%", status.progress),
        Phase::Waiting => "The connection dropped; trying again shortly…".to_owned(),
        Phase::Renewing => "Renewing the upload link…".to_owned(),
        Phase::Completing => "Checking your photo…".to_owned(),
        Phase::Done => "Uploaded. Your new photo is waiting for HR's review.".to_owned(),
        Phase::Failed => "The upload didn't go through.".to_owned(),
        Phase::Cancelled => "Upload cancelled.".to_owned(),
    };
    let shows_bar = !matches!(status.phase, Phase::Failed | Phase::Cancelled);
    view! {
        <div class="upload-status" data-phase=format!("{:?}", status.phase).to_ascii_lowercase()>
            {shows_bar.then(|| view! {
                <progress
                    class="upload-status__bar"
                    data-testid="upload-progress"
                    max="100"
                    value=status.progress
                    aria-valuenow=status.progress
                    aria-valuemin="0"
                    aria-valuemax="100"
                    aria-label="Upload progress"
                ></progress>
            })}
            <p class="upload-status__words" role="status">{words}</p>
            {status.can_cancel.then(|| view! {
                <button
                    type="button"
                    class="button button--ghost"
                    data-testid="upload-cancel"
                    on:click=move |_| uploader.cancel()
                >
                    "Cancel"
                </button>
            })}
            {status.error.map(|message| view! {
                <p class="form__error" role="alert" data-testid="upload-error">{message}</p>
            })}
        </div>
    }
}

/// Loads an object URL into an image to learn its size; `done` gets the
/// image and the choice, or a sentence saying why it cannot be used (the
/// object URL is then revoked).
fn load_image(
    url: String,
    min_side: u32,
    done: impl FnOnce(Result<(HtmlImageElement, Chosen), String>) + 'static,
) {
    let Ok(img) = HtmlImageElement::new() else {
        let _ = web_sys::Url::revoke_object_url(&url);
        done(Err("This browser could not open that file.".into()));
        return;
    };
    let done = std::rc::Rc::new(std::cell::Cell::new(Some(done)));
    let on_load = {
        let (img, url, done) = (img.clone(), url.clone(), done.clone());
        Closure::once_into_js(move || {
            let (width, height) = (img.natural_width(), img.natural_height());
            let Some(done) = done.take() else { return };
            match check_dimensions(width, height, min_side) {
                Ok(()) => done(Ok((img, Chosen { url, width, height }))),
                Err(problem) => {
                    let _ = web_sys::Url::revoke_object_url(&url);
                    done(Err(problem.0));
                }
            }
        })
    };
    let on_error = {
        let url = url.clone();
        Closure::once_into_js(move || {
            let _ = web_sys::Url::revoke_object_url(&url);
            if let Some(done) = done.take() {
                done(Err(
                    "That file couldn't be read as an image. Choose another photo.".into(),
                ));
            }
        })
    };
    img.set_onload(Some(on_load.unchecked_ref()));
    img.set_onerror(Some(on_error.unchecked_ref()));
    img.set_src(&url);
}

/// Drops the chosen photo and frees its object URL.
fn forget_chosen(
    chosen: RwSignal<Option<Chosen>>,
    image: StoredValue<Option<HtmlImageElement>, LocalStorage>,
) {
    if let Some(picked) = chosen.try_get_untracked().flatten() {
        let _ = web_sys::Url::revoke_object_url(&picked.url);
    }
    chosen.try_set(None);
    image.try_set_value(None);
}
