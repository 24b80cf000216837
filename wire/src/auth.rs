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

impl Role {
    /// The role's name: its JSON string, and what the server's database
    /// stores in `employees.role`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Employee => "employee",
            Self::Hr => "hr",
        }
    }
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

/// The fewest characters a password may have (NIST SP 800-63B asks at
/// least 8; Lanyard asks 12, and checks it on both sides).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// `GET /api/session/options`: how people sign in here. Needs no session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInOptions {
    /// Whether the email and password form is on.
    pub password: bool,
    /// The company's identity provider, when single sign-on is set up.
    pub provider: Option<SignInProvider>,
}

/// An identity provider to sign in with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInProvider {
    /// The button says "Sign in with {name}".
    pub name: String,
    /// Where the browser goes (a full-page navigation) to start; append
    /// `?return_to=` a path of this site to come back to it.
    pub start: String,
}

/// The answer to `DELETE /api/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedOut {
    /// The identity provider's own sign-out page (RP-initiated logout), to
    /// offer when the session came from single sign-on and the provider
    /// has one. Lanyard's session has ended either way.
    pub provider_sign_out: Option<String>,
}

/// `POST /api/hr/people/{id}/sign-in-link`: a one-time link for one person.
/// Shown to HR once; the server keeps only its hash.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInLink {
    pub server_time: Timestamp,
    /// The link itself: a credential until it is used or expires.
    pub url: String,
    pub expires_at: Timestamp,
}

// Hand-written: the link is a credential.
impl std::fmt::Debug for SignInLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInLink")
            .field("url", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// `POST /api/sign-in-link`: whose a link is, before setting a password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInLinkToken {
    /// The token from the link (after `#token=`).
    pub token: String,
}

impl std::fmt::Debug for SignInLinkToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInLinkToken")
            .field("token", &"[redacted]")
            .finish()
    }
}

/// Whose a valid sign-in link is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInLinkInfo {
    pub name: String,
    pub email: String,
    pub expires_at: Timestamp,
}

/// `POST /api/sign-in-link/password`: sets the password and signs in.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetPasswordRequest {
    pub token: String,
    pub password: String,
}

impl std::fmt::Debug for SetPasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetPasswordRequest")
            .field("token", &"[redacted]")
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
    /// Whom the signed-in person reports to ("My team" is their reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<EmployeeId>,
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
    fn links_tokens_and_passwords_never_show_in_debug() {
        let link = SignInLink {
            server_time: Timestamp(0),
            url: "https://x/welcome#token=s3cret".into(),
            expires_at: Timestamp(1),
        };
        let token = SignInLinkToken {
            token: "s3cret".into(),
        };
        let set = SetPasswordRequest {
            token: "s3cret".into(),
            password: "hunter2hunter2".into(),
        };
        for shown in [
            format!("{link:?}"),
            format!("{token:?}"),
            format!("{set:?}"),
        ] {
            assert!(
                !shown.contains("s3cret") && !shown.contains("hunter2"),
                "{shown}"
            );
        }
    }

    #[test]
    fn role_names_are_their_json_strings() {
        for role in [Role::Employee, Role::Hr] {
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
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
