//! `/me/photo`: one's own photo — the approved one everyone sees, the
//! newest one awaiting (or refused by) HR, and uploading a new one: choose,
//! check, crop, upload with a real progress bar, cancel; or delete it all.

use crate::api::{self, ClientError};
use crate::clock;
use crate::components::error_panel::ErrorPanel;
use crate::components::photo_cropper::PhotoCropper;
use crate::hooks::use_title::use_title;
use crate::session::Session;
use crate::upload::canvas::export_jpeg;
use crate::upload::check::{check_dimensions, check_file, megabytes};
use crate::upload::crop::Crop;
use crate::upload::machine::Phase;
use crate::upload::runner::{UploadStatus, Uploader};
use lanyard_wire::{MyPhoto, MyPhotoVersion, PhotoState, UploadLimits};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos::task::spawn_local;
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

#[component]
pub fn MyPhotoPage() -> impl IntoView {
    use_title(|| "My photo".into());
    let session = Session::expect();
    let data = RwSignal::new(None::<Result<MyPhoto, ClientError>>);
    let load = move || {
        spawn_local(async move {
            let answer = session.guard(api::my_photo().await);
            data.try_set(Some(answer));
        });
    };
    load();
    let photo = move || data.get().and_then(Result::ok);
    let limits = Memo::new(move |_| {
        data.with(|d| {
            d.as_ref()
                .and_then(|d| d.as_ref().ok())
                .map(|p| p.limits.clone())
        })
    });

    view! {
        <div class="my-photo" data-testid="my-photo-page">
            <h1 class="page-title">"My photo"</h1>
            <p class="my-photo__intro muted">
                "Your photo appears in the directory once HR has approved it. Until then, everyone keeps seeing your current one."
            </p>
            {move || match data.get() {
                None => EitherOf3::A(view! { <p class="muted" aria-busy="true">"Loading…"</p> }),
                Some(Err(err)) => EitherOf3::B(view! {
                    <ErrorPanel message=err.user_message() on_retry=Callback::new(move |()| load()) />
                }),
                Some(Ok(_)) => EitherOf3::C(()),
            }}
            <div class="my-photo__grid">
                {move || {
                    photo()
                        .map(|photo| {
                            view! { <Versions photo on_reload=Callback::new(move |()| load()) /> }
                        })
                }}
                // Keyed on the limits alone: a fresh answer after an upload
                // must not remount the panel (and lose its progress bar).
                {move || {
                    limits
                        .get()
                        .map(|limits| {
                            view! {
                                <UploadPanel
                                    limits
                                    on_done=Callback::new(move |photo| data.set(Some(Ok(photo))))
                                />
                            }
                        })
                }}
            </div>
        </div>
    }
}

/// The approved photo and the newest one after it, and "Delete my photo".
#[component]
fn Versions(photo: MyPhoto, on_reload: Callback<()>) -> impl IntoView {
    let session = Session::expect();
    let has_any = photo.current.is_some() || photo.latest.is_some();
    let (deleting, set_deleting) = signal(false);
    let (delete_error, set_delete_error) = signal(None::<String>);
    let delete = move |_| {
        let sure = window()
            .confirm_with_message(
                "Delete your photo? Every version of it is removed, including any awaiting review.",
            )
            .unwrap_or(false);
        if !sure {
            return;
        }
        set_deleting.set(true);
        spawn_local(async move {
            let answer = session.guard(api::delete_my_photo().await);
            set_deleting.try_set(false);
            match answer {
                Ok(()) => on_reload.run(()),
                Err(err) => {
                    set_delete_error.try_set(Some(err.user_message()));
                }
            }
        });
    };

    view! {
        <section class="panel my-photo__versions" aria-labelledby="my-photo-versions">
            <h2 class="panel__title" id="my-photo-versions">"Your photos"</h2>
            <div class="my-photo__cards">
                {match photo.current {
                    Some(v) => Either::Left(view! {
                        <VersionCard version=v testid="current-photo" caption="Everyone sees" on_expired=on_reload />
                    }),
                    None => Either::Right(view! {
                        <figure class="version-card" data-testid="current-photo">
                            <div class="version-card__frame version-card__frame--empty">"No photo"</div>
                            <figcaption class="version-card__caption">
                                <span class="version-card__label">"Everyone sees"</span>
                                <span class="muted">"No approved photo yet."</span>
                            </figcaption>
                        </figure>
                    }),
                }}
                {photo.latest.map(|v| view! {
                    <VersionCard version=v testid="latest-photo" caption="Your newest photo" on_expired=on_reload />
                })}
            </div>
            {has_any.then(|| view! {
                <div class="my-photo__delete">
                    <button
                        type="button"
                        class="button my-photo__danger"
                        data-testid="delete-photo"
                        on:click=delete
                        disabled=move || deleting.get()
                    >
                        {move || if deleting.get() { "Deleting…" } else { "Delete my photo" }}
                    </button>
                    {move || delete_error.get().map(|message| view! {
                        <p class="form__error" role="alert" data-testid="delete-error">{message}</p>
                    })}
                </div>
            })}
        </section>
    }
}

/// One version: the photo (for its owner's eyes), its state, HR's reason.
#[component]
fn VersionCard(
    version: MyPhotoVersion,
    testid: &'static str,
    caption: &'static str,
    /// Called when the photo fails to load because its URL expired.
    on_expired: Callback<()>,
) -> impl IntoView {
    let state = version.state;
    let frame = match version.photo {
        Some(photo) => {
            let expires_at = photo.expires_at;
            Either::Left(view! {
                <img
                    class="version-card__frame"
                    src=photo.url
                    alt=format!("{caption}: your photo, {}", state_label(state).to_ascii_lowercase())
                    referrerpolicy="no-referrer"
                    width="160"
                    height="160"
                    data-testid="version-img"
                    on:error=move |_| {
                        // Only an expired URL is worth a fresh answer; any
                        // other failure would fail again.
                        if clock::millis_until(expires_at) <= 0 {
                            on_expired.run(());
                        }
                    }
                />
            })
        }
        None => Either::Right(view! {
            <div class="version-card__frame version-card__frame--empty">"No preview"</div>
        }),
    };
    view! {
        <figure class="version-card" data-testid=testid data-version=version.id data-state=state_key(state)>
            {frame}
            <figcaption class="version-card__caption">
                <span class="version-card__label">{caption}</span>
                <span class=format!("status status--{}", state_key(state)) data-testid="photo-state">
                    {state_label(state)}
                </span>
                {version.reason.map(|reason| view! {
                    <span class="version-card__reason" data-testid="rejection-reason">
                        "HR's reason: " {reason}
                    </span>
                })}
            </figcaption>
        </figure>
    }
}

/// Choose, check, crop, upload.
#[component]
fn UploadPanel(limits: UploadLimits, on_done: Callback<MyPhoto>) -> impl IntoView {
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

/// The words for a version's state.
/// ASCII only: callers lower-case it with `to_ascii_lowercase`, which keeps
/// Unicode's case tables out of the wasm bundle (docs/performance.md).
pub fn state_label(state: PhotoState) -> &'static str {
    match state {
        PhotoState::Pending => "Pending review",
        PhotoState::Approved => "Approved",
        PhotoState::Rejected => "Rejected",
        PhotoState::Uploading => "Uploading",
        PhotoState::None => "No photo",
    }
}

/// A state's name for `data-state` and CSS.
fn state_key(state: PhotoState) -> &'static str {
    match state {
        PhotoState::Pending => "pending",
        PhotoState::Approved => "approved",
        PhotoState::Rejected => "rejected",
        PhotoState::Uploading => "uploading",
        PhotoState::None => "none",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_read_as_the_contract_says() {
        assert_eq!(state_label(PhotoState::Pending), "Pending review");
        assert_eq!(state_label(PhotoState::Approved), "Approved");
        assert_eq!(state_label(PhotoState::Rejected), "Rejected");
    }
}
