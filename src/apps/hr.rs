//! HR's desk as a bundle of its own: employees never download it.

use crate::components::app_shell::AuthGate;
use crate::nav::Nav;
use crate::pages::hr::HrDesk;
use crate::{photos, session::Session};
use lanyard_wire::Entry;
use leptos::prelude::*;

/// The server serves this bundle for `/hr/...` only; [`HrDesk`] picks the
/// page from the path.
#[component]
pub fn HrApp() -> impl IntoView {
    Nav::provide(Entry::Hr);
    let session = Session::provide();
    photos::service::connect_session(session);

    view! {
        <AuthGate>
            <HrDesk />
        </AuthGate>
    }
}
