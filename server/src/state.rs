//! What every handler can reach: the database, the photo signer and the
//! credential checker. Cheap to clone (pools and `Arc`s).

use crate::auth::Credentials;
use crate::photos::PhotoSigner;
use sqlx::SqlitePool;

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub photos: PhotoSigner,
    pub credentials: Credentials,
}
