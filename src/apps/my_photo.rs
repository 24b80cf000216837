//! The "My photo" bundle: choosing, cropping and uploading one's own photo.
//! Its own bundle because the cropper and the upload machine are a fifth of
//! the SPA and each person uses them rarely.

use super::Elsewhere;
use crate::components::app_shell::AppShell;
use crate::pages::my_photo::MyPhotoPage;
use crate::{photos, session::Session};
use lanyard_wire::Entry;
use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};

#[component]
pub fn MyPhotoApp() -> impl IntoView {
    provide_context(Entry::MyPhoto);
    let session = Session::provide();
    photos::service::connect_session(session);

    view! {
        <Router>
            <Routes fallback=|| view! { <Elsewhere /> }>
                <ParentRoute path=path!("") view=AppShell>
                    <Route path=path!("/me/photo") view=MyPhotoPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
