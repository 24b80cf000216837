//! The directory's search box and its filter drop-downs.

use crate::query::MAX_SEARCH_CHARS;
use leptos::prelude::*;

/// A search box bound to `text`; the caller debounces.
#[component]
pub fn SearchBar(text: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="search">
            <svg class="search__icon" viewBox="0 0 20 20" aria-hidden="true">
                <circle cx="8.5" cy="8.5" r="5.75" fill="none" stroke="currentColor" stroke-width="2" />
                <path d="M13 13 L17.5 17.5" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
            </svg>
            <input
                class="input search__input"
                type="search"
                name="q"
                placeholder="Search by name, title or email"
                aria-label="Search people"
                autocomplete="off"
                spellcheck="false"
                maxlength=MAX_SEARCH_CHARS
                data-testid="search"
                prop:value=move || text.get()
                on:input:target=move |ev| text.set(ev.target().value())
            />
        </div>
    }
}

/// A labelled `<select>` over `options`, with an "all" choice whose value is "".
#[component]
pub fn FilterSelect(
    /// The accessible name; the "all" choice already says what it filters.
    label: &'static str,
    /// The text of the empty choice, e.g. "All departments".
    all_label: &'static str,
    #[prop(into)] options: Signal<Vec<String>>,
    #[prop(into)] selected: Signal<String>,
    on_change: Callback<String>,
    testid: &'static str,
) -> impl IntoView {
    // The selected value is offered even before the facets arrive (or if it
    // vanished from them), so a filter read from the URL is never dropped.
    let choices = move || {
        let mut all = options.get();
        let current = selected.get();
        if !current.is_empty() && !all.contains(&current) {
            all.insert(0, current);
        }
        all
    };
    view! {
        <label class="filter">
            <span class="sr-only">{label}</span>
            <select
                class="input filter__select"
                data-testid=testid
                on:change:target=move |ev| on_change.run(ev.target().value())
            >
                <option value="" prop:selected=move || selected.get().is_empty()>
                    {all_label}
                </option>
                {move || {
                    choices()
                        .into_iter()
                        .map(|choice| {
                            let is_selected = {
                                let choice = choice.clone();
                                move || selected.get() == choice
                            };
                            view! {
                                <option value=choice.clone() prop:selected=is_selected>
                                    {choice.clone()}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}
