//! Uploading one's own photo (issue 5).
//!
//! The bytes go from the browser straight to the store through a presigned
//! PUT, so the SPA carries the whole protocol: check the file before any
//! request ([`check`]), let the person crop it ([`crop`], the geometry), ask
//! for a ticket, PUT with XMLHttpRequest for a real progress bar, retry
//! network failures with backoff, swap an expired URL for a fresh one, cancel
//! cleanly, then ask the server to check what arrived. The decisions live in
//! [`machine`] (pure, tested natively); [`xhr`] and [`canvas`] are the thin
//! browser glue, and [`runner`] feeds the machine's commands to them.

pub mod canvas;
pub mod check;
pub mod crop;
pub mod machine;
pub mod runner;
pub mod xhr;
