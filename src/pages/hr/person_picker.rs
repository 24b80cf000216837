//! `PersonPicker`: choose one person by typing part of their name or email
//! (a manager in the editor, a person or actor in the audit filters).

use crate::api::hr;
use crate::hooks::use_debounce::{use_debounce, SEARCH_DEBOUNCE};
use crate::pages::hr::fetch::use_fetch;
use crate::session::Session;
use lanyard_wire::{AdminPeopleQuery, EmployeeId, PersonStatus};
use leptos::prelude::*;

/// Suggestions shown under the box; a longer list means "type more".
const SUGGESTIONS: usize = 8;

/// A chosen person: id and name.
pub type Picked = Option<(EmployeeId, String)>;

#[component]
pub fn PersonPicker(
    label: &'static str,
    testid: &'static str,
    chosen: RwSignal<Picked>,
    /// Offer deactivated people too (the audit log names people who left).
    #[prop(optional)]
    everyone: bool,
) -> impl IntoView {
    let session = Session::expect();
    let text = RwSignal::new(String::new());
    let settled = use_debounce(text, SEARCH_DEBOUNCE);
    let found = use_fetch(move || {
        let q: String = settled.get();
        let q = q.trim().to_owned();
        async move {
            if q.is_empty() {
                return Vec::new();
            }
            let query = AdminPeopleQuery {
                q: Some(q),
                status: everyone.then_some(PersonStatus::All),
                page: None,
            };
            match session.guard(hr::people(&query).await) {
                Ok(page) => page.people,
                Err(err) => {
                    leptos::logging::warn!("person search: {err}");
                    Vec::new()
                }
            }
        }
    });
    let pick = move |id: EmployeeId, name: String| {
        chosen.set(Some((id, name)));
        text.set(String::new());
    };

    view! {
        <div class="picker" data-testid=testid>
            <span class="field__label">{label}</span>
            {move || match chosen.get() {
                Some((id, name)) => view! {
                    <div class="picker__chosen">
                        <span data-testid="picker-chosen">{name} <span class="muted">" #" {id.0}</span></span>
                        <button type="button" class="button button--ghost" on:click=move |_| chosen.set(None)>
                            "Change"
                        </button>
                    </div>
                }
                .into_any(),
                None => view! {
                    <input
                        class="input"
                        type="search"
                        placeholder="Type a name or email"
                        aria-label=label
                        autocomplete="off"
                        data-testid="picker-input"
                        prop:value=move || text.get()
                        on:input:target=move |ev| text.set(ev.target().value())
                    />
                    <ul class="picker__list">
                        {move || {
                            found
                                .data
                                .get()
                                .unwrap_or_default()
                                .into_iter()
                                .take(SUGGESTIONS)
                                .map(|p| {
                                    let name = p.name.clone();
                                    view! {
                                        <li>
                                            <button
                                                type="button"
                                                class="picker__option"
                                                data-testid="picker-option"
                                                on:click=move |_| pick(p.id, name.clone())
                                            >
                                                <strong>{p.name}</strong>
                                                <span class="muted">{p.email}</span>
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                }
                .into_any(),
            }}
        </div>
    }
}
