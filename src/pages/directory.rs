//! `/`: the directory grid with search, filters and pages.
//!
//! The URL is the state: typing (debounced) and the drop-downs rewrite the
//! query string, and the list is fetched from whatever the URL says, so
//! Back, reload and shared links all show the same view.

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::pager::Pager;
use crate::components::person_card::PersonCard;
use crate::components::result_keys;
use crate::components::search_bar::{modified, FilterSelect, SearchBar};
use crate::components::skeleton::SkeletonGrid;
use crate::format::people_count;
use crate::hooks::use_debounce::{use_debounce, SEARCH_DEBOUNCE};
use crate::hooks::use_title::use_title;
use crate::nav::{How, Nav};
use crate::query::{search_update, DirectoryFilters};
use crate::session::Session;
use lanyard_wire::{DirectoryPage as Page, Facets};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let session = Session::expect();
    let nav = Nav::expect();
    let filters = Memo::new(move |_| DirectoryFilters::from_lookup(|key| nav.query(key)));
    use_title(move || match filters.read().q.as_str() {
        "" => "People".to_owned(),
        q => format!("“{q}” · People"),
    });

    // Filter changes are new history entries; typing replaces the current
    // one so Back doesn't replay every keystroke. Neither scrolls.
    let go = move |next: DirectoryFilters, replace: bool| {
        let how = if replace {
            How::Replace
        } else {
            How::PushKeepScroll
        };
        nav.navigate(&next.href(), how);
    };

    let search = RwSignal::new(filters.get_untracked().q);
    let settled = use_debounce(search, SEARCH_DEBOUNCE);
    let shown_q = Memo::new(move |_| filters.read().q.clone());
    Effect::new(move |_| {
        let typed: String = settled.get();
        let current = filters.get_untracked();
        if let Some(q) = search_update(&current.q, &typed) {
            go(current.with_q(&q), true);
        }
    });
    // Back/forward changed the search: show it in the box.
    Effect::new(move |_| {
        let q = shown_q.get();
        if search_update(&q, &search.get_untracked()).is_some() {
            search.set(q);
        }
    });

    // The answer carries the filters it was asked for, so the count, the
    // empty state and the pager always describe the rows shown, even when
    // the URL has already moved on to a newer search. (A newer request's
    // answer always wins: `LocalResource` drops answers to superseded runs.)
    let people = LocalResource::new(move || {
        let asked = filters.get();
        async move {
            session
                .guard(api::people(&asked.to_api()).await)
                .map(|page| (asked, page))
        }
    });
    // One live region that outlives every render of the results, so screen
    // readers hear each new count (a region created with its text is not read).
    let announcement = move || match people.get() {
        Some(Ok((asked, page))) => results_summary(&asked, page.total),
        Some(Err(err)) => err.user_message(),
        None => String::new(),
    };
    let facets = LocalResource::new(move || async move { session.guard(api::facets().await) });
    let facet = move |pick: fn(Facets) -> Vec<String>| {
        Signal::derive(move || {
            facets
                .get()
                .and_then(Result::ok)
                .map(pick)
                .unwrap_or_default()
        })
    };

    let on_department =
        Callback::new(move |d: String| go(filters.get_untracked().with_department(&d), false));
    let on_location =
        Callback::new(move |l: String| go(filters.get_untracked().with_location(&l), false));
    let (pending, set_pending) = signal(false);
    // "My team": the people who report to one's own manager (oneself
    // among them); at the top of the company, one's own reports.
    let my_team = move || {
        session.me().map(|me| {
            let lead = me.manager.map_or(me.id.0, |m| m.0);
            let href = DirectoryFilters::default().with_manager(Some(lead)).href();
            let current = move || (filters.read().manager == Some(lead)).then_some("page");
            view! {
                <a class="button button--ghost my-team" href=href aria-current=current data-testid="my-team">
                    "My team"
                </a>
            }
        })
    };

    view! {
        <section class="directory" data-testid="directory">
            <div class="directory__head">
                <h1 class="page-title">"People"</h1>
                <div class="toolbar">
                    <SearchBar text=search />
                    <div class="toolbar__filters">
                        <FilterSelect
                            label="Department"
                            all_label="All departments"
                            options=facet(|f| f.departments)
                            selected=Signal::derive(move || filters.read().department.clone())
                            on_change=on_department
                            testid="department-filter"
                        />
                        <FilterSelect
                            label="Location"
                            all_label="All locations"
                            options=facet(|f| f.locations)
                            selected=Signal::derive(move || filters.read().location.clone())
                            on_change=on_location
                            testid="location-filter"
                        />
                    </div>
                    {my_team}
                </div>
            </div>
            <p class="sr-only" role="status" aria-live="polite" data-testid="announcement">
                {announcement}
            </p>
            <div class="results" class:results--stale=move || pending.get()>
                <div class="progress" aria-hidden="true"></div>
                <Transition fallback=|| view! { <SkeletonGrid count=12 /> } set_pending>
                    {move || Suspend::new(async move {
                        match people.await {
                            Ok((filters, page)) => Either::Left(view! {
                                <Results page filters />
                            }),
                            Err(err) => Either::Right(view! {
                                <ErrorPanel
                                    message=err.user_message()
                                    on_retry=Callback::new(move |()| people.refetch())
                                />
                            }),
                        }
                    })}
                </Transition>
            </div>
        </section>
    }
}

/// The count, the grid (or why it is empty) and the pages.
#[component]
fn Results(page: Page, filters: DirectoryFilters) -> impl IntoView {
    let total = page.total;
    let summary = results_summary(&filters, total);
    let clear = filters
        .is_narrowed()
        .then(|| view! { <a class="link" href="/" data-testid="clear-filters">"Clear search and filters"</a> });
    // "Reports to …": which manager the list is narrowed to, and a way out.
    let manager_filter = filters.manager.map(|_| {
        let label = match &page.manager_name {
            Some(name) => format!("Reports to {name}"),
            None => "Reports to someone not in the directory".to_owned(),
        };
        let clear = filters.with_manager(None).href();
        view! {
            <p class="chip" data-testid="manager-filter">
                {label}
                <a class="chip__clear" href=clear aria-label="Remove the “reports to” filter">"×"</a>
            </p>
        }
    });
    let body = if page.people.is_empty() {
        Either::Left(view! { <EmptyState filters=filters.clone() total /> })
    } else {
        Either::Right(view! {
            <ul
                class="people-grid"
                data-testid="people-grid"
                on:keydown=move |ev| {
                    if !modified(&ev) && result_keys::follow(&ev.key(), false) {
                        ev.prevent_default();
                    }
                }
            >
                {page
                    .people
                    .into_iter()
                    .map(|person| view! { <PersonCard person /> })
                    .collect_view()}
            </ul>
        })
    };
    view! {
        <div class="results__bar">
            <p class="results__count" data-testid="total">{summary}</p>
            {manager_filter}
            {clear}
        </div>
        {body}
        <Pager filters total />
    }
}

/// "12 people found" under a search or filter, "320 people in the directory"
/// otherwise.
fn results_summary(filters: &DirectoryFilters, total: u64) -> String {
    if filters.is_narrowed() {
        format!("{} found", people_count(total))
    } else {
        format!("{} in the directory", people_count(total))
    }
}

/// Nobody matches, or the page is past the end.
#[component]
fn EmptyState(filters: DirectoryFilters, total: u64) -> impl IntoView {
    let (title, text, href, action) = if total > 0 {
        (
            "This page is empty".to_owned(),
            "There are fewer people than that.",
            filters.with_page(1).href(),
            "Go to the first page",
        )
    } else if filters.q.is_empty() {
        (
            "No one here yet".to_owned(),
            "Nobody matches these filters.",
            "/".to_owned(),
            "Show everyone",
        )
    } else {
        (
            format!("No one matches “{}”", filters.q),
            "Check the spelling, try part of a name, or clear the filters.",
            "/".to_owned(),
            "Show everyone",
        )
    };
    view! {
        <div class="notice notice--centered" data-testid="empty">
            <p class="notice__title">{title}</p>
            <p class="notice__text">{text}</p>
            <a class="button button--secondary" href=href>{action}</a>
        </div>
    }
}
