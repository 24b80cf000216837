//! HR's desk as a bundle of its own: employees never download it.

use super::Elsewhere;
use crate::components::app_shell::AppShell;
use crate::pages::hr::HrDesk;
use crate::{photos, session::Session};
use lanyard_wire::Entry;
use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};

#[component]
pub fn HrApp() -> impl IntoView {
    provide_context(Entry::Hr);
    let session = Session::provide();
    photos::service::connect_session(session);

    view! {
        <Router>
            <Routes fallback=|| view! { <Elsewhere /> }>
                <ParentRoute path=path!("") view=AppShell>
                    // One route for the whole desk: it picks its page itself,
                    // which keeps the router's generated code small.
                    <Route path=path!("/hr") view=HrDesk />
                    <Route path=path!("/hr/*section") view=HrDesk />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
