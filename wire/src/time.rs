//! Wall-clock instants on the wire.

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, UTC. A plain integer on the wire so the
/// SPA can compare it with `Date.now()` without parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const fn from_millis(ms: i64) -> Self {
        Self(ms)
    }

    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// Milliseconds from `self` until `later` (negative if `later` is earlier).
    pub const fn millis_until(self, later: Timestamp) -> i64 {
        later.0.saturating_sub(self.0)
    }
}
