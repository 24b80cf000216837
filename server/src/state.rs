//! What handlers share, and the parts of it each extractor or service
//! takes (axum's `FromRef`): an extractor that needs the database asks for
//! a [`Db`], not for the whole state, so the modules it lives in never
//! depend on this one. Cheap to clone (pools and `Arc`s).

use crate::audit::AuditLog;
use crate::auth::{Credentials, SignIn};
use crate::db::Db;
use crate::limits::Limits;
use crate::storage::photo_urls::PhotoSigner;
use crate::uploads::Uploads;
use axum::extract::FromRef;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: Db,
    pub photos: PhotoSigner,
    /// Signs the photos in HR's review queue, with the review lifetime.
    #[from_ref(skip)]
    pub review_photos: PhotoSigner,
    pub credentials: Credentials,
    /// Single sign-on, the password form, sign-in links.
    pub sign_in: SignIn,
    pub uploads: Uploads,
    /// The audit log (URL grants, sign-ins, upload steps).
    pub audit: AuditLog,
    /// Rate limits, the sign-in throttle, scraping detection, their metrics.
    pub limits: Limits,
    /// The company's name, for contact cards.
    pub organization: Organization,
}

/// The company's name (`LANYARD_ORGANIZATION`; may be empty).
#[derive(Debug, Clone, Default)]
pub struct Organization(pub std::sync::Arc<str>);
