//! What someone who signed out of a single sign-on session sees: Lanyard's
//! session is over, the identity provider's is not, and on a shared
//! computer the next person could sign straight back in with it. So the
//! provider's own sign-out page is offered, as a link the browser follows
//! (`rel="external"`: never the router's, it is another site).

use crate::api;
use crate::components::app_shell::Brand;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The provider's name when the sign-in options could not be read: the
/// server's own default for it.
const SOME_PROVIDER: &str = "your company account";

/// "You are signed out of Lanyard." and the link to the provider's
/// sign-out page.
#[component]
pub fn SignedOutNotice(
    /// The provider's sign-out page (from `DELETE /api/session`).
    url: String,
    /// The provider's name, once the sign-in options have said it.
    #[prop(into)]
    provider: Signal<Option<String>>,
) -> impl IntoView {
    let label = move || {
        let name = provider.get();
        format!(
            "Also sign out of {}",
            name.as_deref().unwrap_or(SOME_PROVIDER)
        )
    };
    view! {
        <div class="auth__notice" role="status" data-testid="signed-out">
            <p>"You are signed out of Lanyard."</p>
            <a class="link" href=url rel="external" data-testid="provider-sign-out">{label}</a>
        </div>
    }
}

/// The notice on a page of its own, for the bundles without the sign-in
/// page (HR's desk, "My photo"): going to `/sign-in` from them is a page
/// load, which would forget the provider's sign-out page (it is kept in
/// memory only, see [`crate::session`]).
#[component]
pub fn SignedOutPage(url: String) -> impl IntoView {
    let (provider, set_provider) = signal(None::<String>);
    spawn_local(async move {
        match api::sign_in_options().await {
            Ok(options) => {
                set_provider.try_set(options.provider.map(|p| p.name));
            }
            Err(err) => leptos::logging::warn!("sign-in options: {err}"),
        }
    });
    view! {
        <div class="auth">
            <div class="auth__card">
                <Brand />
                <h1 class="auth__title">"Signed out"</h1>
                <SignedOutNotice url provider />
                <a class="button button--secondary button--block" href="/sign-in" data-testid="sign-in-again">
                    "Sign in again"
                </a>
            </div>
        </div>
    }
}
