//! HR's employee administration: adding, editing, deactivating and
//! reactivating people, and importing them from a CSV file.
//!
//! - [`fields`]: checking what HR types (pure);
//! - [`csv_file`]: reading an import file into lines (pure);
//! - [`plan`]: what an import would do, line by line (pure, Sans-IO);
//! - [`people`]: the SQL;
//! - [`edit`]: single edits, each one transaction with its audit entry;
//! - [`import`]: dry runs, and real imports applied in one transaction.
//!
//! People added here or by import have no password: they cannot sign in
//! until Lanyard has an identity provider to vouch for them.

pub mod csv_file;
pub mod edit;
pub mod fields;
pub mod import;
pub mod people;
pub mod plan;
