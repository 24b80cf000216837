//! The keys of a tree view, as WAI-ARIA's tree pattern (APG, "Tree View")
//! gives them: ↑/↓ to the previous and next visible item, → opens a closed
//! branch or moves into an open one, ← closes an open branch or moves to
//! the parent, Home/End to the first and last visible item, Enter follows
//! the item's link. One item is in the Tab order at a time (roving
//! `tabindex`), so Tab leaves the tree instead of walking every person.
//!
//! [`action`] is the whole rule, pure and tested natively; the rest reads
//! the items off the page (`role="treeitem"` with `aria-level` and, for a
//! branch, `aria-expanded`) and acts.

use wasm_bindgen::JsCast as _;
use web_sys::{Element, HtmlElement};

/// What the tree knows of one visible item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// `aria-level`: 1 at the top.
    pub level: u32,
    /// `Some(open)` for a branch, `None` for a leaf.
    pub expanded: Option<bool>,
}

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Focus(usize),
    /// Opens (true) or closes (false) the branch at this index.
    Toggle(usize),
    /// Follows the item's link.
    Open(usize),
}

/// What `key` does on item `at` of the visible `items` (document order).
/// `None`: not a tree key, or nowhere to go.
pub fn action(key: &str, at: usize, items: &[Item]) -> Option<Action> {
    let item = items.get(at)?;
    let last = items.len() - 1;
    match key {
        "ArrowDown" => (at < last).then(|| Action::Focus(at + 1)),
        "ArrowUp" => (at > 0).then(|| Action::Focus(at - 1)),
        "Home" => (at > 0).then_some(Action::Focus(0)),
        "End" => (at < last).then_some(Action::Focus(last)),
        "Enter" => Some(Action::Open(at)),
        "ArrowRight" => match item.expanded {
            Some(false) => Some(Action::Toggle(at)),
            // Into an open branch: its first child, when it has one shown.
            Some(true) => items
                .get(at + 1)
                .filter(|next| next.level > item.level)
                .map(|_| Action::Focus(at + 1)),
            None => None,
        },
        "ArrowLeft" => match item.expanded {
            Some(true) => Some(Action::Toggle(at)),
            _ => items[..at]
                .iter()
                .rposition(|above| above.level < item.level)
                .map(Action::Focus),
        },
        _ => None,
    }
}

/// The tree's visible items: those not inside a closed branch's group.
fn visible(tree: &Element) -> Vec<HtmlElement> {
    let Ok(list) = tree.query_selector_all("[role=treeitem]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .filter(|item| matches!(item.closest("[role=group][hidden]"), Ok(None)))
        .collect()
}

fn describe(item: &Element) -> Item {
    Item {
        level: item
            .get_attribute("aria-level")
            .and_then(|l| l.parse().ok())
            .unwrap_or(1),
        expanded: item.get_attribute("aria-expanded").map(|e| e == "true"),
    }
}

/// Puts `item` alone in the Tab order and focuses it.
pub fn focus(tree: &Element, item: &HtmlElement) {
    if let Ok(Some(previous)) = tree.query_selector("[role=treeitem][tabindex='0']") {
        _ = previous.set_attribute("tabindex", "-1");
    }
    _ = item.set_attribute("tabindex", "0");
    _ = item.focus();
}

/// Acts on `key` pressed on the focused item of `tree`. Returns whether it
/// did (the caller then prevents the key's default: scrolling).
pub fn follow(tree: &Element, key: &str) -> bool {
    let items = visible(tree);
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let Some(at) = active.and_then(|a| items.iter().position(|i| **i == a)) else {
        return false;
    };
    let described: Vec<Item> = items.iter().map(|i| describe(i)).collect();
    let Some(action) = action(key, at, &described) else {
        return false;
    };
    let child = |index: usize, selector: &str| {
        items[index]
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    };
    match action {
        Action::Focus(index) => focus(tree, &items[index]),
        // The item's own toggle and link: its first, not a child's.
        Action::Toggle(index) => {
            if let Some(toggle) = child(index, ":scope > .org-node__row [data-toggle]") {
                toggle.click();
            }
        }
        Action::Open(index) => {
            if let Some(link) = child(index, ":scope > .org-node__row a") {
                link.click();
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::{action, Action::*, Item};

    fn item(level: u32, expanded: Option<bool>) -> Item {
        Item { level, expanded }
    }

    /// CEO (open) > head (open) > [person (closed), colleague (leaf)].
    fn chart() -> Vec<Item> {
        vec![
            item(1, Some(true)),
            item(2, Some(true)),
            item(3, Some(false)),
            item(3, None),
        ]
    }

    #[test]
    fn up_and_down_walk_the_visible_items_and_stop_at_the_ends() {
        let items = chart();
        assert_eq!(action("ArrowDown", 0, &items), Some(Focus(1)));
        assert_eq!(action("ArrowDown", 3, &items), None);
        assert_eq!(action("ArrowUp", 2, &items), Some(Focus(1)));
        assert_eq!(action("ArrowUp", 0, &items), None);
    }

    #[test]
    fn home_and_end_reach_the_first_and_last() {
        let items = chart();
        assert_eq!(action("Home", 3, &items), Some(Focus(0)));
        assert_eq!(action("End", 0, &items), Some(Focus(3)));
        assert_eq!(action("Home", 0, &items), None);
        assert_eq!(action("End", 3, &items), None);
    }

    #[test]
    fn right_opens_a_closed_branch_then_moves_into_it() {
        let items = chart();
        assert_eq!(action("ArrowRight", 2, &items), Some(Toggle(2)));
        assert_eq!(action("ArrowRight", 1, &items), Some(Focus(2)));
        // A leaf, and an open branch whose reports are still loading.
        assert_eq!(action("ArrowRight", 3, &items), None);
        let loading = [item(1, Some(true))];
        assert_eq!(action("ArrowRight", 0, &loading), None);
    }

    #[test]
    fn left_closes_an_open_branch_or_moves_to_the_parent() {
        let items = chart();
        assert_eq!(action("ArrowLeft", 1, &items), Some(Toggle(1)));
        assert_eq!(action("ArrowLeft", 3, &items), Some(Focus(1)));
        assert_eq!(action("ArrowLeft", 2, &items), Some(Focus(1)));
        // The top has no parent.
        let top = [item(1, Some(false))];
        assert_eq!(action("ArrowLeft", 0, &top), None);
    }

    #[test]
    fn enter_follows_the_link_and_other_keys_are_left_alone() {
        let items = chart();
        assert_eq!(action("Enter", 2, &items), Some(Open(2)));
        assert_eq!(action("Tab", 2, &items), None);
        assert_eq!(action("a", 2, &items), None);
        assert_eq!(action("ArrowDown", 9, &items), None);
    }
}
