//! Any address the router does not know.

use crate::hooks::use_title::use_title;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    use_title(|| "Not found".into());
    view! {
        <div class="notice notice--centered" data-testid="not-found">
            <p class="notice__code">"404"</p>
            <h1 class="notice__title">"This page doesn't exist"</h1>
            <p class="notice__text">"The link may be old, or the address mistyped."</p>
            <a class="button button--primary" href="/">"Back to the directory"</a>
        </div>
    }
}
