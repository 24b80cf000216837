//! Reusable view pieces. Page-specific pieces live next to their page.

pub mod app_shell;
pub mod avatar;
pub mod copy_button;
pub mod error_panel;
pub mod pager;
pub mod person_card;
pub mod person_link;
pub mod photo_cropper;
pub mod result_keys;
pub mod search_bar;
pub mod signed_out;
pub mod skeleton;
