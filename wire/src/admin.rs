//! HR's employee administration: one person's record, and CSV import.
//!
//! `GET /api/hr/people?q=&status=&page=` → [`AdminPeoplePage`];
//! `GET /api/hr/people/{id}` → [`PersonRecord`] (active or not);
//! `POST /api/hr/people` with [`PersonFields`] → 201 [`PersonRecord`];
//! `PUT /api/hr/people/{id}` with [`PersonFields`] → [`PersonRecord`];
//! `POST /api/hr/people/{id}/deactivate` and `…/reactivate` → [`PersonRecord`];
//! `DELETE /api/hr/people/{id}/photo` → 204 (erasure: every version's objects);
//! `POST /api/hr/import` with [`ImportRequest`] → [`ImportReport`].
//! Invalid fields answer 400 `bad_request` with a message naming the field;
//! an email another person has answers 409 `conflict`.

use crate::{EmployeeId, Role, Timestamp};
use serde::{Deserialize, Serialize};

/// The largest CSV an import accepts, in bytes.
pub const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

/// Which people `GET /api/hr/people` lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PersonStatus {
    #[default]
    Active,
    Inactive,
    All,
}

/// `GET /api/hr/people` query string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AdminPeopleQuery {
    /// Matches name or email, case-insensitively.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::text, required = false))]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PersonStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::page, required = false))]
    pub page: Option<u32>,
}

/// What HR edits about a person (everything but the photo and `active`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonFields {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::required_text))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::email))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::required_text))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::required_text))]
    pub department: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::required_text))]
    pub location: String,
    /// May be empty.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text))]
    pub phone: String,
    /// The manager's id; `None` for the top of the company.
    pub manager: Option<EmployeeId>,
    pub role: Role,
}

/// A person as HR administers them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonRecord {
    pub server_time: Timestamp,
    pub id: EmployeeId,
    #[serde(flatten)]
    pub fields: PersonFields,
    /// The manager's name, for display.
    pub manager_name: Option<String>,
    pub active: bool,
    /// Whether the person has an approved photo.
    pub has_photo: bool,
}

/// One row of HR's people list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminPersonRow {
    pub id: EmployeeId,
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    pub role: Role,
    pub active: bool,
}

/// `GET /api/hr/people`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminPeoplePage {
    pub server_time: Timestamp,
    pub people: Vec<AdminPersonRow>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// `POST /api/hr/import`: a CSV file with a header row
/// (`name,email,title,department,location,phone,manager_email,role`;
/// `manager_email` and `role` may be empty). People are matched by email:
/// a known email updates that person, a new one adds a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRequest {
    pub csv: String,
    /// `true`: check and report only, write nothing.
    pub dry_run: bool,
}

/// One line of an import that adds or changes a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportChange {
    /// The line number in the file (the header is line 1).
    pub line: u32,
    pub email: String,
    pub name: String,
    /// For updates: the fields that change (`title`, `manager`, …); empty
    /// for adds.
    pub changed: Vec<String>,
}

/// A line that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportLineError {
    pub line: u32,
    pub message: String,
}

/// The answer to an import or its dry run. When `errors` is not empty
/// nothing was written, dry run or not (a real import with errors answers
/// 422 `bad_request` whose message names the first errors, so a script
/// cannot mistake it for success; the SPA previews first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub server_time: Timestamp,
    pub dry_run: bool,
    /// Whether the import was written (one transaction: all or nothing).
    pub applied: bool,
    pub adds: Vec<ImportChange>,
    pub updates: Vec<ImportChange>,
    /// Lines that match a person exactly.
    pub unchanged: u32,
    pub errors: Vec<ImportLineError>,
}
