//! Browser tests for the SPA's history router (`lanyard::nav`): which link
//! clicks it takes over, what the address bar and its signals say after a
//! navigation, and Back. Run like `tests/components.rs`.
#![cfg(target_arch = "wasm32")]

use lanyard::nav::{How, Nav};
use lanyard_wire::Entry;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen_test::*;
use web_sys::{Element, MouseEvent, MouseEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// Clicks `target` the way a person would (a trusted click cannot be made,
/// so a bubbling, cancelable `click`), with Ctrl held if `ctrl`. Answers
/// whether the router took the click over (it cancels the ones it takes);
/// the page itself never leaves, whatever the answer.
fn click(target: &Element, ctrl: bool) -> bool {
    let handled = Rc::new(Cell::new(None));
    // Registered after the router's listener, so it runs after it.
    let seen = handled.clone();
    let check = window_event_listener(leptos::ev::click, move |ev| {
        seen.set(Some(ev.default_prevented()));
        ev.prevent_default();
    });
    let init = MouseEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_ctrl_key(ctrl);
    let event = MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    target.dispatch_event(&event).unwrap();
    check.remove();
    handled.get().expect("the click reached the window")
}

fn address() -> String {
    let location = window().location();
    location.pathname().unwrap() + &location.search().unwrap()
}

async fn eventually(mut check: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if check() {
            return true;
        }
        gloo_timers::future::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[wasm_bindgen_test]
async fn the_router_takes_plain_links_into_its_bundle_and_nothing_else() {
    let start = address();
    let owner = Owner::new();
    let nav = owner.with(|| Nav::provide(Entry::Directory));
    let host = document().create_element("div").unwrap();
    host.set_inner_html(
        r#"<a id="plain" href="/people/7?q=ada+lovelace&amp;department=R%26D">x</a>
           <a id="nested" href="/people/12"><span id="inner">x</span></a>
           <a id="other-bundle" href="/hr/reviews">x</a>
           <a id="external" href="/people/8" rel="nofollow external">x</a>
           <a id="new-tab" href="/people/9" target="_blank">x</a>
           <a id="download" href="/people/10" download>x</a>
           <a id="other-origin" href="https://example.com/people/11">x</a>
           <a id="no-href">x</a>"#,
    );
    document().body().unwrap().append_child(&host).unwrap();
    let by_id = |id: &str| document().get_element_by_id(id).unwrap();

    assert!(click(&by_id("plain"), false), "a plain link is taken over");
    assert_eq!(address(), "/people/7?q=ada+lovelace&department=R%26D");
    assert_eq!(nav.path_untracked(), "/people/7");
    // Decoded as the browser decodes forms: `+` is a space, `%26` an `&`.
    assert_eq!(nav.query_untracked("q").as_deref(), Some("ada lovelace"));
    assert_eq!(nav.query_untracked("department").as_deref(), Some("R&D"));
    assert_eq!(nav.query_untracked("page"), None);

    assert!(
        click(&by_id("inner"), false),
        "a click inside a link counts"
    );
    assert_eq!(nav.path_untracked(), "/people/12");
    assert_eq!(nav.search_untracked(), "");

    for id in [
        "other-bundle",
        "external",
        "new-tab",
        "download",
        "other-origin",
        "no-href",
    ] {
        assert!(!click(&by_id(id), false), "{id} is the browser's");
    }
    assert!(!click(&by_id("plain"), true), "Ctrl+click is the browser's");
    assert_eq!(address(), "/people/12", "nothing moved the address");

    // Back and Forward come through `popstate`.
    nav.navigate("/?page=2", How::PushKeepScroll);
    assert_eq!(nav.path_untracked(), "/");
    assert_eq!(nav.query_untracked("page").as_deref(), Some("2"));
    window().history().unwrap().back().unwrap();
    assert!(eventually(|| nav.path_untracked() == "/people/12").await);
    assert_eq!(nav.query_untracked("page"), None);

    // Replacing keeps the history's length.
    let length = window().history().unwrap().length().unwrap();
    nav.navigate("/people/13", How::Replace);
    assert_eq!(address(), "/people/13");
    assert_eq!(window().history().unwrap().length().unwrap(), length);

    host.remove();
    nav.navigate(&start, How::Replace);
}
