//! Grey stand-ins shown while the first page of data loads.

use leptos::prelude::*;

/// `count` placeholder cards shaped like [`super::person_card::PersonCard`].
#[component]
pub fn SkeletonGrid(count: usize) -> impl IntoView {
    view! {
        <ul class="people-grid" aria-busy="true" aria-label="Loading people" data-testid="skeleton">
            {(0..count)
                .map(|_| {
                    view! {
                        <li class="person-card person-card--skeleton" aria-hidden="true">
                            <span class="skeleton skeleton--avatar"></span>
                            <span class="skeleton skeleton--line"></span>
                            <span class="skeleton skeleton--line skeleton--short"></span>
                            <span class="skeleton skeleton--pill"></span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The profile page's stand-in.
#[component]
pub fn SkeletonProfile() -> impl IntoView {
    view! {
        <div class="profile" aria-busy="true" aria-label="Loading profile" data-testid="skeleton">
            <div class="profile-hero panel">
                <span class="skeleton skeleton--avatar-lg"></span>
                <div class="profile-hero__text">
                    <span class="skeleton skeleton--heading"></span>
                    <span class="skeleton skeleton--line"></span>
                    <span class="skeleton skeleton--pill"></span>
                </div>
            </div>
        </div>
    }
}
