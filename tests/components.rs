//! Browser tests for the SPA's components, in headless Chromium:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  CHROMEDRIVER=/usr/bin/chromedriver cargo test -p lanyard --target wasm32-unknown-unknown`
//! (the runner reads `webdriver.json` at the repository root for Chromium's flags).
#![cfg(target_arch = "wasm32")]

use lanyard::components::avatar::{Avatar, AvatarSize};
use lanyard::components::error_panel::ErrorPanel;
use lanyard::components::pager::Pager;
use lanyard::components::person_card::PersonCard;
use lanyard::components::photo_cropper::PhotoCropper;
use lanyard::hooks::use_debounce::use_debounce;
use lanyard::query::DirectoryFilters;
use lanyard::upload::crop::Crop;
use lanyard_wire::{EmployeeId, PersonSummary, PhotoUrl, Timestamp};
use leptos::prelude::*;
use leptos::task::tick;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlImageElement, HtmlInputElement};

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

/// Like [`mount`], but the div covers the viewport (fixed, scrolling on its
/// own), so what it shows is on screen however long the runner's own output
/// above it grows. Photos load only once on screen; remove it when done.
fn mount_on_screen<F, N>(view: F) -> HtmlElement
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    let host = mount(view);
    host.set_attribute(
        "style",
        "position: fixed; inset: 0; overflow: auto; background: #fff; z-index: 10",
    )
    .unwrap();
    host
}

fn by_testid(root: &HtmlElement, id: &str) -> Option<Element> {
    root.query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
}

fn photo(url: &str) -> PhotoUrl {
    PhotoUrl {
        url: url.into(),
        signed_at: Timestamp::from_millis(4_102_444_000_000),
        expires_at: Timestamp::from_millis(4_102_444_800_000),
    }
}

/// A valid 1×1 GIF as a data: URL, so the test needs no store.
const GIF: &str = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==";

/// Polls `check` every 20 ms for up to `seconds`.
async fn eventually(seconds: u32, mut check: impl FnMut() -> bool) -> bool {
    for _ in 0..seconds * 50 {
        if check() {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    check()
}

fn photo_state(host: &HtmlElement) -> Option<String> {
    by_testid(host, "avatar")?.get_attribute("data-photo")
}

/// In the browser, initials are upper-cased by the JS engine (keeping Rust's
/// Unicode case tables out of the bundle): it must map like Rust does.
#[wasm_bindgen_test]
fn initials_upper_case_unicode_in_the_browser() {
    use lanyard::components::avatar::initials;
    assert_eq!(initials("élodie durand"), "ÉD");
    assert_eq!(initials("ada lovelace"), "AL");
    assert_eq!(initials("ßara öz"), "SSÖ");
    assert_eq!(initials(""), "?");
}

#[wasm_bindgen_test]
async fn avatar_without_a_photo_shows_initials() {
    let host = mount(|| view! { <Avatar name="Ada Lovelace" person=EmployeeId(1) photo=None /> });
    tick().await;

    let placeholder = by_testid(&host, "avatar-initials").expect("an initials placeholder");
    assert_eq!(placeholder.text_content().unwrap(), "AL");
    assert_eq!(placeholder.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        placeholder.get_attribute("aria-label").as_deref(),
        Some("Ada Lovelace")
    );
    let frame = by_testid(&host, "avatar").unwrap();
    let style = frame.get_attribute("style").unwrap_or_default();
    // Set through the CSSOM (`style:` — the CSP forbids style attributes),
    // which Chromium reads back as rgb().
    assert!(
        style.contains("background-color: rgb("),
        "colour in {style:?}"
    );
    assert_eq!(frame.get_attribute("data-photo").as_deref(), Some("none"));
    assert!(
        by_testid(&host, "avatar-img").is_none(),
        "no <img> without a photo"
    );
}

#[wasm_bindgen_test]
async fn avatar_on_screen_loads_its_photo_with_alt_text_and_no_referrer() {
    let host = mount_on_screen(|| {
        view! {
            <Avatar name="Grace Hopper" person=EmployeeId(2) photo=Some(photo(GIF)) size=AvatarSize::Large />
        }
    });

    assert!(
        eventually(5, || photo_state(&host).as_deref() == Some("loaded")).await,
        "state {:?}",
        photo_state(&host)
    );
    let img: HtmlImageElement = by_testid(&host, "avatar-img")
        .expect("an <img>")
        .unchecked_into();
    assert_eq!(img.alt(), "Photo of Grace Hopper");
    assert_eq!(
        img.get_attribute("referrerpolicy").as_deref(),
        Some("no-referrer")
    );
    assert_eq!(img.width(), AvatarSize::Large.pixels());
    assert_eq!(img.height(), AvatarSize::Large.pixels());
    assert!(img.src().starts_with("data:image/gif"));
    assert!(img.natural_width() > 0);
    assert!(
        by_testid(&host, "avatar-initials").is_none(),
        "the photo replaced the initials"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn avatar_off_screen_downloads_nothing_until_scrolled_to() {
    let host = mount_on_screen(|| {
        view! {
            <div style="height: 5000px"></div>
            <Avatar name="Hedy Lamarr" person=EmployeeId(3) photo=Some(photo(GIF)) />
        }
    });
    tick().await;
    gloo_timers::future::TimeoutFuture::new(300).await;

    assert_eq!(photo_state(&host).as_deref(), Some("waiting"));
    assert!(
        by_testid(&host, "avatar-img").is_none(),
        "no <img> off screen"
    );

    by_testid(&host, "avatar").unwrap().scroll_into_view();
    assert!(
        eventually(5, || photo_state(&host).as_deref() == Some("loaded")).await,
        "state {:?}",
        photo_state(&host)
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn avatar_that_keeps_failing_gives_up_to_initials_with_a_retry_control() {
    // Not an image, and far from expiry: the healer retries with backoff
    // (its refresh requests fail here: the test server has no API), then
    // gives up within the policy's 7.5 s.
    let broken = photo("data:image/png;base64,bm90IGFuIGltYWdl");
    let host = mount_on_screen(
        move || view! { <Avatar name="Alan Turing" person=EmployeeId(4) photo=Some(broken) /> },
    );

    assert!(
        eventually(20, || photo_state(&host).as_deref() == Some("failed")).await,
        "state {:?}",
        photo_state(&host)
    );
    let frame = by_testid(&host, "avatar").unwrap();
    assert_eq!(
        frame.get_attribute("data-photo-error").as_deref(),
        Some("true")
    );
    let placeholder = by_testid(&host, "avatar-initials").expect("initials after the error");
    assert_eq!(placeholder.text_content().unwrap(), "AT");
    assert!(by_testid(&host, "avatar-img").is_none());
    let retry = by_testid(&host, "photo-retry").expect("a retry control");
    assert_eq!(retry.tag_name(), "BUTTON");
    assert_eq!(
        retry.get_attribute("aria-label").as_deref(),
        Some("Try loading the photo of Alan Turing again")
    );

    // Retrying is one more attempt: it fails the same way and gives up again.
    retry.unchecked_into::<HtmlElement>().click();
    tick().await;
    assert_ne!(photo_state(&host).as_deref(), Some("failed"));
    assert!(eventually(10, || photo_state(&host).as_deref() == Some("failed")).await);
    host.remove();
}

#[wasm_bindgen_test]
async fn person_card_links_to_the_profile() {
    let person = PersonSummary {
        id: EmployeeId(42),
        name: "Katherine Johnson".into(),
        title: "Research Mathematician".into(),
        department: "Flight Research".into(),
        location: "Hampton".into(),
        time_zone: Some("America/New_York".into()),
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
    // The location's local time, as "HH:MM local time" in some form.
    let time = by_testid(&host, "local-time")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(time.ends_with(" local time"), "{time}");
    assert_eq!(
        by_testid(&host, "avatar-initials")
            .unwrap()
            .text_content()
            .unwrap(),
        "KJ"
    );
}

#[wasm_bindgen_test]
async fn pager_marks_the_current_page_and_links_its_neighbours() {
    let filters = DirectoryFilters::default().with_q("ada").with_page(2);
    // 100 people at 24 a page: pages 1 to 5.
    let host = mount(move || view! { <Pager filters total=100 /> });
    tick().await;

    let pager = by_testid(&host, "pager").expect("a pager");
    let current = pager
        .query_selector("[aria-current='page']")
        .unwrap()
        .expect("the current page is marked");
    assert_eq!(current.text_content().unwrap(), "2");
    let href = |selector: &str| {
        pager
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
            .get_attribute("href")
    };
    assert_eq!(href(":scope > a:first-child").as_deref(), Some("/?q=ada"));
    assert_eq!(
        href(":scope > a:last-child").as_deref(),
        Some("/?q=ada&page=3")
    );
    assert!(pager
        .query_selector("a[href='/?q=ada&page=5']")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
async fn pager_is_absent_when_everything_fits_one_page() {
    let host = mount(|| view! { <Pager filters=DirectoryFilters::default() total=24 /> });
    tick().await;
    assert!(by_testid(&host, "pager").is_none());
}

#[wasm_bindgen_test]
async fn error_panel_is_an_alert_whose_button_retries() {
    let (retries, set_retries) = signal(0);
    let host = mount(move || {
        view! {
            <ErrorPanel
                message="Lanyard can't be reached right now."
                on_retry=Callback::new(move |()| set_retries.update(|n| *n += 1))
            />
        }
    });
    tick().await;

    let panel = by_testid(&host, "error").expect("an error panel");
    assert_eq!(panel.get_attribute("role").as_deref(), Some("alert"));
    assert!(panel
        .text_content()
        .unwrap()
        .contains("Lanyard can't be reached right now."));
    let button: HtmlElement = panel
        .query_selector("button")
        .unwrap()
        .expect("a retry button")
        .unchecked_into();
    button.click();
    button.click();
    assert_eq!(retries.get_untracked(), 2);
}

#[wasm_bindgen_test]
async fn debounce_settles_once_after_the_changes_stop() {
    let source = RwSignal::new(String::new());
    let host = mount(move || {
        let settled: Signal<String> = use_debounce(source, Duration::from_millis(60));
        view! { <output data-testid="settled">{settled}</output> }
    });
    let settled = || by_testid(&host, "settled").unwrap().text_content().unwrap();
    tick().await;

    for text in ["a", "ad", "ada"] {
        source.set(text.to_owned());
        tick().await;
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    assert_eq!(settled(), "", "still typing: nothing settles");

    gloo_timers::future::TimeoutFuture::new(150).await;
    assert_eq!(settled(), "ada", "the last value settles");
}

/// A 400×200 image as a data: URL, so the cropper test needs no file.
const WIDE_SVG: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='400' height='200'%3E%3Crect width='400' height='200' fill='%232f5fd0'/%3E%3C/svg%3E";

fn key_down(target: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn cropper_moves_with_the_arrow_keys_and_zooms_with_the_slider() {
    let crop = RwSignal::new(Crop::new(400, 200, 100));
    let host = mount(move || view! { <PhotoCropper src=WIDE_SVG crop /> });
    tick().await;
    let cropper = by_testid(&host, "cropper").expect("the cropper");
    let shown = || cropper.get_attribute("data-crop").unwrap_or_default();
    assert_eq!(shown(), "100,0,200", "the centred square at first");

    // No stylesheet here: give the window its size (1 CSS px = 1 image px).
    let viewport: HtmlElement = host
        .query_selector(".cropper__viewport")
        .unwrap()
        .expect("the crop window")
        .unchecked_into();
    viewport
        .set_attribute("style", "display: block; width: 200px; height: 200px")
        .unwrap();
    assert_eq!(
        viewport.get_attribute("tabindex").as_deref(),
        Some("0"),
        "keyboard reachable"
    );

    // The photo moves the way the arrow points, so the crop moves the other way.
    key_down(&viewport, "ArrowRight");
    tick().await;
    assert_eq!(shown(), "90,0,200");
    key_down(&viewport, "ArrowLeft");
    key_down(&viewport, "ArrowLeft");
    tick().await;
    assert_eq!(shown(), "110,0,200");

    // The slider works in percent, up to the zoom that keeps 100 px.
    let slider: HtmlInputElement = by_testid(&host, "crop-zoom").unwrap().unchecked_into();
    assert_eq!(slider.max(), "200");
    slider.set_value("200");
    let input = web_sys::Event::new("input").unwrap();
    slider.dispatch_event(&input).unwrap();
    tick().await;
    assert_eq!(shown(), "160,50,100", "zoomed around the crop's centre");
    assert_eq!(crop.get_untracked().rect().side, 100);

    // `-` zooms back out a step.
    key_down(&viewport, "-");
    tick().await;
    assert_eq!(crop.get_untracked().zoom_percent(), 190);
}
