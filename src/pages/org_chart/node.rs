//! One person in the org chart: a `treeitem` with their photo, name and
//! title, and, when people report to them, a branch that opens. A closed
//! branch asks for its first page of reports when first opened (one
//! request, its photo URLs granted in that answer as one batch) and keeps
//! them when closed again; "Show more" asks for the next page.

use crate::api;
use crate::components::avatar::{Avatar, AvatarSize};
use crate::session::Session;
use lanyard_wire::{EmployeeId, OrgPerson, OrgReports};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How a branch starts out.
#[derive(Debug, Clone)]
pub enum Opened {
    /// Closed; its reports load when it is first opened.
    Closed,
    /// Open with its first page of reports (the chart's person).
    Reports(OrgReports),
    /// Open on the way down from the top to the chart's person: it shows
    /// only the next one down.
    Path(Box<(OrgPerson, Opened)>),
}

/// "1 report", "12 reports".
pub fn reports_label(count: u64) -> String {
    match count {
        1 => "1 report".to_owned(),
        n => format!("{n} reports"),
    }
}

/// The next page to ask for once `shown` of `total` are loaded.
pub fn next_page(shown: usize, total: u64, per_page: u32) -> Option<u32> {
    let shown = shown as u64;
    (shown < total)
        .then(|| u32::try_from(shown / u64::from(per_page.max(1)) + 1).unwrap_or(u32::MAX))
}

#[component]
pub fn OrgNode(
    person: OrgPerson,
    opened: Opened,
    /// `aria-level`: 1 for the top of the chart.
    level: u32,
    /// Whose chart this is: their node is highlighted and first in the Tab
    /// order. Passed down the path only (in broken data they may also
    /// appear among someone's reports).
    #[prop(default = None)]
    current: Option<EmployeeId>,
) -> impl IntoView {
    let session = Session::expect();
    let id = person.id;
    let has_reports = person.reports > 0;
    let expanded = RwSignal::new(!matches!(opened, Opened::Closed));
    let loaded = RwSignal::new(Vec::<OrgPerson>::new());
    let total = RwSignal::new(person.reports);
    let more = RwSignal::new(None::<u32>);
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);

    // `try_`: an answer may arrive after the chart is gone (the person
    // navigated away), when its signals are disposed.
    let add = move |page: OrgReports| {
        loaded.try_update(|people| people.extend(page.people));
        total.try_set(page.total);
        let shown = loaded.try_with_untracked(Vec::len).unwrap_or_default();
        more.try_set(next_page(shown, page.total, page.per_page));
    };
    let load = move |page: u32| {
        loading.set(true);
        failed.set(None);
        spawn_local(async move {
            match session.guard(api::reports(id, page).await) {
                Ok(answer) => add(answer.reports),
                Err(error) => _ = failed.try_set(Some(error.user_message())),
            }
            loading.try_set(false);
        });
    };

    let is_current = current == Some(id) && matches!(opened, Opened::Reports(_));
    let path = match opened {
        Opened::Path(next) => Some(*next),
        Opened::Reports(first) => {
            add(first);
            None
        }
        Opened::Closed => None,
    };
    let on_path = path.is_some();
    let toggle = move |_| {
        let open = !expanded.get_untracked();
        expanded.set(open);
        let never_loaded = more.get_untracked().is_none() && loaded.with_untracked(Vec::is_empty);
        if open && !on_path && never_loaded && !loading.get_untracked() {
            load(1);
        }
    };

    let label = format!(
        "{}, {}, {}",
        person.name,
        person.title,
        reports_label(person.reports)
    );
    let count = has_reports.then(|| {
        let text = reports_label(person.reports);
        // On the path only the next one down shows: the count leads to
        // this manager's own chart, where all of them do.
        if on_path {
            view! { <a class="org-node__count link" href=format!("/people/{id}/org") tabindex="-1">{text}</a> }
                .into_any()
        } else {
            view! { <span class="org-node__count">{text}</span> }.into_any()
        }
    });
    let branch = if let Some((next, next_opened)) = path {
        view! { <OrgNode person=next opened=next_opened level=level + 1 current=current /> }
            .into_any()
    } else {
        view! {
            <For each=move || loaded.get() key=|p| p.id let:p>
                <OrgNode person=p opened=Opened::Closed level=level + 1 />
            </For>
        }
        .into_any()
    };

    view! {
        <div
            role="treeitem"
            class="org-node"
            class:org-node--current=is_current
            aria-current=is_current.then_some("true")
            aria-expanded=move || has_reports.then(|| expanded.get().to_string())
            aria-label=label
            tabindex=if is_current { "0" } else { "-1" }
            data-testid="org-node"
            data-person=id.0
        >
            <div class="org-node__row">
                {if has_reports {
                    view! {
                        <span class="org-node__toggle" data-toggle="" aria-hidden="true" on:click=toggle>
                            {move || if expanded.get() { "▾" } else { "▸" }}
                        </span>
                    }
                    .into_any()
                } else {
                    view! { <span class="org-node__toggle" aria-hidden="true"></span> }.into_any()
                }}
                <Avatar name=person.name.clone() person=id photo=person.photo size=AvatarSize::Small />
                <span class="org-node__text">
                    <a class="org-node__name" href=format!("/people/{id}") tabindex="-1">{person.name}</a>
                    <span class="org-node__title">{person.title} " · " {person.department}</span>
                </span>
                {count}
            </div>
            <div role="group" class="org-node__group" hidden=move || !expanded.get()>
                {branch}
            </div>
            <Show when=move || expanded.get()>
                <BranchStatus id loading failed more total loaded=Signal::derive(move || loaded.with(Vec::len)) load=Callback::new(load) />
            </Show>
        </div>
    }
    // Tachys has no `aria_level` among its ARIA attributes (0.2.19), so the
    // level goes on as a custom attribute; the tree's keys read it.
    .attr("aria-level", level.to_string())
}

/// Under an open branch: loading, a failure with a retry, or "Show more".
#[component]
fn BranchStatus(
    id: EmployeeId,
    loading: RwSignal<bool>,
    failed: RwSignal<Option<String>>,
    more: RwSignal<Option<u32>>,
    total: RwSignal<u64>,
    loaded: Signal<usize>,
    load: Callback<u32>,
) -> impl IntoView {
    move || {
        if loading.get() {
            view! { <p class="org-node__status muted" role="status">"Loading reports…"</p> }
                .into_any()
        } else if let Some(message) = failed.get() {
            let page = more.get().unwrap_or(1);
            view! {
                <p class="org-node__status" role="alert">
                    {message} " "
                    <button class="button button--secondary" on:click=move |_| load.run(page)>"Try again"</button>
                </p>
            }
            .into_any()
        } else if let Some(page) = more.get() {
            view! {
                <button
                    class="button button--secondary org-node__more"
                    data-testid="org-more"
                    data-person=id.0
                    on:click=move |_| load.run(page)
                >
                    {format!("Show more ({} of {} shown)", loaded.get(), total.get())}
                </button>
            }
            .into_any()
        } else {
            ().into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_words() {
        assert_eq!(reports_label(1), "1 report");
        assert_eq!(reports_label(0), "0 reports");
        assert_eq!(reports_label(300), "300 reports");
    }

    #[test]
    fn the_next_page_follows_what_is_loaded() {
        assert_eq!(next_page(48, 300, 48), Some(2));
        assert_eq!(next_page(288, 300, 48), Some(7));
        assert_eq!(next_page(300, 300, 48), None);
        assert_eq!(next_page(0, 0, 48), None);
        assert_eq!(next_page(0, 5, 0), Some(1));
    }
}
