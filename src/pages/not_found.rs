//! Any address the router does not know, and the 404 notice pages share.

use crate::hooks::use_title::use_title;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    use_title(|| "Not found".into());
    view! {
        <NotFoundNotice
            title="This page doesn't exist"
            text="The link may be old, or the address mistyped."
            testid="not-found"
        />
    }
}

/// "404", what is missing, and the way back to the directory: for unknown
/// addresses and for people who do not exist.
#[component]
pub fn NotFoundNotice(
    title: &'static str,
    text: &'static str,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="notice notice--centered" data-testid=testid>
            <p class="notice__code">"404"</p>
            <h1 class="notice__title">{title}</h1>
            <p class="notice__text">{text}</p>
            <a class="button button--primary" href="/">"Back to the directory"</a>
        </div>
    }
}
