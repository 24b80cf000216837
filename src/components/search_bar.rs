//! The directory's search box and its filter drop-downs.

use crate::components::result_keys;
use crate::query::MAX_SEARCH_CHARS;
use leptos::prelude::*;
use wasm_bindgen::JsCast as _;

/// A search box bound to `text`; the caller debounces. `/` anywhere on the
/// page (outside a text field) puts the cursor in it, as on GitHub and
/// Slack; ↓ goes on to the results (`result_keys`).
#[component]
pub fn SearchBar(text: RwSignal<String>) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if is_search_shortcut(
            &ev.key(),
            ev.ctrl_key() || ev.meta_key() || ev.alt_key(),
            typing_in_field(&ev),
        ) {
            if let Some(input) = input.get_untracked() {
                ev.prevent_default();
                let _ = input.focus();
                input.select();
            }
        }
    });
    on_cleanup(move || handle.remove());
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
                aria-keyshortcuts="/"
                title="Search (press /; ↓ to the results)"
                node_ref=input
                prop:value=move || text.get()
                on:input:target=move |ev| text.set(ev.target().value())
                on:keydown=move |ev| {
                    if !modified(&ev) && ev.key() == "ArrowDown" && result_keys::follow("ArrowDown", true) {
                        ev.prevent_default();
                    }
                }
            />
        </div>
    }
}

/// Whether a key press asks for the search box: `/` without modifiers,
/// not while typing into a field (where `/` is text).
pub fn is_search_shortcut(key: &str, modified: bool, in_field: bool) -> bool {
    key == "/" && !modified && !in_field
}

/// Whether a modifier is held: those combinations are the browser's.
pub fn modified(ev: &web_sys::KeyboardEvent) -> bool {
    ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.shift_key()
}

/// Whether the key press happened in a text field or an editable element.
fn typing_in_field(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(element) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element.is_content_editable()
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

#[cfg(test)]
mod tests {
    use super::is_search_shortcut;

    #[test]
    fn only_a_bare_slash_outside_fields_is_the_shortcut() {
        assert!(is_search_shortcut("/", false, false));
        assert!(!is_search_shortcut("/", true, false));
        assert!(!is_search_shortcut("/", false, true));
        assert!(!is_search_shortcut("?", false, false));
        assert!(!is_search_shortcut("Slash", false, false));
    }
}
