//! The org chart as a bundle of its own (`/people/{id}/org`): a tree of
//! people with its own views and keys, which the directory's size budget
//! had no room for. Links to profiles and the directory load that bundle.

use crate::components::app_shell::AuthGate;
use crate::local_time::LocalClock;
use crate::pages::org_chart::OrgChartPage;
use lanyard_wire::Entry;
use leptos::prelude::*;

/// The server serves this bundle for `/people/{id}/org` only.
#[component]
pub fn OrgApp() -> impl IntoView {
    super::provide_frame(Entry::Org);
    LocalClock::provide();

    view! {
        <AuthGate>
            <OrgChartPage />
        </AuthGate>
    }
}
