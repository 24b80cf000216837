//! Arrow keys through the directory's results: ↓ from the search box to
//! the first card, ←/→ to the previous and next card, ↑/↓ to the card above
//! and below (the grid's column count is read from the layout), Home/End
//! to the first and last, ↑ from the first row back to the search box.
//! Enter follows the focused card's link, as any link does. Tab still walks
//! every card: the keys are a shortcut, not the only way.
//!
//! [`target`] is the whole rule, pure and tested natively; the rest finds
//! the cards in the page and moves the focus.

use wasm_bindgen::JsCast as _;

/// Where a key sends the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The card at this index, in reading order.
    Card(usize),
    /// Back to the search box.
    Search,
}

/// Where `key` moves the focus from card `at` (or from the search box when
/// `None`) among `count` cards laid out `columns` to a row. `None`: the key
/// is not ours, or there is nowhere to go (the browser keeps it).
pub fn target(key: &str, at: Option<usize>, count: usize, columns: usize) -> Option<Target> {
    if count == 0 {
        return None;
    }
    let last = count - 1;
    let columns = columns.max(1);
    let Some(at) = at else {
        return (key == "ArrowDown").then_some(Target::Card(0));
    };
    match key {
        "ArrowRight" => (at < last).then(|| Target::Card(at + 1)),
        "ArrowLeft" => (at > 0).then(|| Target::Card(at - 1)),
        "ArrowDown" if at + columns <= last => Some(Target::Card(at + columns)),
        // Below is the short last row's empty end: its last card.
        "ArrowDown" if at / columns < last / columns => Some(Target::Card(last)),
        "ArrowUp" if at >= columns => Some(Target::Card(at - columns)),
        "ArrowUp" => Some(Target::Search),
        "Home" => Some(Target::Card(0)),
        "End" => Some(Target::Card(last)),
        _ => None,
    }
}

/// The result cards' links in reading order.
const CARD_LINKS: &str = "[data-testid=people-grid] .person-card__link";

fn cards() -> Vec<web_sys::HtmlElement> {
    let Some(list) = document().and_then(|d| d.query_selector_all(CARD_LINKS).ok()) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Cards in the first row: those as high as the first.
fn columns(cards: &[web_sys::HtmlElement]) -> usize {
    let Some(top) = cards.first().map(|c| c.offset_top()) else {
        return 1;
    };
    cards.iter().take_while(|c| c.offset_top() == top).count()
}

/// Moves the focus for `key` from the focused card or, with `from_search`,
/// from the search box. Returns whether it moved (the caller then prevents
/// the key's default: scrolling, or the caret moving in the box).
pub fn follow(key: &str, from_search: bool) -> bool {
    let cards = cards();
    let at = if from_search {
        None
    } else {
        let active = document().and_then(|d| d.active_element());
        let Some(index) = active.and_then(|a| cards.iter().position(|c| **c == a)) else {
            return false;
        };
        Some(index)
    };
    match target(key, at, cards.len(), columns(&cards)) {
        Some(Target::Card(i)) => cards[i].focus().is_ok(),
        Some(Target::Search) => document()
            .and_then(|d| d.query_selector("[data-testid=search]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .is_some_and(|search| search.focus().is_ok()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{target, Target::*};

    #[test]
    fn down_from_the_search_box_reaches_the_first_card() {
        assert_eq!(target("ArrowDown", None, 10, 4), Some(Card(0)));
        assert_eq!(target("ArrowDown", None, 0, 4), None);
        assert_eq!(target("ArrowUp", None, 10, 4), None);
        assert_eq!(target("Enter", None, 10, 4), None);
    }

    #[test]
    fn left_and_right_walk_in_reading_order_and_stop_at_the_ends() {
        assert_eq!(target("ArrowRight", Some(3), 10, 4), Some(Card(4)));
        assert_eq!(target("ArrowLeft", Some(4), 10, 4), Some(Card(3)));
        assert_eq!(target("ArrowRight", Some(9), 10, 4), None);
        assert_eq!(target("ArrowLeft", Some(0), 10, 4), None);
    }

    #[test]
    fn up_and_down_keep_the_column() {
        // Rows of 4: 0-3, 4-7, 8-9.
        assert_eq!(target("ArrowDown", Some(1), 10, 4), Some(Card(5)));
        assert_eq!(target("ArrowDown", Some(5), 10, 4), Some(Card(9)));
        assert_eq!(target("ArrowUp", Some(9), 10, 4), Some(Card(5)));
        assert_eq!(target("ArrowUp", Some(5), 10, 4), Some(Card(1)));
    }

    #[test]
    fn down_into_a_short_last_row_lands_on_its_last_card() {
        assert_eq!(target("ArrowDown", Some(7), 10, 4), Some(Card(9)));
        // Already on the last row: nowhere further down.
        assert_eq!(target("ArrowDown", Some(8), 10, 4), None);
        assert_eq!(target("ArrowDown", Some(9), 10, 4), None);
    }

    #[test]
    fn up_from_the_first_row_returns_to_the_search_box() {
        assert_eq!(target("ArrowUp", Some(2), 10, 4), Some(Search));
        assert_eq!(target("ArrowUp", Some(0), 1, 1), Some(Search));
    }

    #[test]
    fn home_and_end_and_a_single_column() {
        assert_eq!(target("Home", Some(7), 10, 4), Some(Card(0)));
        assert_eq!(target("End", Some(2), 10, 4), Some(Card(9)));
        assert_eq!(target("ArrowDown", Some(2), 5, 1), Some(Card(3)));
        assert_eq!(target("ArrowUp", Some(2), 5, 0), Some(Card(1)));
        assert_eq!(target("Tab", Some(2), 5, 1), None);
    }
}
