//! Reusable reactive helpers, one per file, named after their function.

pub mod use_debounce;
pub mod use_photo;
pub mod use_title;
