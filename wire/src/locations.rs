//! HR's locations: the IANA time zone of each, by which profiles and cards
//! show a person's local time.
//!
//! `GET /api/hr/locations` → [`LocationsPage`];
//! `PUT /api/hr/locations/time-zone` with [`SetTimeZone`] → [`LocationZone`].

use crate::Timestamp;
use serde::{Deserialize, Serialize};

/// One location as HR's desk lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationZone {
    /// As written on people's records ("Singapore").
    pub location: String,
    /// Its IANA time zone ("Asia/Singapore"); none: no local time shown.
    pub time_zone: Option<String>,
    /// Active people who work there.
    pub people: u64,
}

/// `GET /api/hr/locations`: every location people work in, and every one
/// with a zone set, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationsPage {
    pub server_time: Timestamp,
    pub locations: Vec<LocationZone>,
}

/// `PUT /api/hr/locations/time-zone`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetTimeZone {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::required_text))]
    pub location: String,
    /// An IANA name such as "Europe/Paris"; blank or none clears it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::time_zone))]
    pub time_zone: Option<String>,
}
