//! Lanyard's single-page app: sign in, browse the directory, open profiles.
//!
//! Client-side rendered with Leptos 0.8 and built by Trunk. This file holds
//! only the [`App`] and its routes; pages live in [`pages`], reusable pieces
//! in [`components`], the typed HTTP client in [`api`].

pub mod api;
pub mod clock;
pub mod components;
pub mod format;
pub mod hooks;
pub mod pages;
pub mod photos;
pub mod query;
pub mod session;
pub mod upload;

use components::app_shell::{AppShell, AuthGate};
use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};
use pages::hr::HrDesk;
use pages::{
    directory::DirectoryPage, my_photo::MyPhotoPage, not_found::NotFound, profile::ProfilePage,
    sign_in::SignInPage,
};
use session::Session;

// The photo healing benchmark's page exists in `bench` builds only; other
// builds answer its path like any unknown one.
#[cfg(not(feature = "bench"))]
use pages::not_found::NotFound as PhotoWallBench;
#[cfg(feature = "bench")]
use pages::photo_wall_bench::PhotoWallBench;

/// The whole app: the session, then the router.
#[component]
pub fn App() -> impl IntoView {
    // Above the router, so the sign-in page and the shell share one session.
    let session = Session::provide();
    // Photo refreshes that find the session over lead back to sign-in too.
    photos::service::connect_session(session);

    view! {
        <Router>
            <Routes fallback=|| view! { <AuthGate><NotFound /></AuthGate> }>
                <Route path=path!("/sign-in") view=SignInPage />
                <ParentRoute path=path!("") view=AppShell>
                    <Route path=path!("/") view=DirectoryPage />
                    <Route path=path!("/people/:id") view=ProfilePage />
                    <Route path=path!("/me/photo") view=MyPhotoPage />
                    <Route path=path!("/bench/photo-wall") view=PhotoWallBench />
                    // One route for the whole desk: it picks its page itself,
                    // which keeps the router's generated code small.
                    <Route path=path!("/hr/*section") view=HrDesk />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
