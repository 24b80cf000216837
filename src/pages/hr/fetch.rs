//! `use_fetch`: the newest answer of an async read, in a signal.
//!
//! What `LocalResource` does for the desk's pages, with less generated code
//! per answer type (the bundle has a size budget): re-runs when a signal
//! the closure reads (before its `async` part) changes, drops answers to
//! superseded runs, and can be run again by hand.

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// The answer (`None` until the first arrives) and a way to ask again.
pub struct Fetched<T: Send + Sync + 'static> {
    pub data: RwSignal<Option<T>>,
    again: RwSignal<u32>,
}

// By hand: a derive would ask `T: Copy`, but only the signals are copied.
impl<T: Send + Sync + 'static> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Fetched<T> {}

impl<T: Send + Sync + 'static> Fetched<T> {
    /// Fetch again with the same inputs, keeping the last answer meanwhile.
    pub fn refetch(&self) {
        self.again.update(|n| *n = n.wrapping_add(1));
    }
}

pub fn use_fetch<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> Fetched<T>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = T> + 'static,
{
    let data = RwSignal::new(None);
    let again = RwSignal::new(0u32);
    let runs = StoredValue::new(0u32);
    Effect::new(move |_| {
        again.track();
        let future = fetch();
        let run = runs.get_value().wrapping_add(1);
        runs.set_value(run);
        spawn_local(async move {
            let answer = future.await;
            if runs.try_get_value() == Some(run) {
                data.try_set(Some(answer));
            }
        });
    });
    Fetched { data, again }
}
