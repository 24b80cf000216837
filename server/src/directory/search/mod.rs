//! How a directory search runs: what the text means, then which database
//! answers it ([`sqlite`] with FTS5, [`postgres`] with pg_trgm), each with
//! indexes chosen so a 100,000-person directory answers in milliseconds
//! (docs/performance.md, "100,000 people").
//!
//! The meaning is the same on both: 3 or more characters are found anywhere
//! in the name, title or email; 1-2 letters or digits are the start of a
//! word of the name or title ("Li" finds Lina and Ana Li, not William); any
//! other short text matches nobody. Case and diacritics are ignored: "zoe"
//! finds "Zoë". Results are in name order, then id.

mod postgres;
mod sqlite;

use super::{Search, SearchPage};
use crate::db::{Db, Dialect};

/// What the search text matches against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Text<'a> {
    /// No text: everyone (within the filters).
    Any,
    /// Text that cannot match anyone (1-2 characters that are not a word).
    Nobody,
    /// 3+ characters, anywhere in name, title or email.
    Substring(&'a str),
    /// 1-2 letters or digits, the start of a word of the name or title.
    WordPrefix(&'a str),
}

/// What `text` asks for.
pub(crate) fn text_query(text: Option<&str>) -> Text<'_> {
    let Some(text) = text else {
        return Text::Any;
    };
    if text.chars().count() >= 3 {
        Text::Substring(text)
    } else if text.chars().all(char::is_alphanumeric) {
        Text::WordPrefix(text)
    } else {
        // Words are letters and digits, so "%" or "a." would turn into
        // "everyone" or "a"; no word is punctuation.
        Text::Nobody
    }
}

/// Searches active people, sorted by name then id.
pub async fn search(
    db: &Db,
    search: Search<'_>,
    limit: u32,
    offset: u64,
) -> sqlx::Result<SearchPage> {
    let text = text_query(search.text);
    if text == Text::Nobody {
        return Ok(SearchPage {
            people: Vec::new(),
            total: 0,
        });
    }
    match db.dialect() {
        Dialect::Sqlite => sqlite::search(db, &search, &text, limit, offset).await,
        Dialect::Postgres => postgres::search(db, &search, &text, limit, offset).await,
    }
}

/// The page to read once `total` people match: how many rows, and whether
/// to read it from the end (past the middle the page is found in reverse
/// name order, so the last page costs what the first does), skipping how
/// many. `None` past the end.
fn page_window(total: u64, limit: u32, offset: u64) -> Option<Window> {
    if offset >= total {
        return None;
    }
    let rows = u64::from(limit).min(total - offset);
    let backwards = offset * 2 + rows > total;
    let skip = if backwards {
        total - offset - rows
    } else {
        offset
    };
    Some(Window {
        rows,
        backwards,
        skip,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    rows: u64,
    backwards: bool,
    skip: u64,
}

fn has_filters(search: &Search<'_>) -> bool {
    search.department.is_some() || search.location.is_some() || search.manager.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_characters_or_more_are_a_substring() {
        assert_eq!(text_query(Some("ada")), Text::Substring("ada"));
        assert_eq!(text_query(Some("a\" OR x*")), Text::Substring("a\" OR x*"));
        assert_eq!(text_query(Some("%_%")), Text::Substring("%_%"));
    }

    #[test]
    fn one_or_two_letters_are_a_word_prefix() {
        assert_eq!(text_query(Some("Li")), Text::WordPrefix("Li"));
        assert_eq!(text_query(Some("ë")), Text::WordPrefix("ë"));
        assert_eq!(text_query(Some("7")), Text::WordPrefix("7"));
    }

    #[test]
    fn short_punctuation_matches_nobody() {
        for text in ["%", "_", "\\", "a%", "\"", "*", ".", "a-"] {
            assert_eq!(text_query(Some(text)), Text::Nobody, "{text:?}");
        }
    }

    #[test]
    fn no_text_is_everyone() {
        assert_eq!(text_query(None), Text::Any);
    }

    #[test]
    fn pages_past_the_middle_are_read_from_the_end() {
        let forward = |rows, skip| {
            Some(Window {
                rows,
                backwards: false,
                skip,
            })
        };
        let backward = |rows, skip| {
            Some(Window {
                rows,
                backwards: true,
                skip,
            })
        };
        assert_eq!(page_window(100, 24, 0), forward(24, 0));
        assert_eq!(page_window(100, 24, 24), forward(24, 24));
        assert_eq!(page_window(100, 24, 48), backward(24, 28));
        // The last, short page: 4 rows, none skipped from the end.
        assert_eq!(page_window(100, 24, 96), backward(4, 0));
        assert_eq!(page_window(100, 24, 100), None);
        assert_eq!(page_window(0, 24, 0), None);
    }
}
