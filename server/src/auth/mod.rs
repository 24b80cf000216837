//! Who is signed in: passwords, accounts, sessions, and the extractors that
//! require a signed-in person or HR.

/// The people who may sign in, as the session and sign-in read them.
pub mod accounts;
/// `CurrentUser` and `HrUser`.
mod extract;
/// Argon2id hashes and the constant-work credential check.
pub mod password;
/// The session cookie, its lifetime, signing in and out.
pub mod session;
/// Where sessions live (a save never revives a signed-out session).
pub mod session_store;

pub use accounts::{role_of, AccountRow};
pub use extract::{CurrentUser, HrUser};
pub use password::{hash_password, verify_password, Credentials};
pub use session::{
    begin_session, end_session, session_layer, SessionMaxAge, SECURE_SESSION_COOKIE, SESSION_COOKIE,
};
pub use session_store::Sessions;
