//! The photo healer at work in the browser: one per tab.
//!
//! [`Healer`] decides; this module does what it decides and tells it what
//! happened. It owns the one timer (set for the healer's next wake-up plus a
//! short gathering delay, so photos failing within the same few milliseconds
//! share a batch), sends the batch requests, listens for the tab being
//! hidden (no timer runs then; on return everything overdue goes out in one
//! batch) and runs one IntersectionObserver for every photo on the page.
//!
//! It is a thread-local rather than a reactive context: wasm is
//! single-threaded, answers arrive in `spawn_local` tasks with no reactive
//! owner at hand, and one healer must serve every page the router shows.
//!
//! Hand-written rather than leptos-use's `use_intersection_observer` and
//! `use_document_visibility`: those create one observer per element, and a
//! page can show several hundred photos; one shared observer delivers one
//! callback per frame for all of them (and the bundle stays within budget).

use super::healer::{Batch, Healer, PhotoKey, PhotoView, Settings};
use crate::api;
use crate::clock;
use crate::session::Session;
use lanyard_wire::{PhotoUrl, PhotoUrlsRequest, Timestamp};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{
    Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit,
    VisibilityState,
};

/// Refreshes falling due within this long of the first go in one batch.
const GATHER_MS: i64 = 40;
/// How far outside the viewport a photo counts as on screen, so it is ready
/// by the time it scrolls in.
const ROOT_MARGIN: &str = "64px";
/// The longest single timer; see [`Service::reschedule`].
const MAX_TIMER_MS: i64 = 10 * 60 * 1000;
/// The attribute that maps an observed element back to its watcher.
const WATCH_ATTR: &str = "data-photo-watch";

/// One component's subscription to a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubscriptionId(u64);

type VisibilityCallback = Rc<dyn Fn(bool)>;
type Updates = Vec<(WriteSignal<PhotoView>, PhotoView)>;

struct Service {
    healer: Healer,
    views: HashMap<PhotoKey, Vec<(SubscriptionId, WriteSignal<PhotoView>)>>,
    next_id: u64,
    /// The pending timer and when it fires (server clock).
    timer: Option<(i64, TimeoutHandle)>,
    hidden: bool,
    observer: Option<IntersectionObserver>,
    watchers: HashMap<u64, VisibilityCallback>,
    session: Option<Session>,
}

thread_local! {
    static SERVICE: RefCell<Option<Service>> = const { RefCell::new(None) };
}

/// Runs `f` on the tab's service, starting it on first use. Nothing inside
/// `f` may call back into this module: signals are set and callbacks run
/// only after the borrow ends.
fn with<R>(f: impl FnOnce(&mut Service) -> R) -> R {
    SERVICE.with(|cell| {
        let mut slot = cell.borrow_mut();
        f(slot.get_or_insert_with(Service::start))
    })
}

/// Runs one healer event at the current server time, resets the timer, then
/// tells the components whose photo changed.
fn act<R>(f: impl FnOnce(&mut Service, i64) -> R) -> R {
    let now = clock::server_now().as_millis();
    let (result, updates) = with(|service| {
        let result = f(service, now);
        service.reschedule();
        (result, service.drain_changes())
    });
    for (signal, view) in updates {
        // A component that unmounted in between has a disposed signal.
        signal.try_set(view);
    }
    result
}

impl Service {
    fn start() -> Self {
        listen_for_visibility();
        Self {
            healer: Healer::new(Settings::DEFAULT),
            views: HashMap::new(),
            next_id: 0,
            timer: None,
            hidden: document_hidden(),
            observer: None,
            watchers: HashMap::new(),
            session: None,
        }
    }

    fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// The views that changed, paired with the signals to tell.
    fn drain_changes(&mut self) -> Updates {
        let mut updates = Vec::new();
        for key in self.healer.take_changes() {
            let view = self.healer.view(key);
            for (_, signal) in self.views.get(&key).into_iter().flatten() {
                updates.push((*signal, view.clone()));
            }
        }
        updates
    }

    /// Sets the timer for the healer's next wake-up, unless one firing early
    /// enough is already set; no timer at all while the tab is hidden.
    fn reschedule(&mut self) {
        let wake = if self.hidden {
            None
        } else {
            self.healer.next_wakeup()
        };
        let Some(wake) = wake else {
            if let Some((_, handle)) = self.timer.take() {
                handle.clear();
            }
            return;
        };
        let fire_at = wake + GATHER_MS;
        if self.timer.as_ref().is_some_and(|(at, _)| *at <= fire_at) {
            return;
        }
        if let Some((_, handle)) = self.timer.take() {
            handle.clear();
        }
        // Capped: setTimeout takes at most 2^31 − 1 ms (a longer delay makes
        // the binding throw), and a timer that fires early just finds
        // nothing due and sets the next one.
        let delay = clock::server_now()
            .millis_until(Timestamp(fire_at))
            .clamp(0, MAX_TIMER_MS);
        let delay = Duration::from_millis(delay.unsigned_abs());
        match set_timeout_with_handle(on_timer, delay) {
            Ok(handle) => self.timer = Some((fire_at, handle)),
            Err(err) => leptos::logging::error!("could not set the photo timer: {err:?}"),
        }
    }

    fn observer(&mut self) -> Option<&IntersectionObserver> {
        if self.observer.is_none() {
            let callback = Closure::<dyn Fn(js_sys::Array)>::new(on_intersections);
            let options = IntersectionObserverInit::new();
            options.set_root_margin(ROOT_MARGIN);
            match IntersectionObserver::new_with_options(
                callback.as_ref().unchecked_ref(),
                &options,
            ) {
                Ok(observer) => self.observer = Some(observer),
                Err(err) => leptos::logging::error!("no IntersectionObserver: {err:?}"),
            }
            // The observer lives as long as the page.
            callback.forget();
        }
        self.observer.as_ref()
    }
}

fn on_timer() {
    let batches = act(|service, now| {
        service.timer = None;
        service.healer.poll(now)
    });
    for batch in batches {
        spawn_local(send(batch));
    }
}

async fn send(batch: Batch) {
    let request = PhotoUrlsRequest {
        people: batch.people.clone(),
        size: batch.size,
    };
    // The answer's server time is folded into the clock before this returns,
    // so the `now` each arm sees is already corrected: a jumped browser clock
    // is put right by the very batch it caused.
    let result = api::photo_urls(&request).await;
    if let (Err(err), Some(session)) = (&result, with(|service| service.session)) {
        let _ = session.guard::<()>(Err(err.clone()));
    }
    match result {
        Ok(answer) => act(|service, now| service.healer.answered(&batch, &answer.urls, now)),
        Err(err) => {
            leptos::logging::warn!("refreshing {} photo URLs failed: {err}", batch.people.len());
            // A 429's Retry-After holds the whole batch back that long: the
            // photos wait together instead of each retrying into the limit.
            let retry_after_ms = err
                .retry_after()
                .map(|wait| i64::try_from(wait.as_millis()).unwrap_or(i64::MAX));
            act(|service, now| {
                let random = js_sys::Math::random();
                service
                    .healer
                    .batch_failed(&batch, now, random, retry_after_ms);
            });
        }
    }
}

fn on_intersections(entries: js_sys::Array) {
    let calls: Vec<(VisibilityCallback, bool)> = with(|service| {
        entries
            .iter()
            .filter_map(|entry| {
                let entry: IntersectionObserverEntry = entry.unchecked_into();
                let id: u64 = entry.target().get_attribute(WATCH_ATTR)?.parse().ok()?;
                let callback = service.watchers.get(&id)?.clone();
                Some((callback, entry.is_intersecting()))
            })
            .collect()
    });
    for (callback, visible) in calls {
        callback(visible);
    }
}

fn document_hidden() -> bool {
    document().visibility_state() == VisibilityState::Hidden
}

fn listen_for_visibility() {
    let callback = Closure::<dyn Fn()>::new(|| {
        let hidden = document_hidden();
        act(|service, _| service.hidden = hidden);
    });
    if let Err(err) = document()
        .add_event_listener_with_callback("visibilitychange", callback.as_ref().unchecked_ref())
    {
        leptos::logging::error!("cannot follow tab visibility: {err:?}");
    }
    callback.forget();
}

/// Lets photo refreshes that find the session gone send the app back to
/// sign-in, like every other API call.
pub fn connect_session(session: Session) {
    with(|service| service.session = Some(session));
}

/// A component starts showing `key` with the URL its page data carried;
/// `signal` will receive every change of the photo's view. Returns the
/// subscription and the view to start from.
pub fn subscribe(
    key: PhotoKey,
    url: Option<PhotoUrl>,
    signal: WriteSignal<PhotoView>,
) -> (SubscriptionId, PhotoView) {
    act(|service, _| {
        let id = SubscriptionId(service.next_id());
        service.healer.subscribe(key, url);
        service.views.entry(key).or_default().push((id, signal));
        (id, service.healer.view(key))
    })
}

/// The component behind `id` unmounted (`visible`: it was on screen).
pub fn unsubscribe(id: SubscriptionId, key: PhotoKey, visible: bool) {
    act(|service, _| {
        service.healer.unsubscribe(key, visible);
        if let Some(list) = service.views.get_mut(&key) {
            list.retain(|(sub, _)| *sub != id);
            if list.is_empty() {
                service.views.remove(&key);
            }
        }
    });
}

/// One component showing `key` came on screen or left it.
pub fn set_visible(key: PhotoKey, visible: bool) {
    act(|service, now| service.healer.set_visible(key, visible, now));
}

/// The `<img>` showing `key` loaded `url`.
pub fn loaded(key: PhotoKey, url: &str) {
    act(|service, now| service.healer.loaded(key, url, now));
}

/// The `<img>` showing `key` failed to load `url`.
pub fn failed(key: PhotoKey, url: &str) {
    act(|service, now| {
        service.healer.failed(key, url, now, js_sys::Math::random());
    });
}

/// The person asked to try a given-up photo again.
pub fn retry(key: PhotoKey) {
    act(|service, now| service.healer.retry(key, now));
}

/// Calls `callback` whenever `element` comes on screen or leaves it.
/// Returns the watch to pass to [`unwatch`].
pub fn watch(element: &Element, callback: impl Fn(bool) + 'static) -> u64 {
    with(|service| {
        let id = service.next_id();
        if element.set_attribute(WATCH_ATTR, &id.to_string()).is_ok() {
            service.watchers.insert(id, Rc::new(callback));
            if let Some(observer) = service.observer() {
                observer.observe(element);
            }
        }
        id
    })
}

/// Stops watching `element`.
pub fn unwatch(element: &Element, id: u64) {
    with(|service| {
        service.watchers.remove(&id);
        if let Some(observer) = &service.observer {
            observer.unobserve(element);
        }
    });
}
