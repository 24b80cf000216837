//! Integration tests: each starts the real server on port 0 with a fresh
//! SQLite database, a temporary embedded S3 store and a small demo company.

mod helpers;
mod people;
mod photos;
mod samples;
mod session;
mod spa;
mod startup;
mod uploads;
