//! Small text formatting rules shared by the pages.

/// `1234567` → `"1,234,567"`: counts in the directory can reach 100,000.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 person", "12 people".
pub fn people_count(n: u64) -> String {
    if n == 1 {
        "1 person".into()
    } else {
        format!("{} people", thousands(n))
    }
}

/// A `tel:` link for a phone number as people write it: keeps digits and a
/// leading `+`, drops spaces, dashes and brackets.
pub fn tel_href(phone: &str) -> String {
    let mut out = String::from("tel:");
    for (i, c) in phone.trim().chars().enumerate() {
        if c.is_ascii_digit() || (c == '+' && i == 0) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn people_count_is_singular_for_one() {
        assert_eq!(people_count(0), "0 people");
        assert_eq!(people_count(1), "1 person");
        assert_eq!(people_count(320), "320 people");
    }

    #[test]
    fn tel_href_keeps_only_dialable_characters() {
        assert_eq!(tel_href("+1 (555) 010-4477"), "tel:+15550104477");
        assert_eq!(tel_href(" 020 7946 0958 "), "tel:02079460958");
        assert_eq!(tel_href("555+1"), "tel:5551");
    }
}
