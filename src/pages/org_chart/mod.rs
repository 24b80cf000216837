//! `/people/:id/org`: the org chart around one person. Their managers up
//! to the top, each open on the way down; the person, open on their first
//! page of reports; every report a closed branch that opens on demand. It
//! is a tree for assistive technology and the keyboard ([`keys`]).

mod keys;
mod node;

use crate::api::{self, ClientError};
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::SkeletonProfile;
use crate::hooks::use_title::use_title;
use crate::nav::Nav;
use crate::pages::not_found::NotFoundNotice;
use crate::session::Session;
use lanyard_wire::{EmployeeId, OrgChart};
use leptos::either::EitherOf3;
use leptos::html::Div;
use leptos::prelude::*;
use node::{Opened, OrgNode};
use wasm_bindgen::JsCast as _;

/// The person whose chart `path` asks for; `None` for an id that is no
/// number (no such person, without asking).
pub fn person_of(path: &str) -> Option<EmployeeId> {
    path.trim_end_matches('/')
        .strip_prefix("/people/")?
        .strip_suffix("/org")?
        .parse()
        .ok()
        .map(EmployeeId)
}

#[component]
pub fn OrgChartPage() -> impl IntoView {
    let session = Session::expect();
    let nav = Nav::expect();
    let id = Memo::new(move |_| person_of(&nav.path()));
    let chart = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => session.guard(api::org_chart(id).await),
                None => Err(ClientError::not_found()),
            }
        }
    });
    use_title(move || match chart.get() {
        Some(Ok(chart)) => format!("Org chart: {}", chart.person.name),
        Some(Err(err)) if err.is_not_found() => "Not found".into(),
        _ => String::new(),
    });

    view! {
        <div class="org-page">
            <nav class="crumbs">
                <a class="link" href="/">"← All people"</a>
                {move || id.get().map(|id| view! {
                    " · " <a class="link" href=format!("/people/{id}") data-testid="org-profile-link">"Profile"</a>
                })}
            </nav>
            <Transition fallback=|| view! { <SkeletonProfile /> }>
                {move || Suspend::new(async move {
                    match chart.await {
                        Ok(chart) => EitherOf3::A(view! { <Chart chart /> }),
                        Err(err) if err.is_not_found() => EitherOf3::B(view! {
                            <NotFoundNotice
                                title="We couldn't find that person"
                                text="They may have left the company, or the link is wrong."
                                testid="org-not-found"
                            />
                        }),
                        Err(err) => EitherOf3::C(view! {
                            <ErrorPanel
                                message=err.user_message()
                                on_retry=Callback::new(move |()| chart.refetch())
                            />
                        }),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Chart(chart: OrgChart) -> impl IntoView {
    let tree = NodeRef::<Div>::new();
    let name = chart.person.name.clone();
    let person = chart.person.id;
    // From the person up: each manager open on the one below.
    let mut top = (chart.person, Opened::Reports(chart.reports));
    for manager in chart.managers.into_iter().rev() {
        top = (manager, Opened::Path(Box::new(top)));
    }
    let (root, opened) = top;
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let Some(tree) = tree.get_untracked() else {
            return;
        };
        if ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        if keys::follow(&tree, &ev.key()) {
            ev.prevent_default();
        }
    };
    // A click (or a screen reader) can focus any item: it becomes the one
    // in the Tab order.
    let on_focusin = move |ev: leptos::ev::FocusEvent| {
        let (Some(tree), Some(target)) = (tree.get_untracked(), ev.target()) else {
            return;
        };
        if let Ok(item) = target.dyn_into::<web_sys::HtmlElement>() {
            if item.get_attribute("role").as_deref() == Some("treeitem") {
                keys::focus(&tree, &item);
            }
        }
    };

    view! {
        <section class="panel org-chart" data-testid="org-chart">
            <h1 class="panel__title">"Org chart: " {name.clone()}</h1>
            <p class="muted org-chart__hint">
                "Arrow keys move through the chart; → opens a team and ← closes it; Enter opens a profile."
            </p>
            {chart.loop_cut.then(|| view! {
                <p class="notice notice--warning" role="note" data-testid="org-loop">
                    "The reporting line above loops back on itself in the directory's records, so it is shown up to where it repeats. HR can correct the manager on the person's record."
                </p>
            })}
            <div
                role="tree"
                class="org-tree"
                aria-label=format!("Reporting line of {name}")
                node_ref=tree
                on:keydown=on_keydown
                on:focusin=on_focusin
            >
                <OrgNode person=root opened level=1 current=Some(person) />
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::person_of;
    use lanyard_wire::EmployeeId;

    #[test]
    fn the_path_names_the_person() {
        assert_eq!(person_of("/people/7/org"), Some(EmployeeId(7)));
        assert_eq!(person_of("/people/7/org/"), Some(EmployeeId(7)));
        assert_eq!(person_of("/people/x/org"), None);
        assert_eq!(person_of("/people/7"), None);
        assert_eq!(person_of("/people//org"), None);
    }
}
