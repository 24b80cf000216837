//! HR's photo review queue: pending photos, approved or rejected.
//!
//! `GET /api/hr/reviews` → [`ReviewQueue`];
//! `POST /api/hr/reviews/{version}/approve` → 204;
//! `POST /api/hr/reviews/{version}/reject` with [`RejectRequest`] → 204.
//! A version that is no longer pending (decided by someone else, replaced
//! or withdrawn by its owner) answers 409 `conflict`.

use crate::{EmployeeId, PhotoUrl, Timestamp};
use serde::{Deserialize, Serialize};

/// The longest reason HR may give for a rejection, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// One pending photo and what it would replace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingReview {
    /// The pending version's id (32 lowercase hex digits).
    pub version_id: String,
    pub person: EmployeeId,
    pub name: String,
    pub title: String,
    pub department: String,
    /// When the owner finished the upload.
    pub submitted_at: Timestamp,
    /// The proposed photo (profile rendition), signed with the short HR
    /// review lifetime.
    pub proposed: PhotoUrl,
    /// The approved photo everyone sees today, if any (profile rendition,
    /// same lifetime), shown beside the proposal.
    pub current: Option<PhotoUrl>,
}

/// `GET /api/hr/reviews`: pending photos, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewQueue {
    pub server_time: Timestamp,
    pub pending: Vec<PendingReview>,
}

/// `POST /api/hr/reviews/{version}/reject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectRequest {
    /// Shown to the employee on their "My photo" page; required, at most
    /// [`MAX_REASON_CHARS`] characters.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::reason))]
    pub reason: String,
}
