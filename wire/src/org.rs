//! The org chart: a person's chain of managers and their reports, a page
//! at a time, each with how many reports of their own they have (so the
//! chart knows which branches open).

use crate::{EmployeeId, PhotoUrl, Timestamp};
use serde::{Deserialize, Serialize};

/// Reports per page of a chart's branch. A manager with 300 reports opens
/// in pages, each with its photo URLs granted in one batch like the grid's.
pub const ORG_PAGE_SIZE: u32 = 48;

/// Managers above a person the chart shows at most. Deeper chains exist
/// only in broken data (a reporting loop); the chain is cut there.
pub const MAX_CHAIN: usize = 32;

/// One person in the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgPerson {
    pub id: EmployeeId,
    pub name: String,
    pub title: String,
    pub department: String,
    /// Thumbnail of the approved photo, if any.
    pub photo: Option<PhotoUrl>,
    /// How many active people report to them directly.
    pub reports: u64,
}

/// One page of someone's direct reports, in name order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgReports {
    pub people: Vec<OrgPerson>,
    /// How many direct reports there are in all.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// `GET /api/people/{id}/org`: the chart around one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgChart {
    pub server_time: Timestamp,
    /// Their managers, from the top of the organisation down to their own
    /// manager. Stops at a manager who has left, and where old data loops
    /// back on itself (`loop_cut`).
    pub managers: Vec<OrgPerson>,
    /// True when the chain of managers came back to someone already in it
    /// (a reporting loop in the data): the chain shown ends there.
    pub loop_cut: bool,
    pub person: OrgPerson,
    /// The first page of their direct reports.
    pub reports: OrgReports,
}

/// `GET /api/people/{id}/reports`: a further page of a branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportsPage {
    pub server_time: Timestamp,
    pub manager: EmployeeId,
    pub reports: OrgReports,
}

/// `GET /api/people/{id}/reports` query string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ReportsQuery {
    /// 1-based; pages of [`ORG_PAGE_SIZE`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::page, required = false))]
    pub page: Option<u32>,
}
