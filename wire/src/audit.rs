//! The audit log: who did what, to whom, when and from where.
//!
//! `GET /api/hr/audit?…` ([`AuditQuery`]) → [`AuditPage`], newest first,
//! paged by cursor; `GET /api/hr/audit.csv?…` → the same entries as CSV.

use crate::{EmployeeId, Timestamp};
use serde::{Deserialize, Serialize};

/// Entries per page unless the query says; at most [`MAX_AUDIT_PAGE`].
pub const DEFAULT_AUDIT_PAGE: u32 = 50;
pub const MAX_AUDIT_PAGE: u32 = 200;

/// What happened. One entry per request: a request that signs many photo
/// URLs is one `urls_granted` entry listing every person granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    SignIn,
    SignInFailed,
    SignOut,
    /// Photo URLs were signed for the actor: `subjects` are whose photos.
    UrlsGranted,
    UploadStarted,
    UploadCompleted,
    UploadCancelled,
    /// An owner deleted their own photo (every version).
    PhotoDeleted,
    PhotoApproved,
    PhotoRejected,
    /// HR removed a person's photo (every version): an erasure request.
    PhotoErased,
    PersonAdded,
    PersonUpdated,
    PersonDeactivated,
    PersonReactivated,
    ImportApplied,
    /// The actor was granted an unusual number of distinct people's photos
    /// in a short time (possible scraping).
    ScrapingFlagged,
    /// Too many failed sign-ins: the account was locked for a while (the
    /// lock of earlier versions; entries of it stay in old logs).
    AccountLocked,
    /// Too many failed sign-ins for an account, from one address or from
    /// everywhere: further attempts are refused for a while.
    SignInThrottled,
    /// A single sign-on or sign-in link that let nobody in: an unknown or
    /// deactivated person, or a token, state or link that failed a check.
    SignInRefused,
    /// A person's first single sign-on linked their identity at the
    /// provider (issuer and subject) to them.
    IdentityLinked,
    /// The identity provider's group claim changed a person's role.
    RoleChanged,
    /// HR created a one-time sign-in link for the subject.
    SignInLinkCreated,
    /// The subject opened their sign-in link and set a password.
    PasswordSet,
    /// The actor downloaded the subject's contact card (vCard).
    ContactCardDownloaded,
    /// HR set or cleared a location's time zone.
    TimeZoneSet,
    /// An action this version of the SPA does not know yet.
    #[serde(other)]
    Unknown,
}

/// `GET /api/hr/audit` query string; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditQuery {
    /// Entries about this person (a subject: whose photo, whose record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<EmployeeId>,
    /// Entries by this person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<EmployeeId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::audit_action_filter, required = false))]
    pub action: Option<AuditAction>,
    /// From this instant (inclusive), unix ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Timestamp>,
    /// Until this instant (exclusive), unix ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Timestamp>,
    /// The `next` cursor of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::audit_limit, required = false))]
    pub limit: Option<u32>,
}

/// `GET /api/hr/audit.csv` query string: [`AuditQuery`]'s filters without
/// its cursor and page size, since the export holds every matching entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditExportQuery {
    /// Entries about this person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<EmployeeId>,
    /// Entries by this person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<EmployeeId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::audit_action_filter, required = false))]
    pub action: Option<AuditAction>,
    /// From this instant (inclusive), unix ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Timestamp>,
    /// Until this instant (exclusive), unix ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Timestamp>,
}

/// A person an entry names: the actor or a subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPerson {
    pub id: EmployeeId,
    pub name: String,
}

/// One audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    /// Who acted; `None` when nobody was signed in (a failed sign-in with
    /// an unknown email).
    pub actor: Option<AuditPerson>,
    /// Who acted when it was not a person: `SCIM (okta)` for a change an
    /// identity provider made over SCIM with the token named `okta`.
    #[serde(default)]
    pub via: Option<String>,
    pub action: AuditAction,
    /// Whom it concerned: the people whose photos were granted, whose
    /// photo was reviewed, whose record changed.
    pub subjects: Vec<AuditPerson>,
    /// A sentence for people: which photo versions, which fields, the
    /// email typed at a failed sign-in, the rejection reason, …
    pub detail: String,
    /// The client's address, when known.
    pub ip: Option<String>,
}

/// `GET /api/hr/audit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub server_time: Timestamp,
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; `None` on the last page.
    pub next: Option<i64>,
}
