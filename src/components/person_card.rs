//! `PersonCard`: one person in the directory grid, linking to their profile.

use crate::components::avatar::{Avatar, AvatarSize};
use crate::local_time::LocalTime;
use lanyard_wire::PersonSummary;
use leptos::prelude::*;

/// Photo, name, title, department, location and, when HR has set the
/// location's time zone, the local time there; the whole card is the link.
#[component]
pub fn PersonCard(person: PersonSummary) -> impl IntoView {
    // A plain `<a>`: the router picks up same-origin clicks by itself, and
    // the card renders (and is testable) without a router around it.
    view! {
        <li class="person-card" data-testid="person-card">
            <a class="person-card__link" href=format!("/people/{}", person.id)>
                <Avatar name=person.name.clone() person=person.id photo=person.photo size=AvatarSize::Medium />
                <span class="person-card__name" data-testid="person-name">
                    {person.name}
                </span>
                <span class="person-card__title">{person.title}</span>
                <span class="person-card__meta">
                    <span class="pill" data-testid="person-department">
                        {person.department}
                    </span>
                    <span class="person-card__location">{person.location.clone()}</span>
                </span>
                {person.time_zone.map(|zone| view! {
                    <span class="person-card__time">
                        <LocalTime zone location=person.location compact=true />
                    </span>
                })}
            </a>
        </li>
    }
}
