//! Instants as HR reads and types them: the browser's local time.

use lanyard_wire::Timestamp;

/// "26/11/2026, 14:05:09" in the browser's time zone.
pub fn show_time(at: Timestamp) -> String {
    // Unix milliseconds fit an f64 exactly for the next 285,000 years.
    let date = js_sys::Date::new(&(at.as_millis() as f64).into());
    date.to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}

/// The local midnight starting `date` (`YYYY-MM-DD`, what `<input
/// type="date">` gives), or the one after it with `next_day`: a "to" date
/// includes its whole day. `None` for anything else (an empty field).
pub fn local_midnight(date: &str, next_day: bool) -> Option<Timestamp> {
    let (year, month, day) = parse_date(date)?;
    let day = day + i32::from(next_day);
    // JS months count from 0; day 32 rolls over into the next month.
    let date = js_sys::Date::new_with_year_month_day(year, month - 1, day);
    let ms = date.get_time();
    ms.is_finite().then(|| Timestamp::from_millis(ms as i64))
}

/// `YYYY-MM-DD` → (year, month 1–12, day 1–31).
pub fn parse_date(text: &str) -> Option<(u32, i32, i32)> {
    let mut parts = text.trim().splitn(3, '-');
    let year = parts.next()?.parse::<u32>().ok()?;
    let month = parts.next()?.parse::<i32>().ok()?;
    let day = parts.next()?.parse::<i32>().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day) && year >= 1970)
        .then_some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_come_from_the_date_input_format() {
        assert_eq!(parse_date("2026-11-26"), Some((2026, 11, 26)));
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("26/11/2026"), None);
    }
}
