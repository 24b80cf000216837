//! The directory: search results, profiles and filter values.

use crate::{EmployeeId, PhotoUrl, Timestamp};
use serde::{Deserialize, Serialize};

/// Page size when the query does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 48;
/// Larger requested page sizes are refused with 400.
pub const MAX_PAGE_SIZE: u32 = 100;

/// `GET /api/people` query string. Every field is optional; `page` is 1-based.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DirectoryQuery {
    /// 3+ characters: found anywhere in name, title or email; 1-2: the start
    /// of a word of the name or title. Case and diacritics are ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::text, required = false))]
    pub q: Option<String>,
    /// Blank: every department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::text, required = false))]
    pub department: Option<String>,
    /// Blank: every location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::text, required = false))]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::page, required = false))]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::per_page, required = false))]
    pub per_page: Option<u32>,
    /// Only the people who report to this person directly ("Reports to …",
    /// "My team"). Nobody, for an id that is not an active person's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<EmployeeId>,
}

/// One card in the directory grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonSummary {
    pub id: EmployeeId,
    pub name: String,
    pub title: String,
    pub department: String,
    pub location: String,
    /// Their location's IANA time zone ("Asia/Singapore"), when HR has set
    /// one: the card shows the local time there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Thumbnail of the approved photo, if any.
    pub photo: Option<PhotoUrl>,
}

/// `GET /api/people`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectoryPage {
    pub server_time: Timestamp,
    pub people: Vec<PersonSummary>,
    /// How many people match the query in all.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// The name of the person the `manager` filter names, when they are in
    /// the directory (the filter's label: "Reports to Ada Lovelace").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_name: Option<String>,
}

/// A link to another person: a manager or a direct report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonRef {
    pub id: EmployeeId,
    pub name: String,
    pub title: String,
    /// Thumbnail of the approved photo, if any.
    pub photo: Option<PhotoUrl>,
}

/// Everything a profile page shows about one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonDetail {
    pub id: EmployeeId,
    pub name: String,
    pub title: String,
    pub department: String,
    pub location: String,
    /// Their location's IANA time zone, when HR has set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    pub email: String,
    pub phone: String,
    /// The larger profile-size photo, if approved.
    pub photo: Option<PhotoUrl>,
    pub manager: Option<PersonRef>,
    pub reports: Vec<PersonRef>,
}

/// `GET /api/people/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub server_time: Timestamp,
    pub person: PersonDetail,
}

/// `GET /api/facets`: the values the directory's filters offer, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    pub server_time: Timestamp,
    pub departments: Vec<String>,
    pub locations: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_query_serializes_to_nothing() {
        let json = serde_json::to_string(&DirectoryQuery::default()).unwrap();
        assert_eq!(json, "{}");
    }

    #[test]
    fn missing_photo_is_null() {
        let p = PersonSummary {
            id: EmployeeId(7),
            name: "Ada".into(),
            title: "Engineer".into(),
            department: "R&D".into(),
            location: "Paris".into(),
            time_zone: None,
            photo: None,
        };
        let v: serde_json::Value = serde_json::to_value(&p).unwrap();
        assert_eq!(v["id"], 7);
        assert!(v["photo"].is_null());
    }
}
