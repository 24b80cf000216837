//! SCIM 2.0 provisioning (RFC 7643, RFC 7644) under `/scim/v2`: identity
//! providers (Okta, Microsoft Entra ID) create, update, deactivate and
//! delete people, so the directory stays current without anyone touching it.
//!
//! - [`tokens`]: bearer tokens (CLI-made, stored hashed) and the extractor
//!   every handler takes;
//! - [`user`]: a SCIM User and how attributes are written to it (pure);
//! - `values`: reading attribute values as providers send them (pure);
//! - [`query`]: filters, paging, attribute projection (pure);
//! - [`discovery`]: ServiceProviderConfig, ResourceTypes, Schemas;
//! - [`render`]: a person as a User resource;
//! - [`provision`]: each change as one transaction with HR's rules;
//! - [`store`]: the SQL;
//! - [`error`]: SCIM's error answer.
//!
//! Outside `/api`: no session, no CSRF check (providers are not browsers),
//! its own body limit and error shape.

pub mod discovery;
pub mod error;
pub mod provision;
pub mod query;
pub mod render;
pub mod store;
pub mod tokens;
pub mod user;
mod values;

use crate::auth::SignIn;
use crate::db::Db;
use crate::extract::Now;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRef, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use error::{scim_json, ScimError, ScimResult, ScimType};
use serde::Deserialize;
use serde_json::Value;
use tokens::ScimClient;
use user::ScimUser;

/// The largest SCIM body accepted: a user is about 1 KiB.
pub const SCIM_BODY_LIMIT: usize = 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ServiceProviderConfig", get(service_provider_config))
        .route("/ResourceTypes", get(resource_types))
        .route("/ResourceTypes/{id}", get(resource_type))
        .route("/Schemas", get(schemas))
        .route("/Schemas/{id}", get(schema))
        .route("/Users", get(list_users).post(create_user))
        .route("/Users/.search", post(search_users))
        // Searching every resource type (RFC 7644 §3.4.3): Users are all there is.
        .route("/.search", post(search_users))
        .route(
            "/Users/{id}",
            get(get_user)
                .put(replace_user)
                .patch(patch_user)
                .delete(delete_user),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(SCIM_BODY_LIMIT))
}

/// The SCIM base URL as providers reach it: the public URL + `/scim/v2`.
struct Base(String);

impl<S> FromRequestParts<S> for Base
where
    SignIn: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(_parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(format!(
            "{}/scim/v2",
            SignIn::from_ref(state).public_url
        )))
    }
}

async fn not_found(_client: ScimClient) -> ScimError {
    ScimError::not_found("No such SCIM endpoint: Lanyard serves /Users, /Schemas, /ResourceTypes and /ServiceProviderConfig.")
}

async fn method_not_allowed() -> ScimError {
    ScimError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        None,
        "This SCIM endpoint does not take that method.",
    )
}

async fn service_provider_config(_client: ScimClient, Base(base): Base) -> Response {
    scim_json(&discovery::service_provider_config(&base))
}

async fn resource_types(_client: ScimClient, Base(base): Base) -> Response {
    scim_json(&discovery::resource_types(&base))
}

async fn resource_type(
    _client: ScimClient,
    Base(base): Base,
    Path(id): Path<String>,
) -> ScimResult<Response> {
    if id == "User" {
        Ok(scim_json(&discovery::user_resource_type(&base)))
    } else {
        Err(ScimError::not_found(format!(
            "No resource type {id:?}: Lanyard has User."
        )))
    }
}

async fn schemas(_client: ScimClient, Base(base): Base) -> Response {
    scim_json(&discovery::schemas(&base))
}

async fn schema(
    _client: ScimClient,
    Base(base): Base,
    Path(id): Path<String>,
) -> ScimResult<Response> {
    discovery::schema(&base, &id)
        .map(|s| scim_json(&s))
        .ok_or_else(|| ScimError::not_found(format!("No schema {id:?}.")))
}

/// `GET /Users`' query string.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListParams {
    filter: Option<String>,
    start_index: Option<i64>,
    count: Option<i64>,
    attributes: Option<String>,
    excluded_attributes: Option<String>,
}

async fn list_users(
    _client: ScimClient,
    State(db): State<Db>,
    Base(base): Base,
    params: Result<Query<ListParams>, QueryRejection>,
) -> ScimResult<Response> {
    let Query(params) = params.map_err(|e| {
        ScimError::bad(
            ScimType::InvalidValue,
            format!("Bad query: {}", e.body_text()),
        )
    })?;
    list(&db, &base, params).await
}

/// `POST /Users/.search` (RFC 7644 §3.4.3): the query in a body.
async fn search_users(
    _client: ScimClient,
    State(db): State<Db>,
    Base(base): Base,
    body: Result<Bytes, BytesRejection>,
) -> ScimResult<Response> {
    let body = json_body(&body)?;
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
    let list_of = |key: &str| match body.get(key) {
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(","),
        ),
        _ => text(key),
    };
    let params = ListParams {
        filter: text("filter"),
        start_index: body.get("startIndex").and_then(Value::as_i64),
        count: body.get("count").and_then(Value::as_i64),
        attributes: list_of("attributes"),
        excluded_attributes: list_of("excludedAttributes"),
    };
    list(&db, &base, params).await
}

async fn list(db: &Db, base: &str, params: ListParams) -> ScimResult<Response> {
    let conditions = query::conditions(params.filter.as_deref())?;
    let (start, count) = query::paging(params.start_index, params.count);
    let (users, total) = store::list(db, &conditions, start, count).await?;
    let resources = users
        .iter()
        .map(|u| {
            let mut out = render::user(u, base);
            query::project(
                &mut out,
                params.attributes.as_deref(),
                params.excluded_attributes.as_deref(),
            );
            out
        })
        .collect();
    Ok(scim_json(&render::list(resources, total, start)))
}

/// Which attributes a single-resource answer returns.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Projection {
    attributes: Option<String>,
    excluded_attributes: Option<String>,
}

async fn get_user(
    _client: ScimClient,
    State(db): State<Db>,
    Base(base): Base,
    Path(id): Path<String>,
    projection: Result<Query<Projection>, QueryRejection>,
) -> ScimResult<Response> {
    let id = user_id(&id)?;
    let projection = projection.map(|q| q.0).unwrap_or_default();
    let stored = store::find(&db, id)
        .await?
        .ok_or_else(|| ScimError::not_found(format!("No user {id}.")))?;
    let mut out = render::user(&stored, &base);
    query::project(
        &mut out,
        projection.attributes.as_deref(),
        projection.excluded_attributes.as_deref(),
    );
    Ok(scim_json(&out))
}

async fn create_user(
    client: ScimClient,
    State(db): State<Db>,
    Base(base): Base,
    now: Now,
    body: Result<Bytes, BytesRejection>,
) -> ScimResult<Response> {
    let user = ScimUser::from_body(&json_body(&body)?)?;
    let id = provision::create(&db, &client.actor(), now.timestamp(), &user).await?;
    tracing::info!(token = %client.name, employee = id, "SCIM user provisioned");
    let mut response = answer(&db, &base, id).await?;
    *response.status_mut() = StatusCode::CREATED;
    if let Ok(location) = render::location(&base, id).parse() {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, location);
    }
    Ok(response)
}

async fn replace_user(
    client: ScimClient,
    State(db): State<Db>,
    Base(base): Base,
    now: Now,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ScimResult<Response> {
    let id = user_id(&id)?;
    let user = ScimUser::from_body(&json_body(&body)?)?;
    provision::replace(&db, &client.actor(), now.timestamp(), id, &user).await?;
    answer(&db, &base, id).await
}

async fn patch_user(
    client: ScimClient,
    State(db): State<Db>,
    Base(base): Base,
    now: Now,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ScimResult<Response> {
    let id = user_id(&id)?;
    let body = json_body(&body)?;
    provision::patch(&db, &client.actor(), now.timestamp(), id, &body).await?;
    answer(&db, &base, id).await
}

async fn delete_user(
    client: ScimClient,
    State(db): State<Db>,
    now: Now,
    Path(id): Path<String>,
) -> ScimResult<StatusCode> {
    let id = user_id(&id)?;
    provision::delete(&db, &client.actor(), now.timestamp(), id).await?;
    tracing::info!(token = %client.name, employee = id, "SCIM user deleted (deactivated)");
    Ok(StatusCode::NO_CONTENT)
}

/// The user as stored now.
async fn answer(db: &Db, base: &str, id: i64) -> ScimResult<Response> {
    let stored = store::find(db, id)
        .await?
        .ok_or_else(|| ScimError::not_found(format!("No user {id}.")))?;
    Ok(scim_json(&render::user(&stored, base)).into_response())
}

/// A user id: Lanyard's ids are whole numbers; anything else names nobody.
fn user_id(raw: &str) -> ScimResult<i64> {
    raw.parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ScimError::not_found(format!("No user {raw:?}.")))
}

/// A JSON body, or SCIM's `invalidSyntax` (413 when over
/// [`SCIM_BODY_LIMIT`]).
fn json_body(body: &Result<Bytes, BytesRejection>) -> ScimResult<Value> {
    let body = body.as_ref().map_err(|rejection| {
        ScimError::new(
            rejection.status(),
            Some(ScimType::InvalidSyntax),
            format!("The body could not be read: {}", rejection.body_text()),
        )
    })?;
    serde_json::from_slice(body).map_err(|e| {
        ScimError::bad(
            ScimType::InvalidSyntax,
            format!("The body is not valid JSON ({e})."),
        )
    })
}
