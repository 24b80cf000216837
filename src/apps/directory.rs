//! The directory bundle: sign-in, the welcome page of a sign-in link, the
//! people grid and profiles. Every employee opens this one.

use crate::components::app_shell::AuthGate;
use crate::local_time::LocalClock;
use crate::pages::{
    directory::DirectoryPage, not_found::NotFound, profile::ProfilePage, sign_in::SignInPage,
    welcome::WelcomePage,
};
use lanyard_wire::Entry;
use leptos::prelude::*;

// The photo healing benchmark's page exists in `bench` builds only; other
// builds answer its path like any unknown one.
#[cfg(not(feature = "bench"))]
use crate::pages::not_found::NotFound as PhotoWallBench;
#[cfg(feature = "bench")]
use crate::pages::photo_wall_bench::PhotoWallBench;

/// The bundle's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    SignIn,
    /// `/welcome#token=…`: a one-time sign-in link from HR.
    Welcome,
    Directory,
    /// `/people/{id}`; the page reads the id from the path.
    Profile,
    PhotoWallBench,
    NotFound,
}

impl Page {
    pub fn of(path: &str) -> Self {
        match path.trim_end_matches('/') {
            "/sign-in" => Self::SignIn,
            "/welcome" => Self::Welcome,
            "" => Self::Directory,
            "/bench/photo-wall" => Self::PhotoWallBench,
            path => match path.strip_prefix("/people/") {
                Some(id) if !id.is_empty() && !id.contains('/') => Self::Profile,
                _ => Self::NotFound,
            },
        }
    }
}

#[component]
pub fn DirectoryApp() -> impl IntoView {
    let nav = super::provide_frame(Entry::Directory);
    LocalClock::provide();

    let page = Memo::new(move |_| Page::of(&nav.path()));
    // Only crossing between the pages outside the signed-in frame (sign-in,
    // welcome) and the frame rebuilds the frame (header, session gate); the
    // pages inside it come and go.
    let outside = Memo::new(move |_| {
        let page = page.get();
        matches!(page, Page::SignIn | Page::Welcome).then_some(page)
    });
    move || {
        match outside.get() {
        Some(Page::Welcome) => view! { <WelcomePage /> }.into_any(),
        Some(_) => view! { <SignInPage /> }.into_any(),
        None => view! {
            <AuthGate>
                {move || match page.get() {
                    Page::Directory => view! { <DirectoryPage /> }.into_any(),
                    Page::Profile => view! { <ProfilePage /> }.into_any(),
                    Page::PhotoWallBench => view! { <PhotoWallBench /> }.into_any(),
                    Page::SignIn | Page::Welcome | Page::NotFound => view! { <NotFound /> }.into_any(),
                }}
            </AuthGate>
        }
        .into_any(),
    }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_pick_their_pages() {
        for (path, page) in [
            ("/", Page::Directory),
            ("/sign-in", Page::SignIn),
            ("/welcome", Page::Welcome),
            ("/welcome/", Page::Welcome),
            ("/people/7", Page::Profile),
            ("/people/7/", Page::Profile),
            ("/people/x", Page::Profile),
            ("/people/", Page::NotFound),
            ("/people/7/more", Page::NotFound),
            // The org chart's bundle answers those (lanyard_wire::Entry).
            ("/people/7/org", Page::NotFound),
            ("/bench/photo-wall", Page::PhotoWallBench),
            ("/nowhere", Page::NotFound),
        ] {
            assert_eq!(Page::of(path), page, "{path}");
        }
    }
}
