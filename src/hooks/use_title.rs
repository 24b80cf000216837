//! `use_title`: keeps the browser tab's title in step with the page.

use leptos::prelude::*;

/// Sets `document.title` to "`title` · Lanyard" whenever `title` changes
/// (just "Lanyard" while it is empty).
pub fn use_title(title: impl Fn() -> String + Send + Sync + 'static) {
    Effect::new(move |_| document().set_title(&tab_title(&title())));
}

/// The tab title for a page title.
pub fn tab_title(page: &str) -> String {
    if page.is_empty() {
        "Lanyard".into()
    } else {
        format!("{page} · Lanyard")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_product_name_comes_last() {
        assert_eq!(tab_title("Ada Lovelace"), "Ada Lovelace · Lanyard");
        assert_eq!(tab_title(""), "Lanyard");
    }
}
