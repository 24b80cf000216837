//! The routes the API router serves, read from the route modules' source:
//! every `.route("…", get(…).post(…))` of every module that `api_router`
//! (src/routes/mod.rs) merges. axum cannot list a router's routes, and a
//! list kept by hand would miss exactly the route someone forgot. Shared by
//! the OpenAPI test (every route documented, nothing more) and the
//! authorization matrix's completeness check.

use std::collections::BTreeSet;
use std::path::PathBuf;

/// (method, path) as `("GET", "/api/people/{}")`: placeholders unnamed.
pub type Route = (String, String);

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

fn routes_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/routes")
}

/// `/api` + `path` with every `{name}` as `{}` and no query string.
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

/// The modules `api_router` merges: `.merge(name::router())`.
fn merged_modules() -> Vec<String> {
    let source = std::fs::read_to_string(routes_dir().join("mod.rs")).unwrap();
    let body = source
        .split("pub fn api_router(")
        .nth(1)
        .expect("routes/mod.rs has api_router");
    let body = body.split("\n}\n").next().unwrap();
    let modules: Vec<String> = body
        .split(".merge(")
        .skip(1)
        .filter_map(|rest| rest.split("::router()").next())
        .map(|name| name.trim().to_owned())
        .collect();
    assert!(modules.len() >= 5, "found the merged modules: {modules:?}");
    modules
}

/// Every (method, path) the API serves.
pub fn served_routes() -> BTreeSet<Route> {
    let mut routes = BTreeSet::new();
    for module in merged_modules() {
        let file = routes_dir().join(format!("{module}.rs"));
        let source = std::fs::read_to_string(&file).unwrap();
        // Comments may mention routes; code lines only.
        let code: String = source
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for call in code.split(".route(").skip(1) {
            let path = call.split('"').nth(1).expect("a route's path is a literal");
            let args = balanced(call);
            let mut found = false;
            for method in METHODS {
                if calls(args, method) {
                    routes.insert((method.to_uppercase(), normalize(&format!("/api{path}"))));
                    found = true;
                }
            }
            assert!(found, "no method found in {module}.rs .route({args})");
        }
    }
    routes
}

/// The text of a call's arguments, up to its closing parenthesis.
fn balanced(call: &str) -> &str {
    let mut depth = 1;
    for (i, c) in call.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &call[..i];
                }
            }
            _ => {}
        }
    }
    call
}

/// Whether `args` calls `method(` (maybe as `routing::method(`), not a
/// longer name such as `delete_photo(`.
fn calls(args: &str, method: &str) -> bool {
    let needle = format!("{method}(");
    args.match_indices(&needle).any(|(at, _)| {
        let before = args[..at].chars().next_back();
        !matches!(before, Some(c) if c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn the_route_reader_reads_routes() {
    let routes = served_routes();
    for (method, path) in [
        ("GET", "/api/health"),
        ("POST", "/api/session"),
        ("DELETE", "/api/session"),
        ("GET", "/api/people/{}"),
        ("DELETE", "/api/me/photo/uploads/{}"),
    ] {
        assert!(
            routes.contains(&(method.to_owned(), path.to_owned())),
            "{method} {path} in {routes:?}"
        );
    }
    assert_eq!(normalize("/api/people/{id}?x=1"), "/api/people/{}");
    assert!(calls("get(list).post(create)", "post"));
    assert!(!calls("delete_photo(x)", "delete"));
    assert!(calls("axum::routing::get(x)", "get"));
}
