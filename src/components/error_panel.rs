//! `ErrorPanel`: a failed load, said plainly, with a way to try again.

use leptos::prelude::*;

#[component]
pub fn ErrorPanel(
    /// What went wrong, for a person.
    #[prop(into)]
    message: String,
    /// Called by the "Try again" button.
    on_retry: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="notice notice--error" role="alert" data-testid="error">
            <p class="notice__title">"Couldn't load this"</p>
            <p class="notice__text">{message}</p>
            <button class="button button--secondary" on:click=move |_| on_retry.run(())>
                "Try again"
            </button>
        </div>
    }
}
