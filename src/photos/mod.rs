//! Photos that heal themselves.
//!
//! A presigned photo URL dies on schedule; a directory left open all
//! afternoon must still never show a broken photo, never hammer the server
//! when a screenful of URLs expires at once, and never download the same
//! photo twice within a URL's lifetime. The rules live in [`healer`] (pure,
//! tested natively, clock passed in) with the retry policy in [`backoff`];
//! [`service`] runs them in the browser: timers, the batch requests, tab
//! visibility and one shared IntersectionObserver. Components use
//! [`crate::hooks::use_photo`].

pub mod backoff;
pub mod healer;
pub mod service;
