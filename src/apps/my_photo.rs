//! The "My photo" bundle: choosing, cropping and uploading one's own photo.
//! Its own bundle because the cropper and the upload machine are a fifth of
//! the SPA and each person uses them rarely.

use crate::components::app_shell::AuthGate;
use crate::pages::my_photo::MyPhotoPage;
use lanyard_wire::Entry;
use leptos::prelude::*;

/// The server serves this bundle for `/me/photo` only, and every other path
/// is another bundle's: the page needs no `match`.
#[component]
pub fn MyPhotoApp() -> impl IntoView {
    super::provide_frame(Entry::MyPhoto);

    view! {
        <AuthGate>
            <MyPhotoPage />
        </AuthGate>
    }
}
