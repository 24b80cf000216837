//! HR's endpoints (`/api/hr/...`): the review queue, people, import,
//! audit, locations.
//!
//! The server checks the role on every one of them (403 for employees);
//! the SPA only hides the links. Query strings are built by pure functions
//! so they are unit-tested natively.

use super::{call, decode, encode, get_json, ClientError};
use crate::query::encode_component;
use gloo_net::http::Method;
use lanyard_wire::{
    AdminPeoplePage, AdminPeopleQuery, AuditAction, AuditPage, AuditQuery, EmployeeId,
    ImportReport, ImportRequest, LocationZone, LocationsPage, PersonFields, PersonRecord,
    PersonStatus, RejectRequest, ReviewQueue, SetTimeZone, SignInLink,
};

/// `GET /api/hr/reviews`: pending photos, oldest first.
pub async fn review_queue() -> Result<ReviewQueue, ClientError> {
    get_json("/api/hr/reviews").await
}

/// `POST /api/hr/reviews/{version}/approve`.
pub async fn approve(version: &str) -> Result<(), ClientError> {
    let url = format!("/api/hr/reviews/{}/approve", super::path_segment(version));
    call(Method::POST, &url, None).await.map(drop)
}

/// `POST /api/hr/reviews/{version}/reject` with the reason.
pub async fn reject(version: &str, reason: String) -> Result<(), ClientError> {
    let url = format!("/api/hr/reviews/{}/reject", super::path_segment(version));
    let body = encode(&RejectRequest { reason })?;
    call(Method::POST, &url, Some(body)).await.map(drop)
}

/// `DELETE /api/hr/people/{id}/photo`: erase every version of a photo.
pub async fn erase_photo(id: EmployeeId) -> Result<(), ClientError> {
    let url = format!("/api/hr/people/{id}/photo");
    call(Method::DELETE, &url, None).await.map(drop)
}

/// `GET /api/hr/people?...`: one page of people, active or not.
pub async fn people(query: &AdminPeopleQuery) -> Result<AdminPeoplePage, ClientError> {
    get_json(&format!("/api/hr/people{}", people_query_string(query))).await
}

/// `GET /api/hr/people/{id}`.
pub async fn person(id: EmployeeId) -> Result<PersonRecord, ClientError> {
    get_json(&format!("/api/hr/people/{id}")).await
}

/// `POST /api/hr/people` (no id) or `PUT /api/hr/people/{id}`.
pub async fn save_person(
    id: Option<EmployeeId>,
    fields: &PersonFields,
) -> Result<PersonRecord, ClientError> {
    let body = Some(encode(fields)?);
    let answer = match id {
        Some(id) => call(Method::PUT, &format!("/api/hr/people/{id}"), body).await?,
        None => call(Method::POST, "/api/hr/people", body).await?,
    };
    decode(&answer)
}

/// `POST /api/hr/people/{id}/reactivate` (`active`) or `.../deactivate`.
pub async fn set_active(id: EmployeeId, active: bool) -> Result<PersonRecord, ClientError> {
    let verb = if active { "reactivate" } else { "deactivate" };
    let url = format!("/api/hr/people/{id}/{verb}");
    decode(&call(Method::POST, &url, None).await?)
}

/// `POST /api/hr/people/{id}/sign-in-link`: a new one-time sign-in link for
/// an active person (any earlier one stops working; 409 for a deactivated
/// person). The answer is the only time the link is shown.
pub async fn create_sign_in_link(id: EmployeeId) -> Result<SignInLink, ClientError> {
    let url = format!("/api/hr/people/{id}/sign-in-link");
    decode(&call(Method::POST, &url, None).await?)
}

/// `POST /api/hr/import`: a dry run or the real import.
pub async fn import(request: &ImportRequest) -> Result<ImportReport, ClientError> {
    decode(&call(Method::POST, "/api/hr/import", Some(encode(request)?)).await?)
}

/// `GET /api/hr/locations`: every location and its time zone.
pub async fn locations() -> Result<LocationsPage, ClientError> {
    get_json("/api/hr/locations").await
}

/// `PUT /api/hr/locations/time-zone`: sets (or, blank, clears) a location's zone.
pub async fn set_time_zone(request: &SetTimeZone) -> Result<LocationZone, ClientError> {
    let body = Some(encode(request)?);
    decode(&call(Method::PUT, "/api/hr/locations/time-zone", body).await?)
}

/// `GET /api/hr/audit?...`: one page of the audit log, newest first.
pub async fn audit(query: &AuditQuery) -> Result<AuditPage, ClientError> {
    get_json(&format!("/api/hr/audit{}", audit_query_string(query))).await
}

/// The CSV export of everything `query` matches (its cursor and page size
/// left out): a plain link the browser downloads with the session cookie.
pub fn audit_csv_href(query: &AuditQuery) -> String {
    let all = AuditQuery {
        before: None,
        limit: None,
        ..query.clone()
    };
    format!("/api/hr/audit.csv{}", audit_query_string(&all))
}

/// `?q=…&status=…&page=…` (empty when nothing is set).
pub fn people_query_string(query: &AdminPeopleQuery) -> String {
    let mut pairs = Vec::new();
    if let Some(q) = query.q.as_deref().filter(|q| !q.is_empty()) {
        pairs.push(("q", q.to_owned()));
    }
    if let Some(status) = query.status {
        pairs.push(("status", status_key(status).to_owned()));
    }
    if let Some(page) = query.page {
        pairs.push(("page", page.to_string()));
    }
    query_string(&pairs)
}

/// The audit filters as a query string (empty when nothing is set).
pub fn audit_query_string(query: &AuditQuery) -> String {
    let mut pairs = Vec::new();
    let mut push = |key: &'static str, value: Option<String>| {
        if let Some(value) = value {
            pairs.push((key, value));
        }
    };
    push("person", query.person.map(|p| p.to_string()));
    push("actor", query.actor.map(|p| p.to_string()));
    push("action", query.action.map(|a| action_key(a).to_owned()));
    push("from", query.from.map(|t| t.as_millis().to_string()));
    push("to", query.to.map(|t| t.as_millis().to_string()));
    push("before", query.before.map(|b| b.to_string()));
    push("limit", query.limit.map(|l| l.to_string()));
    query_string(&pairs)
}

fn query_string(pairs: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(key);
        out.push('=');
        out.push_str(&encode_component(value));
    }
    out
}

/// A status as the API spells it.
pub fn status_key(status: PersonStatus) -> &'static str {
    match status {
        PersonStatus::Active => "active",
        PersonStatus::Inactive => "inactive",
        PersonStatus::All => "all",
    }
}

/// The status a query string names, if any.
pub fn status_from_key(key: &str) -> Option<PersonStatus> {
    [
        PersonStatus::Active,
        PersonStatus::Inactive,
        PersonStatus::All,
    ]
    .into_iter()
    .find(|s| status_key(*s) == key)
}

/// Every action HR can filter by: the wire name and the words shown.
pub const ACTIONS: [(AuditAction, &str, &str); 26] = [
    (AuditAction::SignIn, "sign_in", "Signed in"),
    (
        AuditAction::SignInFailed,
        "sign_in_failed",
        "Sign-in failed",
    ),
    (AuditAction::SignOut, "sign_out", "Signed out"),
    (
        AuditAction::UrlsGranted,
        "urls_granted",
        "Photo URLs granted",
    ),
    (
        AuditAction::UploadStarted,
        "upload_started",
        "Upload started",
    ),
    (
        AuditAction::UploadCompleted,
        "upload_completed",
        "Upload completed",
    ),
    (
        AuditAction::UploadCancelled,
        "upload_cancelled",
        "Upload cancelled",
    ),
    (
        AuditAction::PhotoDeleted,
        "photo_deleted",
        "Photo deleted by owner",
    ),
    (
        AuditAction::PhotoApproved,
        "photo_approved",
        "Photo approved",
    ),
    (
        AuditAction::PhotoRejected,
        "photo_rejected",
        "Photo rejected",
    ),
    (
        AuditAction::PhotoErased,
        "photo_erased",
        "Photo erased by HR",
    ),
    (AuditAction::PersonAdded, "person_added", "Person added"),
    (
        AuditAction::PersonUpdated,
        "person_updated",
        "Person updated",
    ),
    (
        AuditAction::PersonDeactivated,
        "person_deactivated",
        "Person deactivated",
    ),
    (
        AuditAction::PersonReactivated,
        "person_reactivated",
        "Person reactivated",
    ),
    (
        AuditAction::ImportApplied,
        "import_applied",
        "Import applied",
    ),
    (
        AuditAction::ScrapingFlagged,
        "scraping_flagged",
        "Possible scraping",
    ),
    (
        AuditAction::AccountLocked,
        "account_locked",
        "Account locked",
    ),
    (
        AuditAction::SignInThrottled,
        "sign_in_throttled",
        "Sign-in throttled",
    ),
    (
        AuditAction::SignInRefused,
        "sign_in_refused",
        "Sign-in refused",
    ),
    (
        AuditAction::IdentityLinked,
        "identity_linked",
        "Identity linked",
    ),
    (
        AuditAction::RoleChanged,
        "role_changed",
        "Role changed by the provider",
    ),
    (
        AuditAction::SignInLinkCreated,
        "sign_in_link_created",
        "Sign-in link created",
    ),
    (AuditAction::PasswordSet, "password_set", "Password set"),
    (
        AuditAction::ContactCardDownloaded,
        "contact_card_downloaded",
        "Contact card downloaded",
    ),
    (AuditAction::TimeZoneSet, "time_zone_set", "Time zone set"),
];

/// An action's wire name (`""` for one this SPA does not know).
pub fn action_key(action: AuditAction) -> &'static str {
    ACTIONS
        .iter()
        .find(|(a, ..)| *a == action)
        .map_or("", |(_, key, _)| key)
}

/// An action in words.
pub fn action_label(action: AuditAction) -> &'static str {
    ACTIONS
        .iter()
        .find(|(a, ..)| *a == action)
        .map_or("Other", |(.., label)| label)
}

/// The action whose wire name is `key`, if any.
pub fn action_from_key(key: &str) -> Option<AuditAction> {
    ACTIONS.iter().find(|(_, k, _)| *k == key).map(|(a, ..)| *a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanyard_wire::Timestamp;
    use serde::de::value::{Error, StrDeserializer};
    use serde::Deserialize;

    #[test]
    fn action_keys_are_the_wire_names() {
        for (action, key, _) in ACTIONS {
            let parsed = AuditAction::deserialize(StrDeserializer::<Error>::new(key)).unwrap();
            assert_eq!(parsed, action, "{key}");
            assert_eq!(action_from_key(key), Some(action));
        }
        assert_eq!(action_label(AuditAction::Unknown), "Other");
        assert_eq!(action_from_key(""), None);
    }

    #[test]
    fn people_query_names_only_what_is_set() {
        assert_eq!(people_query_string(&AdminPeopleQuery::default()), "");
        let query = AdminPeopleQuery {
            q: Some("ada l".into()),
            status: Some(PersonStatus::All),
            page: Some(2),
        };
        assert_eq!(people_query_string(&query), "?q=ada%20l&status=all&page=2");
        assert_eq!(status_from_key("inactive"), Some(PersonStatus::Inactive));
        assert_eq!(status_from_key("nope"), None);
    }

    #[test]
    fn the_csv_export_keeps_the_filters_but_not_the_cursor() {
        let query = AuditQuery {
            person: Some(EmployeeId(7)),
            action: Some(AuditAction::UrlsGranted),
            from: Some(Timestamp(1_000)),
            before: Some(99),
            limit: Some(50),
            ..AuditQuery::default()
        };
        assert_eq!(
            audit_query_string(&query),
            "?person=7&action=urls_granted&from=1000&before=99&limit=50"
        );
        assert_eq!(
            audit_csv_href(&query),
            "/api/hr/audit.csv?person=7&action=urls_granted&from=1000"
        );
    }
}
