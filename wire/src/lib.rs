//! Lanyard's wire types: the JSON shapes the SPA and the server exchange.
//!
//! Serde only, no framework: the SPA (wasm32) and the server (axum) both
//! depend on this crate, so a field renamed here breaks both at compile time
//! instead of at run time. Conversions from database rows live in the server.
//!
//! Every response body carries `server_time` so the SPA can measure the skew
//! of the browser's clock, and every photo URL travels with its `expires_at`.

mod admin;
mod audit;
mod auth;
mod directory;
mod entry;
mod error;
mod ids;
mod locations;
mod number;
mod org;
mod photo;
mod redact;
mod review;
#[cfg(feature = "openapi")]
pub mod schema;
mod text;
mod time;
mod upload;

pub use admin::{
    AdminPeoplePage, AdminPeopleQuery, AdminPersonRow, ImportChange, ImportLineError, ImportReport,
    ImportRequest, PersonFields, PersonRecord, PersonStatus, MAX_IMPORT_BYTES,
};
pub use audit::{
    AuditAction, AuditEntry, AuditExportQuery, AuditPage, AuditPerson, AuditQuery,
    DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE,
};
pub use auth::{
    Me, Role, SetPasswordRequest, SignInLink, SignInLinkInfo, SignInLinkToken, SignInOptions,
    SignInProvider, SignInRequest, SignedOut, MIN_PASSWORD_CHARS,
};
pub use directory::{
    DirectoryPage, DirectoryQuery, Facets, PersonDetail, PersonRef, PersonSummary, Profile,
    DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
};
pub use entry::Entry;
pub use error::{ApiError, ErrorCode, INVALID_CREDENTIALS};
pub use ids::EmployeeId;
pub use locations::{LocationZone, LocationsPage, SetTimeZone};
pub use org::{
    OrgChart, OrgPerson, OrgReports, ReportsPage, ReportsQuery, MAX_CHAIN, ORG_PAGE_SIZE,
};
pub use photo::{
    PersonPhotoUrl, PhotoSize, PhotoState, PhotoUrl, PhotoUrlsRequest, PhotoUrlsResponse,
    UnknownPhotoState, MAX_PHOTO_BATCH, MAX_URL_WINDOW_FRACTION, RENEW_AT_FRACTION,
};
pub use redact::{redact_url, REDACTED};
pub use review::{PendingReview, RejectRequest, ReviewQueue, MAX_REASON_CHARS};
pub use text::{check_text, TextProblem, MAX_TEXT_CHARS};
pub use time::Timestamp;
pub use upload::{
    MyPhoto, MyPhotoVersion, SignedHeader, UploadLimits, UploadRequest, UploadTicket,
    PHOTO_CONTENT_TYPES,
};
