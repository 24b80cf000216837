//! HR's desk: the review queue, people, import, locations and the audit log, under
//! `/hr/...`. The server checks the role on every call; the desk only keeps
//! the pages (and their links) away from people who could not use them.
//!
//! [`HrDesk`] picks the page from the path (`crate::apps::hr`).

pub mod audit;
pub mod fetch;
pub mod import;
pub mod locations;
pub mod people;
pub mod person_editor;
pub mod person_picker;
pub mod reviews;
pub mod sign_in_link;
pub mod time;

use crate::nav::{Nav, NavLink};
use crate::pages::not_found::NotFound;
use crate::session::Session;
use lanyard_wire::{EmployeeId, Role};
use leptos::prelude::*;

/// Which page of the desk a path shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Reviews,
    People,
    /// A person's editor; `None` adds a new person (`/hr/people/new`).
    Person(Option<EmployeeId>),
    Import,
    Locations,
    Audit,
    Unknown,
}

impl Section {
    pub fn from_path(path: &str) -> Self {
        let path = path.trim_end_matches('/');
        match path {
            "/hr" | "/hr/reviews" => Self::Reviews,
            "/hr/people" => Self::People,
            "/hr/people/new" => Self::Person(None),
            "/hr/import" => Self::Import,
            "/hr/locations" => Self::Locations,
            "/hr/audit" => Self::Audit,
            _ => match path.strip_prefix("/hr/people/").map(str::parse) {
                Some(Ok(id)) => Self::Person(Some(EmployeeId(id))),
                _ => Self::Unknown,
            },
        }
    }
}

/// The desk's tabs, then the page the path names.
#[component]
pub fn HrDesk() -> impl IntoView {
    let session = Session::expect();
    let nav = Nav::expect();
    let section = Memo::new(move |_| Section::from_path(&nav.path()));
    let is_hr = move || session.me().is_some_and(|me| me.role == Role::Hr);
    let tab = |href: &'static str, label: &'static str| {
        view! { <NavLink href=href class="hr-tabs__tab">{label}</NavLink> }
    };
    move || {
        if !is_hr() {
            return view! {
                <div class="notice notice--centered" data-testid="hr-only">
                    <p class="notice__title">"This part of Lanyard is for HR"</p>
                    <a class="button button--primary" href="/">"Back to the directory"</a>
                </div>
            }
            .into_any();
        }
        let page = match section.get() {
            Section::Reviews => view! { <reviews::ReviewsPage /> }.into_any(),
            Section::People => view! { <people::PeoplePage /> }.into_any(),
            Section::Person(id) => view! { <person_editor::PersonEditorPage id /> }.into_any(),
            Section::Import => view! { <import::ImportPage /> }.into_any(),
            Section::Locations => view! { <locations::LocationsPage /> }.into_any(),
            Section::Audit => view! { <audit::AuditPage /> }.into_any(),
            Section::Unknown => view! { <NotFound /> }.into_any(),
        };
        view! {
            <nav class="hr-tabs" aria-label="HR desk" data-testid="hr-tabs">
                {tab("/hr/reviews", "Reviews")}
                {tab("/hr/people", "People")}
                {tab("/hr/import", "Import")}
                {tab("/hr/locations", "Locations")}
                {tab("/hr/audit", "Audit log")}
            </nav>
            {page}
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_their_pages() {
        assert_eq!(Section::from_path("/hr"), Section::Reviews);
        assert_eq!(Section::from_path("/hr/reviews"), Section::Reviews);
        assert_eq!(Section::from_path("/hr/people/"), Section::People);
        assert_eq!(Section::from_path("/hr/people/new"), Section::Person(None));
        assert_eq!(
            Section::from_path("/hr/people/42"),
            Section::Person(Some(EmployeeId(42)))
        );
        assert_eq!(Section::from_path("/hr/people/x"), Section::Unknown);
        assert_eq!(Section::from_path("/hr/import"), Section::Import);
        assert_eq!(Section::from_path("/hr/audit"), Section::Audit);
        assert_eq!(Section::from_path("/hr/locations/"), Section::Locations);
    }
}
