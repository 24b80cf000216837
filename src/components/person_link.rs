//! `PersonLink`: a compact link to someone (a manager, a direct report).

use crate::components::avatar::{Avatar, AvatarSize};
use lanyard_wire::PersonRef;
use leptos::prelude::*;

/// Thumbnail, name and title in one row, linking to the person's profile.
#[component]
pub fn PersonLink(
    person: PersonRef,
    /// `data-testid`, so tests can tell the manager from a report.
    #[prop(default = "person-link")]
    testid: &'static str,
) -> impl IntoView {
    view! {
        <a class="person-link" href=format!("/people/{}", person.id) data-testid=testid>
            <Avatar name=person.name.clone() person=person.id photo=person.photo size=AvatarSize::Small />
            <span class="person-link__text">
                <span class="person-link__name">{person.name}</span>
                <span class="person-link__title">{person.title}</span>
            </span>
        </a>
    }
}
