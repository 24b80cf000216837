//! A one-time sign-in link for one person, from their record: for someone
//! new, someone without the identity provider, or locked out of it.
//!
//! The link is a credential until it is used or expires, and the server
//! keeps only its hash: it is shown here once, held in memory only, and
//! never logged. A new link replaces the person's earlier one, hence the
//! confirmation.

use crate::api::hr;
use crate::components::copy_button::copy_text;
use crate::pages::hr::time::show_time;
use crate::session::Session;
use lanyard_wire::{EmployeeId, SignInLink};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The button (for active people only), and the new link once made.
#[component]
pub fn SignInLinkPanel(
    id: EmployeeId,
    name: String,
    /// Deactivated people cannot sign in: no link for them (the server
    /// refuses too, 409).
    #[prop(into)]
    active: Signal<bool>,
) -> impl IntoView {
    let session = Session::expect();
    let (link, set_link) = signal(None::<SignInLink>);
    let (error, set_error) = signal(None::<String>);
    let (busy, set_busy) = signal(false);
    let name = StoredValue::new(name);
    let create = move |_| {
        let question = name.with_value(|name| {
            format!("Create a sign-in link for {name}? Any earlier link for them stops working.")
        });
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        set_busy.set(true);
        set_error.set(None);
        set_link.set(None);
        spawn_local(async move {
            let answer = session.guard(hr::create_sign_in_link(id).await);
            set_busy.try_set(false);
            match answer {
                Ok(made) => {
                    set_link.try_set(Some(made));
                }
                Err(err) => {
                    set_error.try_set(Some(err.user_message()));
                }
            }
        });
    };
    view! {
        <Show when=move || active.get()>
            <h2 class="panel__title">"Sign-in link"</h2>
            <p class="muted">"A one-time link to choose a password and sign in."</p>
            <button
                type="button"
                class="button button--secondary"
                data-testid="create-sign-in-link"
                disabled=busy
                on:click=create
            >
                "Create sign-in link…"
            </button>
            {move || error.get().map(|m| view! { <p class="form__error" role="alert" data-testid="sign-in-link-error">{m}</p> })}
            {move || link.get().map(|link| view! { <ShownOnce link /> })}
        </Show>
    }
}

/// The link in a read-only field, a Copy button, and when it expires.
#[component]
fn ShownOnce(link: SignInLink) -> impl IntoView {
    let field = NodeRef::<html::Input>::new();
    let (copied, set_copied) = signal(None::<bool>);
    let url = StoredValue::new(link.url.clone());
    let copy = move |_| {
        spawn_local(async move {
            let done = copy_text(&url.get_value()).await;
            if !done {
                // Selected, so Ctrl+C (or the context menu) copies it.
                if let Some(input) = field.get_untracked() {
                    input.select();
                }
            }
            set_copied.try_set(Some(done));
        });
    };
    let feedback = move || match copied.get() {
        Some(true) => "Copied",
        Some(false) => "Couldn't copy: the link is selected, copy it with Ctrl+C.",
        None => "",
    };
    view! {
        <div class="hr-link" data-testid="sign-in-link-made">
            <div class="hr-link__row">
                <input
                    class="input hr-link__url"
                    type="text"
                    readonly=true
                    aria-label="Sign-in link"
                    data-testid="sign-in-link"
                    node_ref=field
                    prop:value=link.url
                    on:focus:target=move |ev| ev.target().select()
                />
                <button type="button" class="button button--primary" data-testid="copy-sign-in-link" on:click=copy>
                    "Copy"
                </button>
            </div>
            <p class="hr-ok" role="status" data-testid="copy-status">{feedback}</p>
            <p class="muted">
                "Valid until " {show_time(link.expires_at)} ", once. "
                <strong>"It will not be shown again"</strong>
                ": send it to them now, by a channel only they read."
            </p>
        </div>
    }
}
