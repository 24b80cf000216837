//! The OpenAPI 3.1 description of `/api`: what every operation shares
//! (title, tags, the session cookie scheme, the error answers many
//! operations give). The operations themselves come from the routes: each
//! is registered with its `#[utoipa::path]` through utoipa-axum's
//! `OpenApiRouter` (`api_document` in the routes module), so the router and the
//! document are one list, served at `GET /api/openapi.json`.
//!
//! It describes, it grants nothing: every operation still checks its own
//! session and role.

use crate::auth::SESSION_COOKIE;
use lanyard_wire::ApiError;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{IntoResponses, Modify, OpenApi};

/// The name operations use in `security(...)` for the session cookie.
pub const SESSION_SCHEME: &str = "session";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lanyard",
        description = "Lanyard's employee directory API. Photos are reached only through \
            short-lived presigned URLs, which are credentials. Every failure answers an \
            `ApiError` body whose `code` is machine-readable.",
    ),
    // Query parameters' enums that no body names (not collected from the paths).
    components(schemas(lanyard_wire::PersonStatus, lanyard_wire::ApiError)),
    modifiers(&SessionCookie),
    tags(
        (name = "session", description = "Signing in and out, and who is signed in"),
        (name = "directory", description = "Search, profiles and filter values"),
        (name = "photos", description = "Presigned photo URLs and one's own photo"),
        (name = "hr", description = "HR's desk: reviews, people, import, audit log (role hr)"),
        (name = "meta", description = "Health and this document"),
    )
)]
struct ApiDoc;

/// The session cookie as the one security scheme.
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let cookie = ApiKeyValue::with_description(
            SESSION_COOKIE,
            "Set by `POST /api/session`; named `__Host-lanyard_session` when served over TLS.",
        );
        components.add_security_scheme(
            SESSION_SCHEME,
            SecurityScheme::ApiKey(ApiKey::Cookie(cookie)),
        );
    }
}

/// What every operation shares, without the operations: the routes add
/// them (`api_document` in the routes module).
pub fn base() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}

// Error answers shared by many operations. Each is an `ApiError` body.

/// 400: a bad query parameter, path segment or field.
#[derive(IntoResponses)]
#[response(
    status = 400,
    description = "The request is malformed; `message` says how"
)]
pub struct BadRequest(#[to_schema] pub ApiError);

/// 400 / 413 / 415: what any JSON body can be refused for.
#[derive(IntoResponses)]
pub enum JsonBodyErrors {
    #[response(
        status = 400,
        description = "Malformed JSON, a missing or mistyped field, or an invalid value"
    )]
    Malformed(#[to_schema] ApiError),
    #[response(status = 413, description = "The body is larger than the API accepts")]
    TooLarge(#[to_schema] ApiError),
    #[response(status = 415, description = "The body is not `application/json`")]
    NotJson(#[to_schema] ApiError),
}

/// 401: no session, or it has ended.
#[derive(IntoResponses)]
#[response(status = 401, description = "Not signed in, or the session has ended")]
pub struct Unauthenticated(#[to_schema] pub ApiError);

/// 401 / 403: the HR-only routes.
#[derive(IntoResponses)]
pub enum HrOnly {
    #[response(status = 401, description = "Not signed in, or the session has ended")]
    Unauthenticated(#[to_schema] ApiError),
    #[response(status = 403, description = "Signed in, but not as HR")]
    Forbidden(#[to_schema] ApiError),
}

/// 404: nothing with this id the caller may see.
#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Nothing with this id that the caller may see"
)]
pub struct NotFound(#[to_schema] pub ApiError);

/// 422: the request matches the document, but what it names cannot be
/// (a manager who is not in the directory, is inactive, or would close a
/// reporting loop): nothing a schema can state.
#[derive(IntoResponses)]
#[response(
    status = 422,
    description = "Well-formed, but the manager it names cannot be: unknown, deactivated, or a reporting loop"
)]
pub struct UnknownManager(#[to_schema] pub ApiError);

/// 409: the request does not fit the current state.
#[derive(IntoResponses)]
#[response(
    status = 409,
    description = "The request conflicts with the current state"
)]
pub struct Conflict(#[to_schema] pub ApiError);

/// 429: a rate limit; retry after the `Retry-After` header.
#[derive(IntoResponses)]
#[response(
    status = 429,
    description = "Too many requests; retry after `Retry-After` seconds",
    headers(("Retry-After" = u64, description = "Seconds to wait"))
)]
pub struct RateLimited(#[to_schema] pub ApiError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_openapi_3_1_with_the_session_scheme() {
        let json = serde_json::to_value(base()).unwrap();
        assert_eq!(json["openapi"], "3.1.0");
        let scheme = &json["components"]["securitySchemes"][SESSION_SCHEME];
        assert_eq!(scheme["in"], "cookie");
        assert_eq!(scheme["name"], SESSION_COOKIE);
        assert!(json["components"]["schemas"]["ApiError"].is_object());
    }
}
