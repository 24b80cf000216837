//! A person's local time: the clock in their location's IANA time zone,
//! formatted by the browser (`Intl.DateTimeFormat`), whose time zone rules
//! are the platform's own and stay current with it; daylight-saving changes
//! are its to get right, and the browser tests pin them with fixed instants
//! (tests/local_time.rs). The instant is the server-corrected clock
//! ([`crate::clock`]), so a wrong clock on the viewer's computer does not
//! move anyone's local time.
//!
//! One shared ticker per app ([`LocalClock`], every 15 s) updates every
//! card's time together.

use js_sys::{Date, Intl, Object, Reflect};
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Intl.DateTimeFormat(locales, options)`: throws a `RangeError` for a
    /// time zone the browser does not know, which `catch` turns into `Err`
    /// (js-sys's binding would abort the app).
    #[wasm_bindgen(catch, js_namespace = Intl, js_name = DateTimeFormat)]
    fn date_time_format(
        locales: &JsValue,
        options: &Object,
    ) -> Result<Intl::DateTimeFormat, JsValue>;
}

/// A formatter of hours and minutes in `zone` (the browser's default time
/// zone for `None`), in `locale` (the browser's for `None`), with the
/// weekday when `weekday`.
fn formatter(
    locale: Option<&str>,
    zone: Option<&str>,
    weekday: bool,
) -> Option<Intl::DateTimeFormat> {
    let options = Object::new();
    let set = |key: &str, value: &str| {
        _ = Reflect::set(&options, &key.into(), &value.into());
    };
    set("hour", "2-digit");
    set("minute", "2-digit");
    if weekday {
        set("weekday", "short");
    }
    if let Some(zone) = zone {
        set("timeZone", zone);
    }
    let locales = locale.map_or(JsValue::UNDEFINED, JsValue::from);
    date_time_format(&locales, &options).ok()
}

fn format_with(formatter: &Intl::DateTimeFormat, instant_ms: f64) -> Option<String> {
    formatter
        .format()
        .call1(&JsValue::NULL, &Date::new(&instant_ms.into()))
        .ok()?
        .as_string()
}

/// The time at `instant_ms` in `zone`, as `locale` writes it: "14:05" in
/// en-GB. With `weekday`, "Tue 14:05". `None` for a zone the browser does
/// not know.
pub fn clock_time_in(
    locale: Option<&str>,
    zone: &str,
    instant_ms: f64,
    weekday: bool,
) -> Option<String> {
    format_with(&formatter(locale, Some(zone), weekday)?, instant_ms)
}

/// A formatter made once: its zone (`""`: the browser's), whether it shows
/// the weekday, and the formatter (`None`: a zone the browser does not know).
type Made = (String, bool, Option<Intl::DateTimeFormat>);

thread_local! {
    /// Formatters made so far: a page of 48 cards asks for the same few
    /// zones every tick. A list, not a map: a handful of entries, and a
    /// map's code for this type would cost the bundle more than it saves.
    static FORMATTERS: RefCell<Vec<Made>> = const { RefCell::new(Vec::new()) };
}

fn cached(zone: Option<&str>, weekday: bool, instant_ms: f64) -> Option<String> {
    FORMATTERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let name = zone.unwrap_or_default();
        let at = match cache
            .iter()
            .position(|(z, w, _)| z == name && *w == weekday)
        {
            Some(at) => at,
            None => {
                cache.push((name.to_owned(), weekday, formatter(None, zone, weekday)));
                cache.len() - 1
            }
        };
        format_with(cache[at].2.as_ref()?, instant_ms)
    })
}

/// The local time in `zone` at `instant_ms` for the viewer: "14:05", with
/// the weekday when it is another day there than here ("Tue 09:05").
pub fn local_time(zone: &str, instant_ms: f64) -> Option<String> {
    let day = |zone| {
        cached(zone, true, instant_ms).map(|t| t.split_whitespace().next().map(str::to_owned))
    };
    let there = day(Some(zone))?;
    let same_day = there == day(None).flatten();
    cached(Some(zone), !same_day, instant_ms)
}

/// The page's clock for local times: the server-corrected time, updated on
/// 15 seconds (a minute's change shows within that). Provided once per app.
#[derive(Debug, Clone, Copy)]
pub struct LocalClock(ReadSignal<f64>);

impl LocalClock {
    pub fn provide() {
        let (now, set_now) = signal(server_now());
        // The app lives as long as the page: the interval does too.
        _ = set_interval_with_handle(
            move || set_now.set(server_now()),
            std::time::Duration::from_secs(15),
        );
        provide_context(Self(now));
    }

    /// The clock (tracked); the browser's own time outside an app.
    pub fn now() -> f64 {
        use_context::<Self>().map_or_else(server_now, |clock| clock.0.get())
    }
}

fn server_now() -> f64 {
    crate::clock::server_now().0 as f64
}

/// "14:05 local time in Singapore", kept current.
#[component]
pub fn LocalTime(
    zone: String,
    location: String,
    /// "14:05 local time", for a card, which shows the location beside it.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let text = move || {
        let time = local_time(&zone, LocalClock::now())?;
        Some(if compact {
            format!("{time} local time")
        } else {
            format!("{time} local time in {location}")
        })
    };
    view! {
        <span class="local-time" data-testid="local-time">{text}</span>
    }
}
