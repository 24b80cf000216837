//! Browser tests for the SPA's components, in headless Chromium:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  CHROMEDRIVER=/usr/bin/chromedriver cargo test -p lanyard --target wasm32-unknown-unknown`
//! (the runner reads `webdriver.json` at the repository root for Chromium's flags).
#![cfg(target_arch = "wasm32")]

use lanyard::components::avatar::{Avatar, AvatarSize};
use lanyard::components::person_card::PersonCard;
use lanyard_wire::{EmployeeId, PersonSummary, PhotoUrl, Timestamp};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlImageElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `view` into a fresh `<div>` of its own so tests don't see each
/// other's DOM, and returns that div.
fn mount<F, N>(view: F) -> HtmlElement
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    let doc = document();
    let host: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), view).forget();
    host
}

fn by_testid(root: &HtmlElement, id: &str) -> Option<Element> {
    root.query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
}

fn photo() -> PhotoUrl {
    // A data: URL so the test needs no server; it is a valid 1×1 GIF.
    PhotoUrl {
        url: "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==".into(),
        expires_at: Timestamp::from_millis(4_102_444_800_000),
    }
}

#[wasm_bindgen_test]
async fn avatar_without_a_photo_shows_initials() {
    let host = mount(|| view! { <Avatar name="Ada Lovelace" photo=None /> });
    tick().await;

    let placeholder = by_testid(&host, "avatar-initials").expect("an initials placeholder");
    assert_eq!(placeholder.text_content().unwrap(), "AL");
    assert_eq!(placeholder.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        placeholder.get_attribute("aria-label").as_deref(),
        Some("Ada Lovelace")
    );
    let style = placeholder.get_attribute("style").unwrap_or_default();
    assert!(style.contains("background-color: #"), "colour in {style:?}");
    assert!(
        by_testid(&host, "avatar-img").is_none(),
        "no <img> without a photo"
    );
}

#[wasm_bindgen_test]
async fn avatar_with_a_photo_renders_a_lazy_img_with_alt_text() {
    let host = mount(
        || view! { <Avatar name="Grace Hopper" photo=Some(photo()) size=AvatarSize::Large /> },
    );
    tick().await;

    let img: HtmlImageElement = by_testid(&host, "avatar-img")
        .expect("an <img>")
        .unchecked_into();
    assert_eq!(img.get_attribute("loading").as_deref(), Some("lazy"));
    assert_eq!(img.alt(), "Photo of Grace Hopper");
    assert_eq!(
        img.get_attribute("referrerpolicy").as_deref(),
        Some("no-referrer")
    );
    assert_eq!(img.get_attribute("decoding").as_deref(), Some("async"));
    assert_eq!(img.width(), AvatarSize::Large.pixels());
    assert_eq!(img.height(), AvatarSize::Large.pixels());
    assert!(img.src().starts_with("data:image/gif"));
    assert!(by_testid(&host, "avatar-initials").is_none());
}

#[wasm_bindgen_test]
async fn avatar_falls_back_to_initials_when_the_photo_fails() {
    let broken = PhotoUrl {
        url: "data:image/png;base64,bm90IGFuIGltYWdl".into(),
        expires_at: Timestamp::from_millis(0),
    };
    let host = mount(move || view! { <Avatar name="Alan Turing" photo=Some(broken) /> });
    let img: HtmlImageElement = by_testid(&host, "avatar-img")
        .expect("an <img> first")
        .unchecked_into();
    // A lazy image inside the viewport still loads; wait for its error.
    img.set_attribute("loading", "eager").unwrap();
    for _ in 0..50 {
        if by_testid(&host, "avatar-initials").is_some() {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    let placeholder = by_testid(&host, "avatar-initials").expect("initials after the error");
    assert_eq!(placeholder.text_content().unwrap(), "AT");
    assert_eq!(
        placeholder.get_attribute("data-photo-error").as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
async fn person_card_links_to_the_profile() {
    let person = PersonSummary {
        id: EmployeeId(42),
        name: "Katherine Johnson".into(),
        title: "Research Mathematician".into(),
        department: "Flight Research".into(),
        location: "Hampton".into(),
        photo: None,
    };
    let host = mount(move || view! { <ul><PersonCard person /></ul> });
    tick().await;

    let card = by_testid(&host, "person-card").expect("a card");
    let link = card.query_selector("a").unwrap().expect("a link");
    assert_eq!(link.get_attribute("href").as_deref(), Some("/people/42"));
    assert_eq!(
        by_testid(&host, "person-name")
            .unwrap()
            .text_content()
            .unwrap(),
        "Katherine Johnson"
    );
    assert_eq!(
        by_testid(&host, "person-department")
            .unwrap()
            .text_content()
            .unwrap(),
        "Flight Research"
    );
    assert_eq!(
        by_testid(&host, "avatar-initials")
            .unwrap()
            .text_content()
            .unwrap(),
        "KJ"
    );
}
