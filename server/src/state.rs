//! What every handler can reach: the database, the photo signer, the
//! credential checker and one's own photo uploads. Cheap to clone (pools and `Arc`s).

use crate::audit::AuditLog;
use crate::auth::Credentials;
use crate::photos::PhotoSigner;
use crate::uploads::Uploads;
use sqlx::SqlitePool;

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub photos: PhotoSigner,
    /// Signs the photos in HR's review queue, with the review lifetime.
    pub review_photos: PhotoSigner,
    pub credentials: Credentials,
    pub uploads: Uploads,
    /// The buffered audit log (URL grants, sign-ins, upload steps).
    pub audit: AuditLog,
    /// Rate limits, the sign-in lockout, scraping detection, their metrics.
    pub limits: crate::limits::Limits,
}
