//! Browser tests for local times (`lanyard::local_time`): the browser's
//! time zone rules, at fixed instants either side of daylight-saving
//! changes, north and south of the equator, and zones that have none. Run
//! like `tests/components.rs`. The instants are UTC milliseconds; the
//! expected local times are the IANA database's (checked with
//! `TZ=… date -d @…` on Debian's tzdata).
#![cfg(target_arch = "wasm32")]

use lanyard::local_time::{clock_time_in, LocalTime};
use leptos::prelude::*;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Milliseconds since the epoch of a UTC time.
fn utc(date: &str) -> f64 {
    js_sys::Date::parse(date)
}

fn at(zone: &str, date: &str) -> String {
    clock_time_in(Some("en-GB"), zone, utc(date), false).expect("a zone the browser knows")
}

#[wasm_bindgen_test]
fn london_springs_forward_at_one_in_the_morning_utc() {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST.
    assert_eq!(at("Europe/London", "2026-03-29T00:59:00Z"), "00:59");
    assert_eq!(at("Europe/London", "2026-03-29T01:00:00Z"), "02:00");
    // 25 October 2026: 02:00 BST falls back to 01:00 GMT.
    assert_eq!(at("Europe/London", "2026-10-25T00:59:00Z"), "01:59");
    assert_eq!(at("Europe/London", "2026-10-25T01:00:00Z"), "01:00");
}

#[wasm_bindgen_test]
fn new_york_changes_on_its_own_dates() {
    // 8 March 2026, 02:00 EST → 03:00 EDT (07:00 UTC); Europe has not moved yet.
    assert_eq!(at("America/New_York", "2026-03-08T06:59:00Z"), "01:59");
    assert_eq!(at("America/New_York", "2026-03-08T07:00:00Z"), "03:00");
    assert_eq!(at("Europe/Paris", "2026-03-08T07:00:00Z"), "08:00");
    // 1 November 2026, 02:00 EDT → 01:00 EST (06:00 UTC).
    assert_eq!(at("America/New_York", "2026-11-01T05:59:00Z"), "01:59");
    assert_eq!(at("America/New_York", "2026-11-01T06:00:00Z"), "01:00");
}

#[wasm_bindgen_test]
fn sydney_is_the_other_way_round() {
    // 5 April 2026, 03:00 AEDT → 02:00 AEST (16:00 UTC the day before).
    assert_eq!(at("Australia/Sydney", "2026-04-04T15:59:00Z"), "02:59");
    assert_eq!(at("Australia/Sydney", "2026-04-04T16:00:00Z"), "02:00");
    // 4 October 2026, 02:00 AEST → 03:00 AEDT (16:00 UTC the day before).
    assert_eq!(at("Australia/Sydney", "2026-10-03T15:59:00Z"), "01:59");
    assert_eq!(at("Australia/Sydney", "2026-10-03T16:00:00Z"), "03:00");
}

#[wasm_bindgen_test]
fn zones_without_daylight_saving_and_odd_offsets() {
    for date in ["2026-01-15T06:05:00Z", "2026-07-15T06:05:00Z"] {
        assert_eq!(at("Asia/Singapore", date), "14:05");
        assert_eq!(at("Asia/Kolkata", date), "11:35");
        assert_eq!(at("Asia/Kathmandu", date), "11:50");
        assert_eq!(at("UTC", date), "06:05");
    }
    // The old name the database keeps as a link.
    assert_eq!(at("Asia/Calcutta", "2026-01-15T06:05:00Z"), "11:35");
}

#[wasm_bindgen_test]
fn the_weekday_comes_when_asked_and_an_unknown_zone_is_none() {
    // Monday evening in London is Tuesday morning in Auckland (NZDT, +13).
    let monday_evening = utc("2026-12-07T20:00:00Z");
    let there = clock_time_in(Some("en-GB"), "Pacific/Auckland", monday_evening, true).unwrap();
    assert!(
        there.starts_with("Tue") && there.ends_with("09:00"),
        "{there}"
    );
    assert_eq!(
        clock_time_in(Some("en-GB"), "Mars/Olympus_Mons", monday_evening, false),
        None
    );
    assert_eq!(
        clock_time_in(Some("en-GB"), "", monday_evening, false),
        None
    );
}

#[wasm_bindgen_test]
fn the_component_says_where_and_shows_nothing_for_an_unknown_zone() {
    let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), || {
        view! {
            <p id="known"><LocalTime zone="Asia/Singapore".into() location="Singapore".into() /></p>
            <p id="unknown"><LocalTime zone="Mars/Olympus_Mons".into() location="Mars".into() /></p>
        }
    });
    let known = host
        .query_selector("#known")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(known.ends_with(" local time in Singapore"), "{known}");
    let unknown = host
        .query_selector("#unknown")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(unknown, "");
    drop(handle);
    host.remove();
}
