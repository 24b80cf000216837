//! Lanyard's server: the directory API, authorization, presigned S3 URLs,
//! the embedded S3 store and the built SPA, behind one axum router.
//!
//! `main.rs` only parses the [`config::Config`], starts [`telemetry`] and
//! runs a [`startup::Application`]; everything else is here so integration
//! tests can build the real server.

/// HR's people admin: edits, deactivation, CSV import.
pub mod admin;
/// The append-only audit log.
pub mod audit;
/// Who is signed in: passwords, accounts, sessions.
pub mod auth;
/// Background work that one replica at a time does (the sweeper).
pub mod background;
/// The typed configuration from flags and the environment.
pub mod config;
/// The database (SQLite or PostgreSQL): opening, migrating, running SQL.
pub mod db;
/// The demo company seeded into an empty database.
pub mod demo;
/// The directory's queries and its search.
pub mod directory;
/// `lanyard doctor`: the bucket security check.
pub mod doctor;
/// The one error type and its JSON answers.
pub mod error;
/// Extractors that answer in the app's error format; the request clock.
pub mod extract;
/// Rate limits, the sign-in lockout, scraping detection, metrics.
pub mod limits;
/// The OpenAPI description of the API, generated from the handlers.
pub mod openapi;
/// The HTTP routes.
pub mod routes;
/// SCIM 2.0 provisioning for identity providers.
pub mod scim;
/// Generated secrets kept in the data folder.
pub mod secrets;
/// Browser hardening: security headers, CSP, the CSRF check.
pub mod security;
/// Building and running the server.
pub mod startup;
/// What handlers share.
pub mod state;
/// Photo storage: S3 client, presigner, photo URLs, embedded store, object keys.
pub mod storage;
/// Logging.
pub mod telemetry;
/// Uploading one's own photo: tickets, checks, renditions, the sweeper.
pub mod uploads;
