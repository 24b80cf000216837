//! One file per route.

pub mod directory;
pub mod hr;
pub mod my_photo;
pub mod not_found;
pub mod org_chart;
#[cfg(feature = "bench")]
pub mod photo_wall_bench;
pub mod profile;
pub mod sign_in;
pub mod welcome;
