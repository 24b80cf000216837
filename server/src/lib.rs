//! Lanyard's server: the directory API, authorization, presigned S3 URLs,
//! the embedded S3 store and the built SPA, behind one axum router.
//!
//! `main.rs` only parses the [`config::Config`], starts [`telemetry`] and
//! runs a [`startup::Application`]; everything else is here so integration
//! tests can build the real server.

/// Passwords, sessions, the signed-in user.
pub mod auth;
/// The typed configuration from flags and the environment.
pub mod config;
/// Opening and migrating the SQLite database.
pub mod db;
/// The demo company seeded into an empty database.
pub mod demo;
/// The directory's queries.
pub mod directory;
/// The one error type and its JSON answers.
pub mod error;
/// Extractors that answer in the app's error format; the request clock.
pub mod extract;
/// Photo visibility and presigned URLs per purpose.
pub mod photos;
/// The HTTP routes.
pub mod routes;
/// Generated secrets kept in the data folder.
pub mod secrets;
/// Where sessions live (a save never revives a signed-out session).
pub mod session_store;
/// Building and running the server.
pub mod startup;
/// What handlers share.
pub mod state;
/// Photo storage: S3 client, presigner, embedded store, object keys.
pub mod storage;
/// Logging.
pub mod telemetry;
/// Uploading one's own photo: tickets, checks, renditions, the sweeper.
pub mod uploads;
