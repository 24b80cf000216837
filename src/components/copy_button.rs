//! Copying text to the clipboard: the helper, and a small "Copy" button
//! that says whether it worked (visibly, and to screen readers).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

/// Puts `text` on the clipboard; `false` when the browser refuses (no
/// permission, or no clipboard outside a secure context).
pub async fn copy_text(text: &str) -> bool {
    let clipboard = window().navigator().clipboard();
    // `navigator.clipboard` is undefined on plain-HTTP origins other than
    // localhost: calling it would throw.
    if clipboard.is_undefined() {
        return false;
    }
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}

/// A "Copy" button for `text`; `what` names it for screen readers ("Copy
/// email"). Its feedback replaces the label for two seconds.
#[component]
pub fn CopyButton(text: String, what: &'static str, testid: &'static str) -> impl IntoView {
    let (state, set_state) = signal(None::<bool>);
    let text = StoredValue::new(text);
    let copy = move |_| {
        spawn_local(async move {
            let done = copy_text(&text.get_value()).await;
            set_state.try_set(Some(done));
            // Back to "Copy" after a moment (a stale "Copied" would claim
            // the next click's result).
            set_timeout(
                move || {
                    set_state.try_set(None);
                },
                std::time::Duration::from_secs(2),
            );
        });
    };
    let label = move || match state.get() {
        Some(true) => "Copied",
        Some(false) => "Select and copy",
        None => "Copy",
    };
    view! {
        <button
            type="button"
            class="copy-button"
            class:copy-button--done=move || state.get() == Some(true)
            aria-label=format!("Copy {what}")
            data-testid=testid
            on:click=copy
        >
            {label}
        </button>
        <span class="sr-only" role="status">
            {move || match state.get() {
                Some(true) => format!("{what} copied"),
                Some(false) => format!("Could not copy the {what}: select it and copy."),
                None => String::new(),
            }}
        </span>
    }
}
