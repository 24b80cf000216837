//! One file per route.

pub mod directory;
pub mod not_found;
pub mod profile;
pub mod sign_in;
