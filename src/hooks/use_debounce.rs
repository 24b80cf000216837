//! `use_debounce`: a signal that follows another once it has been still for a while.

use leptos::prelude::*;
use std::time::Duration;

/// How long typing must pause before the directory searches: short enough to
/// feel live, long enough that "lovelace" is one request, not eight.
pub const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);

/// Returns a signal that takes `source`'s value once `source` has not
/// changed for `delay`. Every change restarts the wait; the pending timer is
/// cancelled when the calling component goes away.
///
/// ## Usage
/// ```ignore
/// let (text, set_text) = signal(String::new());
/// let settled = use_debounce(text, SEARCH_DEBOUNCE);
/// ```
pub fn use_debounce<T>(source: impl Into<Signal<T>>, delay: Duration) -> Signal<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let source = source.into();
    let (settled, set_settled) = signal(source.get_untracked());
    let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);

    let cancel = move || {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };

    Effect::new(move |_| {
        let value = source.get();
        cancel();
        if settled.get_untracked() == value {
            return;
        }
        match set_timeout_with_handle(move || set_settled.set(value), delay) {
            Ok(handle) => pending.set_value(Some(handle)),
            // No timers (never in a browser): settle at once rather than never.
            Err(_) => set_settled.set(source.get_untracked()),
        }
    });
    on_cleanup(cancel);

    settled.into()
}
