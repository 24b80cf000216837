//! A managed person as a SCIM User resource (RFC 7643 §4.1, §4.3): only
//! what Lanyard keeps, each multi-valued attribute with the sub-attributes
//! the published schema names, so what a provider writes reads back the same.

use super::store::StoredUser;
use super::user::{ENTERPRISE, USER_SCHEMA};
use crate::audit::export::iso_8601;
use serde_json::{json, Map, Value};

/// `base` is the SCIM base URL (`https://lanyard.example/scim/v2`).
pub fn user(stored: &StoredUser, base: &str) -> Value {
    let mut out = Map::new();
    out.insert("schemas".into(), json!([USER_SCHEMA, ENTERPRISE]));
    out.insert("id".into(), stored.employee_id.to_string().into());
    if let Some(external) = &stored.external_id {
        out.insert("externalId".into(), external.clone().into());
    }
    out.insert("userName".into(), stored.user_name.clone().into());
    let mut name = Map::new();
    if let Some(given) = &stored.given_name {
        name.insert("givenName".into(), given.clone().into());
    }
    if let Some(family) = &stored.family_name {
        name.insert("familyName".into(), family.clone().into());
    }
    if !name.is_empty() {
        out.insert("name".into(), name.into());
    }
    if let Some(display) = &stored.display_name {
        out.insert("displayName".into(), display.clone().into());
    }
    if !stored.title.is_empty() {
        out.insert("title".into(), stored.title.clone().into());
    }
    out.insert(
        "emails".into(),
        json!([{"value": stored.email, "type": "work"}]),
    );
    if !stored.phone.is_empty() {
        out.insert("phoneNumbers".into(), json!([{"value": stored.phone}]));
    }
    if !stored.location.is_empty() {
        out.insert("addresses".into(), json!([{"locality": stored.location}]));
    }
    out.insert("active".into(), stored.active.into());
    let mut enterprise = Map::new();
    if !stored.department.is_empty() {
        enterprise.insert("department".into(), stored.department.clone().into());
    }
    if let Some(manager) = stored.manager_id {
        enterprise.insert(
            "manager".into(),
            json!({"value": manager.to_string(), "$ref": location(base, manager)}),
        );
    }
    if !enterprise.is_empty() {
        out.insert(ENTERPRISE.into(), enterprise.into());
    }
    out.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": iso_8601(stored.created_at),
            "lastModified": iso_8601(stored.updated_at),
            "location": location(base, stored.employee_id),
            "version": format!("W/\"{}\"", stored.updated_at),
        }),
    );
    out.into()
}

/// Where user `id` lives.
pub fn location(base: &str, id: i64) -> String {
    format!("{base}/Users/{id}")
}

/// A `ListResponse` (RFC 7644 §3.4.2).
pub fn list(resources: Vec<Value>, total: u64, start: u32) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}
