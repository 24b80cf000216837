//! Who is signed in: passwords, single sign-on, one-time links, accounts,
//! sessions, and the extractors that require a signed-in person or HR.

/// The people who may sign in, as the session and sign-in read them.
pub mod accounts;
/// `CurrentUser` and `HrUser`.
mod extract;
/// Who gets in through single sign-on: the directory decides.
pub mod identities;
/// One-time sign-in links from HR.
pub mod links;
/// Single sign-on with the company's OpenID Provider.
pub mod oidc;
/// Argon2id hashes and the constant-work credential check.
pub mod password;
/// What a password set through a link must be.
pub mod password_policy;
/// The session cookie, its lifetime, signing in and out.
pub mod session;
/// Where sessions live (a save never revives a signed-out session).
pub mod session_store;
/// How people may sign in here.
pub mod sign_in;

pub use accounts::{role_of, AccountRow};
pub use extract::{CurrentUser, HrUser};
pub use password::{hash_password, verify_password, Credentials};
pub use session::{
    begin_session, end_session, session_layer, SessionMaxAge, SECURE_SESSION_COOKIE, SESSION_COOKIE,
};
pub use session_store::Sessions;
pub use sign_in::SignIn;
