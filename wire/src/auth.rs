//! Signing in and the signed-in user.

use crate::{EmployeeId, PhotoUrl, Timestamp};
use serde::{Deserialize, Serialize};

/// What a signed-in user may do beyond reading the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Employee,
    Hr,
}

/// `POST /api/session`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

// Hand-written so a password never reaches a log through `{:?}`.
impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInRequest")
            .field("email", &self.email)
            .field("password", &"[redacted]")
            .finish()
    }
}

/// `GET /api/me` and the answer to a successful sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub server_time: Timestamp,
    pub id: EmployeeId,
    pub name: String,
    pub email: String,
    pub title: String,
    pub role: Role,
    /// The signed-in person's own thumbnail, if they have an approved photo.
    pub photo: Option<PhotoUrl>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_password() {
        let req = SignInRequest {
            email: "a@b.c".into(),
            password: "hunter2".into(),
        };
        let shown = format!("{req:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("a@b.c"));
    }

    #[test]
    fn roles_are_snake_case_on_the_wire() {
        assert_eq!(serde_json::to_string(&Role::Hr).unwrap(), "\"hr\"");
        assert_eq!(
            serde_json::from_str::<Role>("\"employee\"").unwrap(),
            Role::Employee
        );
    }
}
