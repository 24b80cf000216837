//! The SPA's bundles: one Leptos app per [`Entry`], each built by Trunk into
//! its own wasm file (issue 8's size budget: an employee never downloads
//! HR's desk, and the directory does not carry the photo cropper).
//!
//! Each app holds the session and its own routes. A path another bundle
//! answers (a link from the directory to "My photo", the sign-in page seen
//! from HR's desk) reaches the router's fallback, [`Elsewhere`], which hands
//! it to the server with a full page load; the server serves that bundle's
//! page by the same [`Entry::for_path`].

pub mod directory;
pub mod hr;
pub mod my_photo;

use crate::components::app_shell::AuthGate;
use crate::pages::not_found::NotFound;
use lanyard_wire::Entry;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

pub use directory::DirectoryApp;
pub use hr::HrApp;
pub use my_photo::MyPhotoApp;

/// Starts a bundle's app on `<body>`: what each binary's `main` does.
pub fn start<F, N>(app: F)
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    // Panics show up in the browser console with a Rust backtrace instead of
    // an opaque "unreachable executed".
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app);
}

/// The bundle this app is, for links that must leave it (see
/// [`leaves`]). Provided by each app; components outside an app (the
/// browser tests) count as the directory.
pub fn this_entry() -> Entry {
    use_context::<Entry>().unwrap_or(Entry::Directory)
}

/// Whether a link to `path` leaves this bundle: such a link gets
/// `rel="external"`, so the router lets the browser load it.
pub fn leaves(path: &str) -> bool {
    Entry::for_path(path) != this_entry()
}

/// Every app's router fallback: a path of another bundle is loaded from the
/// server (replacing this history entry, so Back skips the hand-over);
/// anything else is this bundle's "not found".
#[component]
pub fn Elsewhere() -> impl IntoView {
    let here = this_entry();
    let location = use_location();
    move || {
        let path = location.pathname.get();
        if Entry::for_path(&path) == here {
            return view! { <AuthGate><NotFound /></AuthGate> }.into_any();
        }
        // The router's `search` comes without its leading `?`.
        let search = location.search.get_untracked();
        let search = search.trim_start_matches('?');
        let target = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        if let Err(err) = window().location().replace(&target) {
            leptos::logging::warn!("could not open {target}: {err:?}");
        }
        ().into_any()
    }
}
