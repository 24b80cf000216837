//! Every route the API serves is in its OpenAPI document. Routes are
//! registered with their operation (utoipa-axum's `routes!`), so the
//! document is read off the router; a route added any other way (a plain
//! `.route(…)`) would be served undocumented, and escape the tests that
//! walk the document (the authorization matrix, schemathesis). This guard
//! closes that gap: a matched route that is not in the document answers
//! 500 and logs why, so such a route fails every test that reaches it and
//! never serves anyone.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeSet;
use std::sync::Arc;

/// An operation: (method, path) as the document writes them, e.g.
/// `("GET", "/api/people/{id}")`.
pub type Operation = (String, String);

/// Whether a path item has an operation for one method.
type HasMethod = fn(&utoipa::openapi::PathItem) -> bool;

const METHODS: [(&str, HasMethod); 5] = [
    ("GET", |item| item.get.is_some()),
    ("POST", |item| item.post.is_some()),
    ("PUT", |item| item.put.is_some()),
    ("DELETE", |item| item.delete.is_some()),
    ("PATCH", |item| item.patch.is_some()),
];

/// Every operation `document` describes.
pub fn operations(document: &utoipa::openapi::OpenApi) -> BTreeSet<Operation> {
    let mut found = BTreeSet::new();
    for (path, item) in &document.paths.paths {
        for (method, has) in METHODS {
            if has(item) {
                found.insert((method.to_owned(), path.clone()));
            }
        }
    }
    found
}

/// Middleware (a route layer, so it sees matched routes only): 500 for a
/// route the document does not describe.
pub async fn refuse_undocumented(
    State(documented): State<Arc<BTreeSet<Operation>>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    // HEAD is answered by the GET route.
    let method = match request.method() {
        &Method::HEAD => Method::GET,
        other => other.clone(),
    };
    if documented.contains(&(method.as_str().to_owned(), path.clone())) {
        return next.run(request).await;
    }
    tracing::error!(%method, path, "a route missing from the OpenAPI document was refused");
    (StatusCode::INTERNAL_SERVER_ERROR, "undocumented route").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt as _;
    use utoipa_axum::router::OpenApiRouter;
    use utoipa_axum::routes;

    #[utoipa::path(get, path = "/documented", responses((status = 200)))]
    async fn documented() -> &'static str {
        "ok"
    }

    async fn status(router: &Router, method: Method, path: &str) -> StatusCode {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap();
        router.clone().oneshot(request).await.unwrap().status()
    }

    #[tokio::test]
    async fn a_route_added_without_its_operation_is_refused() {
        // Arrange: one route through `routes!`, one through a plain `.route`.
        let (router, document) = OpenApiRouter::new()
            .routes(routes!(documented))
            .route("/sneaky", get(|| async { "served" }))
            .split_for_parts();
        let operations = Arc::new(operations(&document));
        let router = router.route_layer(axum::middleware::from_fn_with_state(
            operations,
            refuse_undocumented,
        ));

        // Act and assert
        assert_eq!(
            status(&router, Method::GET, "/documented").await,
            StatusCode::OK
        );
        assert_eq!(
            status(&router, Method::HEAD, "/documented").await,
            StatusCode::OK
        );
        assert_eq!(
            status(&router, Method::GET, "/sneaky").await,
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            status(&router, Method::GET, "/nowhere").await,
            StatusCode::NOT_FOUND
        );
    }
}
