//! What uploads may be: size, types, URL lifetime, the sweep age, the image
//! rules, from the configuration; and the checks made before any URL is
//! signed.

use super::duration_ms;
use super::image::{ImageRules, CONTENT_TYPES};
use super::versions::VersionRow;
use crate::config::{Config, ServerSideEncryption};
use lanyard_wire::{UploadLimits, UploadRequest};
use std::time::Duration;

/// What uploads may be, from the configuration.
#[derive(Debug, Clone)]
pub struct UploadSettings {
    pub max_bytes: u64,
    /// Lifetime of a presigned PUT URL.
    pub url_ttl: Duration,
    /// How long after its last URL expired an unfinished upload is swept.
    pub sweep_after: Duration,
    pub rules: ImageRules,
    pub sse: ServerSideEncryption,
}

impl UploadSettings {
    pub fn from_config(config: &Config) -> Self {
        Self {
            max_bytes: config.upload_max_bytes,
            url_ttl: config.upload_ttl,
            sweep_after: config.upload_sweep_after,
            rules: ImageRules {
                min_side: config.photo_min_side,
                max_pixels: config.photo_max_pixels,
            },
            sse: config.s3_sse,
        }
    }

    /// The limits the SPA checks a file against before any request.
    pub fn limits(&self) -> UploadLimits {
        UploadLimits {
            max_bytes: self.max_bytes,
            content_types: CONTENT_TYPES.iter().map(|&t| t.to_owned()).collect(),
            min_side: self.rules.min_side,
            max_pixels: self.rules.max_pixels,
        }
    }

    /// Refuses an upload that could never be accepted, before any URL is signed.
    pub fn check_request(&self, request: &UploadRequest) -> Result<(), String> {
        if !CONTENT_TYPES.contains(&request.content_type.as_str()) {
            return Err(format!(
                "Photos must be JPEG, PNG or WebP images ({}), not {:?}.",
                CONTENT_TYPES.join(", "),
                request.content_type
            ));
        }
        if request.content_length == 0 {
            return Err("The file is empty.".to_owned());
        }
        if request.content_length > self.max_bytes {
            return Err(format!(
                "The file is {} bytes; photos may be at most {} bytes.",
                request.content_length, self.max_bytes
            ));
        }
        Ok(())
    }

    /// When a raw upload's key may be deleted for good: once no URL for it
    /// can start a PUT, plus the sweep age for one still in flight.
    pub(super) fn raw_delete_after(&self, row: &VersionRow, now_ms: i64) -> i64 {
        let sweep_ms = duration_ms(self.sweep_after);
        row.upload_expires_at
            .map_or(now_ms, |expires| expires.saturating_add(sweep_ms))
            .max(now_ms)
    }
}
