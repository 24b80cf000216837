//! Lanyard's single-page app: sign in, browse the directory, open profiles,
//! upload one's photo, and HR's desk.
//!
//! Client-side rendered with Leptos 0.8 and built by Trunk into one bundle
//! per [`apps`] entry. Pages live in [`pages`], reusable pieces in
//! [`components`], the typed HTTP client in [`api`].

pub mod api;
pub mod apps;
pub mod clock;
pub mod components;
pub mod format;
pub mod hooks;
pub mod local_time;
pub mod nav;
pub mod pages;
pub mod photos;
pub mod query;
pub mod session;
pub mod upload;
