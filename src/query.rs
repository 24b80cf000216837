//! The directory's state in the address bar, and the API's query strings.
//!
//! Search text, filters and page live in the URL (`/?q=ada&department=R%26D&manager=7&page=2`)
//! so a view can be bookmarked, shared and restored with Back. Everything here
//! is pure so it is unit-tested natively.

use lanyard_wire::DirectoryQuery;

/// Cards per directory page: divisible by 2, 3, 4 and 6 columns, so full
/// rows at every breakpoint.
pub const PAGE_SIZE: u32 = 24;

/// The server refuses longer searches with 400; the SPA never sends one.
pub const MAX_SEARCH_CHARS: usize = lanyard_wire::MAX_TEXT_CHARS;

/// What the directory page shows, as read from (and written to) the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryFilters {
    /// Normalised search text (see [`normalize_search`]); empty = everyone.
    pub q: String,
    /// Empty = every department.
    pub department: String,
    /// Empty = every location.
    pub location: String,
    /// Only this person's direct reports ("Reports to …", "My team").
    pub manager: Option<i64>,
    /// 1-based.
    pub page: u32,
}

impl DirectoryFilters {
    /// Reads the filters from query parameters; anything malformed (a page of
    /// `0` or `abc`, an over-long search) falls back to a sane value instead
    /// of producing a 400 from the server.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let page = get("page")
            .and_then(|p| p.trim().parse::<u32>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1);
        Self {
            q: normalize_search(&get("q").unwrap_or_default()),
            department: get("department").unwrap_or_default(),
            location: get("location").unwrap_or_default(),
            manager: get("manager").and_then(|m| m.trim().parse::<i64>().ok()),
            page,
        }
    }

    /// The same filters with a new search; back to page 1.
    #[must_use]
    pub fn with_q(&self, q: &str) -> Self {
        Self {
            q: normalize_search(q),
            page: 1,
            ..self.clone()
        }
    }

    /// The same filters with another department; back to page 1.
    #[must_use]
    pub fn with_department(&self, department: &str) -> Self {
        Self {
            department: department.to_owned(),
            page: 1,
            ..self.clone()
        }
    }

    /// The same filters with another location; back to page 1.
    #[must_use]
    pub fn with_location(&self, location: &str) -> Self {
        Self {
            location: location.to_owned(),
            page: 1,
            ..self.clone()
        }
    }

    /// The same filters with another manager (or none); back to page 1.
    #[must_use]
    pub fn with_manager(&self, manager: Option<i64>) -> Self {
        Self {
            manager,
            page: 1,
            ..self.clone()
        }
    }

    /// The same filters on another page.
    #[must_use]
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// Whether anything narrows the directory.
    pub fn is_narrowed(&self) -> bool {
        !(self.q.is_empty()
            && self.department.is_empty()
            && self.location.is_empty()
            && self.manager.is_none())
    }

    /// The directory's address for these filters, e.g. `/?q=ada&page=2`;
    /// defaults are left out so the plain directory is just `/`.
    pub fn href(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        push_nonempty(&mut pairs, "q", &self.q);
        push_nonempty(&mut pairs, "department", &self.department);
        push_nonempty(&mut pairs, "location", &self.location);
        if let Some(manager) = self.manager {
            pairs.push(("manager", manager.to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        format!("/{}", to_query_string(&pairs))
    }

    /// The API query for these filters.
    pub fn to_api(&self) -> DirectoryQuery {
        let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        DirectoryQuery {
            q: nonempty(&self.q),
            department: nonempty(&self.department),
            location: nonempty(&self.location),
            page: Some(self.page),
            per_page: Some(PAGE_SIZE),
            manager: self.manager.map(lanyard_wire::EmployeeId),
        }
    }
}

/// `?q=…&department=…` for `GET /api/people` (empty string when no field is set).
pub fn api_query_string(query: &DirectoryQuery) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(q) = &query.q {
        push_nonempty(&mut pairs, "q", q);
    }
    if let Some(d) = &query.department {
        push_nonempty(&mut pairs, "department", d);
    }
    if let Some(l) = &query.location {
        push_nonempty(&mut pairs, "location", l);
    }
    if let Some(m) = query.manager {
        pairs.push(("manager", m.to_string()));
    }
    if let Some(p) = query.page {
        pairs.push(("page", p.to_string()));
    }
    if let Some(p) = query.per_page {
        pairs.push(("per_page", p.to_string()));
    }
    to_query_string(&pairs)
}

/// Trims, collapses inner whitespace and caps the length of search text, so
/// "ada " and "ada" are the same search and never trigger a second request.
pub fn normalize_search(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().take(MAX_SEARCH_CHARS).collect()
}

/// The debounce policy's last step: after the typing pauses, the URL (and so
/// the request) changes only if the normalised text differs from the search
/// being shown. Returns the new search, or `None` to do nothing.
pub fn search_update(current_q: &str, typed: &str) -> Option<String> {
    let typed = normalize_search(typed);
    (typed != current_q).then_some(typed)
}

/// Where to go after signing in: the `next` parameter if it is a path on
/// this site, else the directory. A full URL or `//host` would turn the
/// sign-in page into an open redirect.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.starts_with("/sign-in") =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// `/sign-in?next=<path>` for a visitor who must sign in first.
pub fn sign_in_href(next: &str) -> String {
    if safe_next(Some(next)) == "/" {
        "/sign-in".to_owned()
    } else {
        format!("/sign-in{}", to_query_string(&[("next", next.to_owned())]))
    }
}

/// The link that starts single sign-on: the provider's `start` address
/// with `return_to` (the path to land on once signed in, already checked
/// by [`safe_next`]; the server checks it again). A `start` that already
/// has a query gets one more parameter rather than a second `?`.
pub fn sso_start_href(start: &str, return_to: &str) -> String {
    let separator = if start.contains('?') { '&' } else { '?' };
    format!(
        "{start}{separator}return_to={}",
        encode_component(return_to)
    )
}

/// Percent-encodes a query component: everything but RFC 3986's unreserved
/// characters, so `&`, `=`, `+`, `#` and spaces inside values stay values.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char);
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn push_nonempty<'a>(pairs: &mut Vec<(&'a str, String)>, key: &'a str, value: &str) {
    if !value.is_empty() {
        pairs.push((key, value.to_owned()));
    }
}

fn to_query_string(pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let joined = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect::<Vec<_>>()
        .join("&");
    format!("?{joined}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn filters(pairs: &[(&str, &str)]) -> DirectoryFilters {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        DirectoryFilters::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn the_plain_directory_is_just_a_slash() {
        assert_eq!(filters(&[]).href(), "/");
        assert_eq!(filters(&[]).page, 1);
    }

    #[test]
    fn values_with_reserved_characters_round_trip_through_the_href() {
        let f = filters(&[]).with_department("R&D").with_q("ada lovelace");
        assert_eq!(f.href(), "/?q=ada%20lovelace&department=R%26D");
    }

    #[test]
    fn malformed_pages_fall_back_to_the_first() {
        assert_eq!(filters(&[("page", "0")]).page, 1);
        assert_eq!(filters(&[("page", "abc")]).page, 1);
        assert_eq!(filters(&[("page", "-3")]).page, 1);
        assert_eq!(filters(&[("page", "3")]).page, 3);
    }

    #[test]
    fn changing_a_filter_goes_back_to_page_one() {
        let f = filters(&[("page", "4")]);
        assert_eq!(f.with_q("x").page, 1);
        assert_eq!(f.with_department("Sales").page, 1);
        assert_eq!(f.with_location("Oslo").page, 1);
        assert_eq!(f.with_page(5).href(), "/?page=5");
    }

    #[test]
    fn the_manager_filter_is_kept_in_the_url_and_sent() {
        let f = filters(&[("manager", "7"), ("page", "3")]);
        assert_eq!(f.manager, Some(7));
        assert!(f.is_narrowed());
        assert_eq!(f.href(), "/?manager=7&page=3");
        assert_eq!(f.with_manager(Some(9)).href(), "/?manager=9");
        assert_eq!(f.with_manager(None).href(), "/");
        assert_eq!(
            api_query_string(&f.to_api()),
            format!("?manager=7&page=3&per_page={PAGE_SIZE}")
        );
        // Not a number: no filter, rather than a 400 from the server.
        assert_eq!(filters(&[("manager", "ada")]).manager, None);
    }

    #[test]
    fn api_query_names_every_set_field() {
        let f = filters(&[("q", "eng"), ("location", "São Paulo"), ("page", "2")]);
        assert_eq!(
            api_query_string(&f.to_api()),
            format!("?q=eng&location=S%C3%A3o%20Paulo&page=2&per_page={PAGE_SIZE}")
        );
        assert_eq!(api_query_string(&DirectoryQuery::default()), "");
    }

    #[test]
    fn search_text_is_normalised_and_capped() {
        assert_eq!(normalize_search("  ada   lovelace "), "ada lovelace");
        assert_eq!(normalize_search(&"x".repeat(500)).len(), MAX_SEARCH_CHARS);
        let long = filters(&[("q", &"é".repeat(300))]);
        assert_eq!(long.q.chars().count(), MAX_SEARCH_CHARS);
    }

    #[test]
    fn debounced_search_only_navigates_when_the_search_changes() {
        assert_eq!(search_update("ada", "ada "), None);
        assert_eq!(search_update("ada", " ada"), None);
        assert_eq!(search_update("ada", "adam"), Some("adam".into()));
        assert_eq!(search_update("ada", "   "), Some(String::new()));
        assert_eq!(search_update("", ""), None);
    }

    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(safe_next(Some("/people/4")), "/people/4");
        assert_eq!(safe_next(Some("/?q=a")), "/?q=a");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/sign-in")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn single_sign_on_carries_where_to_return_encoded() {
        assert_eq!(
            sso_start_href("/api/sso/start", "/"),
            "/api/sso/start?return_to=%2F"
        );
        assert_eq!(
            sso_start_href("/api/sso/start", "/?q=ada lovelace&department=R&D"),
            "/api/sso/start?return_to=%2F%3Fq%3Dada%20lovelace%26department%3DR%26D"
        );
        assert_eq!(
            sso_start_href("/api/sso/start?prompt=login", "/people/7"),
            "/api/sso/start?prompt=login&return_to=%2Fpeople%2F7"
        );
    }

    #[test]
    fn sign_in_href_carries_where_to_return() {
        assert_eq!(sign_in_href("/"), "/sign-in");
        assert_eq!(sign_in_href("/people/7"), "/sign-in?next=%2Fpeople%2F7");
    }
}
