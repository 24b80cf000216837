//! Identifier newtypes, so an employee id is never mixed up with a count.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An employee's database id. Numeric and sequential: knowing one grants
/// nothing, every read is authorized server-side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct EmployeeId(#[serde(deserialize_with = "crate::number::i64")] pub i64);

impl fmt::Display for EmployeeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
