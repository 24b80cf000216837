//! The routes the API serves, read off the router itself: every route is
//! registered together with its OpenAPI operation (`api_document`,
//! src/routes/mod.rs), and one added any other way is refused at run time
//! (src/routes/documented.rs). Shared by the OpenAPI test (every route
//! documented as expected) and the authorization matrix's completeness check.

use std::collections::BTreeSet;

/// (method, path) as `("GET", "/api/people/{}")`: placeholders unnamed.
pub type Route = (String, String);

/// `path` with every `{name}` as `{}` and no query string.
pub fn normalize(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    let mut out = String::new();
    let mut in_brace = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_brace = true;
                out.push_str("{}");
            }
            '}' => in_brace = false,
            _ if !in_brace => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every (method, path) the API serves.
pub fn served_routes() -> BTreeSet<Route> {
    let document = lanyard_server::routes::api_document();
    lanyard_server::routes::operations(&document)
        .into_iter()
        .map(|(method, path)| (method, normalize(&path)))
        .collect()
}

#[test]
fn the_routes_are_read_off_the_router() {
    let routes = served_routes();
    for (method, path) in [
        ("GET", "/api/health"),
        ("POST", "/api/session"),
        ("DELETE", "/api/session"),
        ("GET", "/api/people/{}"),
        ("DELETE", "/api/me/photo/uploads/{}"),
        ("POST", "/api/hr/import"),
    ] {
        assert!(
            routes.contains(&(method.to_owned(), path.to_owned())),
            "{method} {path} in {routes:?}"
        );
    }
    assert_eq!(normalize("/api/people/{id}?x=1"), "/api/people/{}");
}
