//! The settings that pick one of a few fixed values.

use clap::ValueEnum;

/// Server-side encryption the store is asked for on every upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServerSideEncryption {
    /// No `x-amz-server-side-encryption` header (the embedded store, MinIO without KMS).
    None,
    /// `x-amz-server-side-encryption: AES256` (SSE-S3).
    #[value(name = "AES256")]
    Aes256,
}

impl ServerSideEncryption {
    /// The header value, or `None` when no header is sent.
    pub fn header_value(self) -> Option<&'static str> {
        match self {
            Self::None => None,
            Self::Aes256 => Some("AES256"),
        }
    }
}

/// Whether to fill an empty database with a demo company on start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeedMode {
    /// Seed demo people, photos and the two demo accounts.
    Demo,
    /// Leave an empty database empty.
    None,
}
