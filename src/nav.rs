//! The SPA's history router: the current path and query as signals,
//! [`Nav::navigate`] (`pushState` / `replaceState`), Back and Forward
//! (`popstate`), and link clicks inside the bundle without a page load.
//!
//! Hand-written instead of `leptos_router` for a measured reason: a Leptos
//! app is 34 KiB gzip without it and 90 KiB with it and a single route, and
//! every route adds ~6 KB of generated matching code (docs/performance.md,
//! "SPA size"); that is a fifth of each bundle's 250 KiB budget. Lanyard
//! uses none of what it pays for (nested and async routes, params, forms):
//! each bundle has a handful of fixed paths that a `match` picks
//! (`crate::apps`). What is left is small and leans on the browser:
//! `URLSearchParams` reads queries, `URL` resolves links, and the click
//! filter is the one `leptos_router` (and every SPA router) applies — only
//! a plain, same-origin, same-tab, unmodified primary click on a link into
//! this bundle is handled here; everything else is the browser's. The
//! browser tests (`tests/nav.rs`) and the Playwright suite pin it.

use lanyard_wire::Entry;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, MouseEvent, Url, UrlSearchParams};

/// The address bar, as signals. `Copy`; provided by each app.
#[derive(Debug, Clone, Copy)]
pub struct Nav {
    /// The bundle this app is: paths of the others are left to the browser.
    entry: Entry,
    path: RwSignal<String>,
    /// With its leading `?`, or empty.
    search: RwSignal<String>,
}

/// How [`Nav::navigate`] changes the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// A new history entry, scrolled to the top (a link, a saved form).
    Push,
    /// A new entry that keeps the scroll position (the directory's filters).
    PushKeepScroll,
    /// Replaces the current entry (typing into a search, redirects).
    Replace,
}

impl Nav {
    /// Reads the address bar, provides the router as context and follows
    /// Back/Forward and link clicks for the rest of the page's life. Once
    /// per app, before anything that navigates.
    pub fn provide(entry: Entry) -> Self {
        let nav = Self {
            entry,
            path: RwSignal::new(String::new()),
            search: RwSignal::new(String::new()),
        };
        nav.sync();
        provide_context(nav);
        // The app lives as long as the page, and so do these listeners
        // (their handles remove them only when asked).
        _ = window_event_listener(ev::popstate, move |_| nav.sync());
        _ = window_event_listener(ev::click, move |ev| nav.on_click(&ev));
        nav
    }

    /// The router from context. Panics outside an app (a bug).
    pub fn expect() -> Self {
        expect_context()
    }

    /// The current path (tracked).
    pub fn path(&self) -> String {
        self.path.get()
    }

    pub fn path_untracked(&self) -> String {
        self.path.get_untracked()
    }

    /// The current query string with its `?`, or empty (untracked).
    pub fn search_untracked(&self) -> String {
        self.search.get_untracked()
    }

    /// The query parameter `key`, decoded as browsers decode forms (tracked).
    pub fn query(&self, key: &str) -> Option<String> {
        self.search.with(|search| query_param(search, key))
    }

    pub fn query_untracked(&self, key: &str) -> Option<String> {
        self.search
            .with_untracked(|search| query_param(search, key))
    }

    /// Goes to `href` (a path with an optional query). A path another
    /// bundle answers is a page load, so that bundle starts.
    pub fn navigate(&self, href: &str, how: How) {
        let location = window().location();
        if self.leaves(href_path(href)) {
            let left = match how {
                How::Replace => location.replace(href),
                How::Push | How::PushKeepScroll => location.assign(href),
            };
            if let Err(err) = left {
                leptos::logging::warn!("could not open {href}: {err:?}");
            }
            return;
        }
        let Ok(history) = window().history() else {
            return;
        };
        let changed = match how {
            How::Replace => history.replace_state_with_url(&JsValue::NULL, "", Some(href)),
            How::Push | How::PushKeepScroll => {
                history.push_state_with_url(&JsValue::NULL, "", Some(href))
            }
        };
        if let Err(err) = changed {
            leptos::logging::warn!("could not go to {href}: {err:?}");
            return;
        }
        if how == How::Push {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
        self.sync();
    }

    /// Copies the address bar into the signals (only what changed, so a
    /// query change does not re-render what depends on the path alone).
    fn sync(&self) {
        let location = window().location();
        let path = location.pathname().unwrap_or_default();
        let search = location.search().unwrap_or_default();
        if self.path.with_untracked(|p| *p != path) {
            self.path.set(path);
        }
        if self.search.with_untracked(|s| *s != search) {
            self.search.set(search);
        }
    }

    /// Whether `path` belongs to another bundle.
    pub fn leaves(&self, path: &str) -> bool {
        Entry::for_path(path) != self.entry
    }

    fn on_click(&self, ev: &MouseEvent) {
        if let Some(href) = handled_link(ev).filter(|href| !self.leaves(href_path(href))) {
            ev.prevent_default();
            self.navigate(&href, How::Push);
        }
    }
}

/// The path and query to navigate to when `ev` is a click this router
/// may handle: a primary click without modifier keys, not cancelled, on a
/// link (`<a href>`, or inside one) to this origin, opening in this tab and
/// not a download or `rel="external"`. (Whether the path is this bundle's
/// is the caller's question.)
fn handled_link(ev: &MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return None;
    }
    let link = ev
        .target()?
        .dyn_into::<Element>()
        .ok()?
        .closest("a[href]")
        .ok()??;
    let opens_elsewhere = link
        .get_attribute("target")
        .is_some_and(|t| !t.is_empty() && t != "_self");
    let external = link
        .get_attribute("rel")
        .is_some_and(|rel| rel.split_ascii_whitespace().any(|r| r == "external"));
    if opens_elsewhere || external || link.has_attribute("download") {
        return None;
    }
    let location = window().location();
    let url = Url::new_with_base(&link.get_attribute("href")?, &location.href().ok()?).ok()?;
    if url.origin() != location.origin().ok()? {
        return None;
    }
    // A link to a fragment of this very page is the browser's to scroll.
    if !url.hash().is_empty() && url.pathname() == location.pathname().ok()? {
        return None;
    }
    Some(format!("{}{}", url.pathname(), url.search()))
}

/// `href`'s path: what comes before its query or fragment.
pub fn href_path(href: &str) -> &str {
    href.split(['?', '#']).next().unwrap_or(href)
}

/// Whether a link to `href` is where `path` is: the same path, or a page
/// under it (`/hr/people` for `/hr/people/7`), for `aria-current`.
pub fn is_current(path: &str, href: &str) -> bool {
    let href = href_path(href).trim_end_matches('/');
    let path = path.trim_end_matches('/');
    path == href
        || (!href.is_empty() && path.starts_with(href) && path[href.len()..].starts_with('/'))
}

fn query_param(search: &str, key: &str) -> Option<String> {
    UrlSearchParams::new_with_str(search).ok()?.get(key)
}

/// A link inside the bundle that says `aria-current="page"` while its page
/// (or one under it) is shown.
#[component]
pub fn NavLink(
    href: &'static str,
    class: &'static str,
    #[prop(optional)] testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let nav = Nav::expect();
    let current = move || is_current(&nav.path(), href).then_some("page");
    view! {
        <a href=href class=class data-testid=testid aria-current=current>
            {children()}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_current_on_its_page_and_below() {
        assert!(is_current("/hr/people", "/hr/people"));
        assert!(is_current("/hr/people/7", "/hr/people"));
        assert!(is_current("/hr/people/", "/hr/people?page=2"));
        assert!(!is_current("/hr/peoples", "/hr/people"));
        assert!(!is_current("/hr/reviews", "/hr/people"));
        assert!(is_current("/", "/"));
        assert!(!is_current("/people/1", "/"));
    }

    #[test]
    fn an_href_path_stops_at_its_query_or_fragment() {
        assert_eq!(href_path("/people/3?x=1#top"), "/people/3");
        assert_eq!(href_path("/sign-in#x"), "/sign-in");
        assert_eq!(href_path("/"), "/");
    }
}
