//! The "My photo" bundle: choosing, cropping and uploading one's own photo.
//! Its own bundle because the cropper and the upload machine are a fifth of
//! the SPA and each person uses them rarely.

use crate::components::app_shell::AuthGate;
use crate::nav::Nav;
use crate::pages::my_photo::MyPhotoPage;
use crate::{photos, session::Session};
use lanyard_wire::Entry;
use leptos::prelude::*;

/// The server serves this bundle for `/me/photo` only, and every other path
/// is another bundle's: the page needs no `match`.
#[component]
pub fn MyPhotoApp() -> impl IntoView {
    Nav::provide(Entry::MyPhoto);
    let session = Session::provide();
    photos::service::connect_session(session);

    view! {
        <AuthGate>
            <MyPhotoPage />
        </AuthGate>
    }
}
