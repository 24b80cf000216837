//! `/hr/people`: everyone HR administers, active or not; search, status,
//! pages (all in the URL, like the directory), and the way to each editor.

use crate::api::hr::{self, people_query_string, status_from_key, status_key};
use crate::components::error_panel::ErrorPanel;
use crate::components::pager::page_count;
use crate::components::search_bar::SearchBar;
use crate::format::people_count;
use crate::hooks::use_debounce::{use_debounce, SEARCH_DEBOUNCE};
use crate::hooks::use_title::use_title;
use crate::nav::{How, Nav};
use crate::pages::hr::fetch::use_fetch;
use crate::query::normalize_search;
use crate::session::Session;
use lanyard_wire::{AdminPeoplePage, AdminPeopleQuery, PersonStatus, Role};
use leptos::prelude::*;

fn href(query: &AdminPeopleQuery) -> String {
    format!("/hr/people{}", people_query_string(query))
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    use_title(|| "People · HR".into());
    let session = Session::expect();
    let nav = Nav::expect();
    let filters = Memo::new(move |_| AdminPeopleQuery {
        q: nav
            .query("q")
            .map(|q| normalize_search(&q))
            .filter(|q| !q.is_empty()),
        status: nav.query("status").and_then(|s| status_from_key(&s)),
        page: nav
            .query("page")
            .and_then(|n| n.parse().ok())
            .filter(|n| *n > 1),
    });
    let go = move |next: AdminPeopleQuery| nav.navigate(&href(&next), How::Replace);

    let search = RwSignal::new(filters.get_untracked().q.unwrap_or_default());
    let settled = use_debounce(search, SEARCH_DEBOUNCE);
    Effect::new(move |_| {
        let typed: String = settled.get();
        let typed = normalize_search(&typed);
        let current = filters.get_untracked();
        if current.q.as_deref().unwrap_or("") != typed {
            let q = (!typed.is_empty()).then_some(typed);
            go(AdminPeopleQuery {
                q,
                page: None,
                ..current
            });
        }
    });
    let people = use_fetch(move || {
        let query = filters.get();
        async move { session.guard(hr::people(&query).await) }
    });
    let on_status = move |value: String| {
        let status = status_from_key(&value).filter(|s| *s != PersonStatus::Active);
        go(AdminPeopleQuery {
            status,
            page: None,
            ..filters.get_untracked()
        });
    };
    let status_now = move || status_key(filters.read().status.unwrap_or_default());

    view! {
        <section class="hr-page" data-testid="hr-people">
            <div class="hr-head">
                <h1 class="page-title">"People"</h1>
                <a class="button button--primary" href="/hr/people/new" data-testid="add-person">"Add person"</a>
            </div>
            <div class="toolbar">
                <SearchBar text=search />
                <select
                    class="input hr-select"
                    aria-label="Status"
                    data-testid="status-filter"
                    on:change:target=move |ev| on_status(ev.target().value())
                >
                    {[("active", "Active"), ("inactive", "Deactivated"), ("all", "Everyone")]
                        .map(|(key, label)| view! {
                            <option value=key prop:selected=move || status_now() == key>{label}</option>
                        })}
                </select>
            </div>
            {move || match people.data.get() {
                None => view! { <p class="muted" aria-busy="true">"Loading…"</p> }.into_any(),
                Some(Err(err)) => view! {
                    <ErrorPanel message=err.user_message() on_retry=Callback::new(move |()| people.refetch()) />
                }
                .into_any(),
                Some(Ok(page)) => view! { <PeopleTable page query=filters.get_untracked() /> }.into_any(),
            }}
        </section>
    }
}

/// The count, the rows, and Previous / Next.
#[component]
fn PeopleTable(page: AdminPeoplePage, query: AdminPeopleQuery) -> impl IntoView {
    let last = page_count(page.total, page.per_page);
    let current = page.page.max(1);
    let step = |to: u32, label: &'static str| {
        let target = AdminPeopleQuery {
            page: (to > 1).then_some(to),
            ..query.clone()
        };
        view! { <a class="pager__step" href=href(&target)>{label}</a> }
    };
    let rows = page
        .people
        .into_iter()
        .map(|p| {
            view! {
                <tr data-testid="hr-person-row" data-person=p.id.0>
                    <td><a class="link" href=format!("/hr/people/{}", p.id)>{p.name}</a></td>
                    <td>{p.email}</td>
                    <td>{p.title}</td>
                    <td>{p.department}</td>
                    <td>{if p.role == Role::Hr { "HR" } else { "Employee" }}</td>
                    <td>{if p.active { "Active" } else { "Deactivated" }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="results__count" data-testid="hr-total">{people_count(page.total)}</p>
        <div class="hr-table-wrap">
            <table class="hr-table">
                <thead>
                    <tr><th>"Name"</th><th>"Email"</th><th>"Title"</th><th>"Department"</th><th>"Role"</th><th>"Status"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {(last > 1).then(|| view! {
            <nav class="pager" aria-label="Pages">
                {(current > 1).then(|| step(current - 1, "← Previous"))}
                <span class="muted">"Page " {current} " of " {last}</span>
                {(current < last).then(|| step(current + 1, "Next →"))}
            </nav>
        })}
    }
}
