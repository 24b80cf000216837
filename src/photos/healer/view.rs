//! What the healer and its users exchange: which photo, where it stands,
//! what to render, and which batch to send.

use lanyard_wire::{EmployeeId, PhotoSize};

/// One photo the page shows: whose, and which rendition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhotoKey {
    pub person: EmployeeId,
    pub size: PhotoSize,
}

/// Where one photo stands, as the components see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// There is a URL worth loading (or already shown).
    Usable,
    /// Nothing to load yet: a fresh URL is on its way or due.
    Waiting,
    /// Retries are exhausted: show the placeholder and a retry control.
    GaveUp,
    /// The person has no photo the viewer may see.
    NoPhoto,
}

/// What a component renders for one photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoView {
    pub phase: Phase,
    /// The URL to load when `phase` is [`Phase::Usable`].
    pub url: Option<String>,
}

/// One batch request to send: `POST /api/photos/urls`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub size: PhotoSize,
    pub people: Vec<EmployeeId>,
}
