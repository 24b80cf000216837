//! The SPA's bundles: one Leptos app per [`lanyard_wire::Entry`], each
//! built by Trunk into its own wasm file (issue 8's size budget: an employee
//! never downloads HR's desk, and the directory does not carry the photo
//! cropper).
//!
//! Each app holds the router ([`crate::nav`]), the session and a `match`
//! over its few paths. A path another bundle answers (a link from the
//! directory to "My photo", the sign-in page seen from HR's desk) is left to
//! the browser: a full page load, for which the server serves that bundle's
//! page by the same [`lanyard_wire::Entry::for_path`].

pub mod directory;
pub mod hr;
pub mod my_photo;
pub mod org;

use crate::nav::Nav;
use crate::{photos, session::Session};
use lanyard_wire::Entry;
use leptos::prelude::*;

pub use directory::DirectoryApp;
pub use hr::HrApp;
pub use my_photo::MyPhotoApp;
pub use org::OrgApp;

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

/// What every bundle's app sets up first: the router (for `entry`'s paths),
/// then the session above every page, so sign-in and the signed-in frame
/// share it, and the photo service's link to it (photo refreshes that find
/// the session over lead back to sign-in too).
fn provide_frame(entry: Entry) -> Nav {
    let nav = Nav::provide(entry);
    let session = Session::provide();
    photos::service::connect_session(session);
    nav
}
