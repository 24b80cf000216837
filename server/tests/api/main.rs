//! Integration tests: each starts the real server on port 0 with a fresh
//! database (SQLite, or PostgreSQL with `LANYARD_TEST_POSTGRES`: see
//! `backend.rs`), a temporary embedded S3 store and a small demo company.

mod audit;
mod authz;
mod authz_cases;
mod backend;
mod contact_card;
mod copy_database;
mod doctor;
mod helpers;
mod hostile;
mod hostile_text;
mod hr_people;
mod hr_reviews;
mod import;
mod limits;
mod locations;
mod logs;
mod openapi;
mod org;
mod people;
mod photos;
mod routes;
mod samples;
mod scim;
mod search;
mod security;
mod session;
mod sign_in_links;
mod spa;
mod sso;
mod sso_provider;
mod startup;
mod store;
mod uploads;
mod uploads_cleanup;
mod uploads_store;
