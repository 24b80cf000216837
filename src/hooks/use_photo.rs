//! `use_photo`: one component's live view of a person's photo.
//!
//! The component passes the URL its page data carried and the element that
//! frames the photo; the hook subscribes to the tab's photo healer
//! ([`crate::photos::service`]), watches the element come on and off screen,
//! and hands back the current [`PhotoView`]: which URL to load (renewed
//! before it expires, replaced after an error) or why there is none. The
//! component reports back what its `<img>` did.

use crate::photos::healer::{Phase, PhotoKey, PhotoView};
use crate::photos::service::{self, SubscriptionId};
use lanyard_wire::{EmployeeId, PhotoSize, PhotoUrl};
use leptos::html::Span;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The watched element and its watch id, kept for the cleanup.
type Watched = Arc<Mutex<Option<SendWrapper<(web_sys::Element, u64)>>>>;

/// What [`use_photo`] hands back.
#[derive(Clone, Copy)]
pub struct UsePhoto {
    pub key: PhotoKey,
    /// The healer's view of the photo.
    pub view: ReadSignal<PhotoView>,
    /// Whether the element has been on screen: the `<img>` is only created
    /// (and the photo downloaded) from then on.
    pub seen: ReadSignal<bool>,
}

impl UsePhoto {
    /// The URL to load now, if any: usable and on screen at least once.
    pub fn src(&self) -> Option<String> {
        if !self.seen.get() {
            return None;
        }
        self.view.with(|v| match v.phase {
            Phase::Usable => v.url.clone(),
            _ => None,
        })
    }

    /// The `<img>` finished loading `url`.
    pub fn loaded(&self, url: &str) {
        service::loaded(self.key, url);
    }

    /// The `<img>` failed to load `url`.
    pub fn failed(&self, url: &str) {
        service::failed(self.key, url);
    }

    /// Try a given-up photo again.
    pub fn retry(&self) {
        service::retry(self.key);
    }
}

/// Subscribes the calling component to `person`'s photo at `size`.
/// `initial` is the URL from the page's data; `frame` is the element whose
/// visibility decides whether the photo is loaded and renewed.
pub fn use_photo(
    person: EmployeeId,
    size: PhotoSize,
    initial: Option<PhotoUrl>,
    frame: NodeRef<Span>,
) -> UsePhoto {
    let key = PhotoKey { person, size };
    let (view, set_view) = signal(PhotoView {
        phase: Phase::NoPhoto,
        url: None,
    });
    let (id, start): (SubscriptionId, PhotoView) = service::subscribe(key, initial, set_view);
    set_view.set(start);
    let (seen, set_seen) = signal(false);

    // Whether this component counts as on screen in the healer, for the
    // unsubscribe at cleanup (atomics: cleanups must be Send).
    let visible = Arc::new(AtomicBool::new(false));
    let watch: Watched = Arc::default();

    frame.on_load({
        let visible = Arc::clone(&visible);
        let watch = Arc::clone(&watch);
        move |element| {
            let element: web_sys::Element = element.into();
            let id = service::watch(&element, move |now_visible| {
                if visible.swap(now_visible, Ordering::Relaxed) != now_visible {
                    service::set_visible(key, now_visible);
                }
                if now_visible {
                    set_seen.try_set(true);
                }
            });
            if let Ok(mut slot) = watch.lock() {
                *slot = Some(SendWrapper::new((element, id)));
            }
        }
    });

    on_cleanup(move || {
        if let Some(watched) = watch.lock().ok().and_then(|mut slot| slot.take()) {
            let (element, watch_id) = watched.take();
            service::unwatch(&element, watch_id);
        }
        service::unsubscribe(id, key, visible.load(Ordering::Relaxed));
    });

    UsePhoto { key, view, seen }
}
