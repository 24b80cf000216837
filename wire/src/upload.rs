//! A person's own photo: its versions, and uploading a new one.
//!
//! The bytes go straight from the browser to the store through a presigned
//! PUT; the server decides who may upload what and checks what arrived:
//! `POST /api/me/photo/uploads` → [`UploadTicket`]; PUT the bytes;
//! `POST /api/me/photo/uploads/{id}/complete` → [`MyPhoto`].

use crate::{PhotoState, PhotoUrl, Timestamp};
use serde::{Deserialize, Serialize};

/// What the server accepts, so the SPA can check a file before any request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadLimits {
    /// The largest file, in bytes.
    pub max_bytes: u64,
    /// `image/jpeg`, `image/png`, `image/webp`.
    pub content_types: Vec<String>,
    /// The shortest side an image may have, in pixels.
    pub min_side: u32,
    /// The most pixels (width × height) an image may have.
    pub max_pixels: u64,
}

/// One version of the signed-in person's own photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyPhotoVersion {
    /// 32 lowercase hex digits: the version's unguessable id.
    pub id: String,
    pub state: PhotoState,
    /// The profile rendition, for the owner's eyes (pending and approved
    /// versions; a rejected version's objects are gone).
    pub photo: Option<PhotoUrl>,
    /// HR's reason, when rejected.
    pub reason: Option<String>,
    pub created_at: Timestamp,
    pub decided_at: Option<Timestamp>,
}

/// `GET /api/me/photo`: the photo others see, the newest one not yet
/// approved (pending review, or rejected with a reason), and the limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyPhoto {
    pub server_time: Timestamp,
    /// The approved photo everyone sees; it stays until a replacement is
    /// approved.
    pub current: Option<MyPhotoVersion>,
    /// The newest version after `current` that is pending or rejected.
    pub latest: Option<MyPhotoVersion>,
    pub limits: UploadLimits,
}

/// The content types an upload may declare, as the SPA offers them.
pub const PHOTO_CONTENT_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// `POST /api/me/photo/uploads`: the file the browser is about to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadRequest {
    /// One of [`PHOTO_CONTENT_TYPES`].
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::photo_content_type))]
    pub content_type: String,
    /// In bytes: at least 1, at most the server's limit (`limits.max_bytes`).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::upload_size))]
    #[serde(deserialize_with = "crate::number::u64")]
    pub content_length: u64,
}

/// A header the browser must send with the PUT, exactly as given (it is
/// part of the signature).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedHeader {
    pub name: String,
    pub value: String,
}

/// Where and how to PUT the bytes. The URL is a credential (it lets its
/// holder store exactly this file under this key until `expires_at`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadTicket {
    pub server_time: Timestamp,
    /// The upload's id (the future photo version's id).
    pub upload_id: String,
    /// A presigned PUT URL binding the key, content type and length.
    pub url: String,
    /// Headers to send with the PUT (`Content-Type`, and the store's
    /// server-side encryption header where configured).
    pub headers: Vec<SignedHeader>,
    pub expires_at: Timestamp,
}

// Hand-written: the signature is a credential and must not reach a log.
impl std::fmt::Debug for UploadTicket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = crate::redact_url(&self.url);
        f.debug_struct("UploadTicket")
            .field("server_time", &self.server_time)
            .field("upload_id", &self.upload_id)
            .field("url", &redacted)
            .field("headers", &self.headers)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_ticket_never_shows_its_signature() {
        let ticket = UploadTicket {
            server_time: Timestamp(0),
            upload_id: "0123456789abcdef0123456789abcdef".into(),
            url: "http://s3/b/uploads/x?X-Amz-Expires=300&X-Amz-Signature=deadbeef".into(),
            headers: vec![],
            expires_at: Timestamp(300_000),
        };
        let shown = format!("{ticket:?}");
        assert!(!shown.contains("deadbeef"), "{shown}");
        assert!(shown.contains("X-Amz-Expires=300"));
    }
}
