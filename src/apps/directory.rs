//! The directory bundle: sign-in, the people grid and profiles. Every
//! employee opens this one; its size is what issue 8's budget is about.

use super::Elsewhere;
use crate::components::app_shell::AppShell;
use crate::pages::{directory::DirectoryPage, profile::ProfilePage, sign_in::SignInPage};
use crate::{photos, session::Session};
use lanyard_wire::Entry;
use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};

// The photo healing benchmark's page exists in `bench` builds only; other
// builds answer its path like any unknown one.
#[cfg(not(feature = "bench"))]
use crate::pages::not_found::NotFound as PhotoWallBench;
#[cfg(feature = "bench")]
use crate::pages::photo_wall_bench::PhotoWallBench;

#[component]
pub fn DirectoryApp() -> impl IntoView {
    provide_context(Entry::Directory);
    // Above the router, so the sign-in page and the shell share one session.
    let session = Session::provide();
    // Photo refreshes that find the session over lead back to sign-in too.
    photos::service::connect_session(session);

    view! {
        <Router>
            <Routes fallback=|| view! { <Elsewhere /> }>
                <Route path=path!("/sign-in") view=SignInPage />
                <ParentRoute path=path!("") view=AppShell>
                    <Route path=path!("/") view=DirectoryPage />
                    <Route path=path!("/people/:id") view=ProfilePage />
                    <Route path=path!("/bench/photo-wall") view=PhotoWallBench />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
