//! Lanyard's wire types: the JSON shapes the SPA and the server exchange.
//!
//! Serde only, no framework: the SPA (wasm32) and the server (axum) both
//! depend on this crate, so a field renamed here breaks both at compile time
//! instead of at run time. Conversions from database rows live in the server.
//!
//! Every response body carries `server_time` so the SPA can measure the skew
//! of the browser's clock, and every photo URL travels with its `expires_at`.

mod auth;
mod directory;
mod error;
mod ids;
mod photo;
mod time;
mod upload;

pub use auth::{Me, Role, SignInRequest};
pub use directory::{
    DirectoryPage, DirectoryQuery, Facets, PersonDetail, PersonRef, PersonSummary, Profile,
    DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
};
pub use error::{ApiError, ErrorCode};
pub use ids::EmployeeId;
pub use photo::{
    PersonPhotoUrl, PhotoSize, PhotoState, PhotoUrl, PhotoUrlsRequest, PhotoUrlsResponse,
    MAX_PHOTO_BATCH,
};
pub use time::Timestamp;
pub use upload::{
    MyPhoto, MyPhotoVersion, SignedHeader, UploadLimits, UploadRequest, UploadTicket,
};
