//! `Pager`: numbered page links for the directory.
//!
//! Numbered pages (rather than infinite scroll) keep the page in the URL, so
//! Back returns to the same place and a link can be shared.

use crate::query::{DirectoryFilters, PAGE_SIZE};
use leptos::prelude::*;

/// One slot in the page list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageItem {
    Page(u32),
    /// "…": pages left out between two shown ones.
    Gap,
}

/// How many pages `total` results fill (at least one, so "page 1 of 1").
pub fn page_count(total: u64, per_page: u32) -> u32 {
    let per_page = u64::from(per_page.max(1));
    u32::try_from(total.div_ceil(per_page))
        .unwrap_or(u32::MAX)
        .max(1)
}

/// The first, the last, and the current page with a neighbour each side;
/// gaps of a single page are shown as that page since "…" would be no shorter.
pub fn page_items(current: u32, last: u32) -> Vec<PageItem> {
    let current = current.clamp(1, last.max(1));
    let mut wanted: Vec<u32> = vec![1, last, current.saturating_sub(1), current, current + 1];
    wanted.retain(|p| (1..=last).contains(p));
    wanted.sort_unstable();
    wanted.dedup();
    let mut items = Vec::new();
    let mut previous = 0;
    for page in wanted {
        if page == previous + 2 {
            items.push(PageItem::Page(previous + 1));
        } else if page > previous + 2 {
            items.push(PageItem::Gap);
        }
        items.push(PageItem::Page(page));
        previous = page;
    }
    items
}

/// Previous / numbered / Next links; nothing when everything fits one page.
#[component]
pub fn Pager(filters: DirectoryFilters, total: u64) -> impl IntoView {
    let last = page_count(total, PAGE_SIZE);
    if last <= 1 {
        return None;
    }
    let current = filters.page.min(last);
    let link = |page: u32, label: String, class: &'static str, aria: Option<&'static str>| {
        view! {
            <a class=class href=filters.with_page(page).href() aria-label=aria>
                {label}
            </a>
        }
    };
    let prev = (current > 1).then(|| link(current - 1, "← Previous".into(), "pager__step", None));
    let next = (current < last).then(|| link(current + 1, "Next →".into(), "pager__step", None));
    let numbers = page_items(current, last)
        .into_iter()
        .map(|item| match item {
            PageItem::Gap => view! { <span class="pager__gap">"…"</span> }.into_any(),
            PageItem::Page(p) if p == current => view! {
                <span class="pager__page pager__page--current" aria-current="page">
                    {p.to_string()}
                </span>
            }
            .into_any(),
            PageItem::Page(p) => link(p, p.to_string(), "pager__page", None).into_any(),
        })
        .collect_view();
    Some(view! {
        <nav class="pager" aria-label="Pages" data-testid="pager">
            {prev}
            <span class="pager__numbers">{numbers}</span>
            {next}
        </nav>
    })
}

#[cfg(test)]
mod tests {
    use super::PageItem::{Gap, Page};
    use super::*;

    #[test]
    fn page_count_rounds_up_and_is_never_zero() {
        assert_eq!(page_count(0, 24), 1);
        assert_eq!(page_count(24, 24), 1);
        assert_eq!(page_count(25, 24), 2);
        assert_eq!(page_count(100_000, 24), 4_167);
    }

    #[test]
    fn few_pages_are_all_shown() {
        assert_eq!(page_items(1, 1), vec![Page(1)]);
        assert_eq!(page_items(2, 4), vec![Page(1), Page(2), Page(3), Page(4)]);
    }

    #[test]
    fn many_pages_collapse_around_the_current_one() {
        assert_eq!(
            page_items(7, 14),
            vec![Page(1), Gap, Page(6), Page(7), Page(8), Gap, Page(14)]
        );
        assert_eq!(page_items(1, 14), vec![Page(1), Page(2), Gap, Page(14)]);
        assert_eq!(page_items(14, 14), vec![Page(1), Gap, Page(13), Page(14)]);
    }

    #[test]
    fn a_one_page_gap_shows_the_page() {
        assert_eq!(
            page_items(4, 14),
            vec![Page(1), Page(2), Page(3), Page(4), Page(5), Gap, Page(14)]
        );
    }

    #[test]
    fn out_of_range_pages_are_clamped() {
        assert_eq!(page_items(99, 3), vec![Page(1), Page(2), Page(3)]);
    }
}
