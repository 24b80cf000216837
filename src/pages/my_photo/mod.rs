//! `/me/photo`: one's own photo — the approved one everyone sees, the
//! newest one awaiting (or refused by) HR, and uploading a new one: choose,
//! check, crop, upload with a real progress bar, cancel; or delete it all.
//! The upload panel lives in [`upload_panel`].

use crate::api::{self, ClientError};
use crate::clock;
use crate::components::error_panel::ErrorPanel;
use crate::hooks::use_title::use_title;
use crate::session::Session;
use lanyard_wire::{MyPhoto, MyPhotoVersion, PhotoState};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos::task::spawn_local;

mod upload_panel;

use upload_panel::UploadPanel;

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
        <figure class="version-card" data-testid=testid data-version=version.id data-state=state.as_str()>
            {frame}
            <figcaption class="version-card__caption">
                <span class="version-card__label">{caption}</span>
                <span class=format!("status status--{}", state.as_str()) data-testid="photo-state">
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
