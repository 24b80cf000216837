//! The one text rule, for both sides: what Lanyard accepts as a name,
//! title, department, location, phone, email, search text or filter value.
//! At most [`MAX_TEXT_CHARS`] characters (no one's is longer; a longer one
//! is a pasted paragraph or an attack) and no control characters (a newline
//! breaks every list and CSV export that shows it; a NUL ends SQLite's LIKE
//! pattern early, so `q=%00` would match everybody).

/// The longest text accepted, in characters (not bytes).
pub const MAX_TEXT_CHARS: usize = 200;

/// What is wrong with a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    TooLong,
    ControlCharacters,
}

impl TextProblem {
    /// The end of a sentence that starts with the text's name: "The search
    /// text" + " is longer than 200 characters."
    pub fn describe(self) -> String {
        match self {
            Self::TooLong => format!("is longer than {MAX_TEXT_CHARS} characters."),
            Self::ControlCharacters => "contains control characters.".to_owned(),
        }
    }
}

/// Checks `value` against the rule (callers trim first where they trim).
pub fn check_text(value: &str) -> Result<(), TextProblem> {
    if value.chars().count() > MAX_TEXT_CHARS {
        return Err(TextProblem::TooLong);
    }
    if value.chars().any(char::is_control) {
        return Err(TextProblem::ControlCharacters);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_counts_characters_and_refuses_control_characters() {
        assert_eq!(check_text(&"é".repeat(MAX_TEXT_CHARS)), Ok(()));
        assert_eq!(
            check_text(&"x".repeat(MAX_TEXT_CHARS + 1)),
            Err(TextProblem::TooLong)
        );
        for bad in ["a\0b", "a\nb", "\u{7}", "tab\there", "\u{85}"] {
            assert_eq!(
                check_text(bad),
                Err(TextProblem::ControlCharacters),
                "{bad:?}"
            );
        }
        assert_eq!(check_text("Zoë O'Neil-Smith, Jr. 🦀"), Ok(()));
        assert_eq!(
            TextProblem::TooLong.describe(),
            "is longer than 200 characters."
        );
    }
}
