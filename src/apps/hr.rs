//! HR's desk as a bundle of its own: employees never download it.

use crate::components::app_shell::AuthGate;
use crate::pages::hr::HrDesk;
use lanyard_wire::Entry;
use leptos::prelude::*;

/// The server serves this bundle for `/hr/...` only; [`HrDesk`] picks the
/// page from the path.
#[component]
pub fn HrApp() -> impl IntoView {
    super::provide_frame(Entry::Hr);

    view! {
        <AuthGate>
            <HrDesk />
        </AuthGate>
    }
}
