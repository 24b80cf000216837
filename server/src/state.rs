//! What every handler can reach: the database, the photo signer, the
//! credential checker and one's own photo uploads. Cheap to clone (pools and `Arc`s).

use crate::auth::Credentials;
use crate::photos::PhotoSigner;
use crate::uploads::Uploads;
use sqlx::SqlitePool;

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub photos: PhotoSigner,
    pub credentials: Credentials,
    pub uploads: Uploads,
}
