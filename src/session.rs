//! Who is signed in, shared by every page through context.
//!
//! The session itself is an HttpOnly cookie the SPA cannot read; this module
//! keeps what the SPA knows about it: still checking (`GET /api/me` in
//! flight at start-up), signed in as someone, or signed out. Any API call
//! answering 401 flips it to signed out through [`Session::guard`], and the
//! app shell then sends the visitor to the sign-in page.
//!
//! After signing out of a session that came from single sign-on, the
//! identity provider's own sign-out page is kept here too, in memory only:
//! its URL can carry the ID token as a hint, so it never goes into the
//! address bar (history) or storage, and a reload forgets it.

use crate::api::{self, ClientError};
use lanyard_wire::{Me, SignedOut};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Why there is no session: decides where the sign-in page sends people back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedOutReason {
    /// Never signed in (or the cookie was gone at start-up).
    NoSession,
    /// The session ended under us: a call answered 401.
    Expired,
    /// The person pressed "Sign out".
    SignedOut,
}

/// What the SPA knows about the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// `GET /api/me` has not answered yet.
    Checking,
    SignedIn(Me),
    SignedOut(SignedOutReason),
}

/// The session handle; `Copy`, so closures can capture it freely.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    state: RwSignal<SessionState>,
    /// The provider's sign-out page, after signing out of an SSO session.
    provider_sign_out: RwSignal<Option<String>>,
}

impl Session {
    /// Creates the session, provides it as context and asks the server
    /// whether a session cookie is already there.
    pub fn provide() -> Self {
        let session = Self {
            state: RwSignal::new(SessionState::Checking),
            provider_sign_out: RwSignal::new(None),
        };
        provide_context(session);
        spawn_local(async move {
            match api::me().await {
                Ok(me) => session.signed_in(me),
                Err(err) => {
                    if !err.is_unauthenticated() {
                        leptos::logging::warn!("checking the session failed: {err}");
                    }
                    session.signed_out(SignedOutReason::NoSession);
                }
            }
        });
        session
    }

    /// The session from context. Panics outside an app ([`crate::apps`]; a bug, not
    /// something a user can cause).
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// The signed-in person, if any (tracked).
    pub fn me(&self) -> Option<Me> {
        self.state.with(|s| match s {
            SessionState::SignedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    pub fn is_signed_in(&self) -> bool {
        self.state.with(|s| matches!(s, SessionState::SignedIn(_)))
    }

    /// Why nobody is signed in, or `None` while checking or signed in (tracked).
    pub fn signed_out_reason(&self) -> Option<SignedOutReason> {
        self.state.with(|s| match s {
            SessionState::SignedOut(reason) => Some(*reason),
            _ => None,
        })
    }

    /// The identity provider's sign-out page to offer, after signing out
    /// of a session that came from it (tracked).
    pub fn provider_sign_out(&self) -> Option<String> {
        self.provider_sign_out.get()
    }

    pub fn signed_in(&self, me: Me) {
        // A new session: the last one's provider sign-out is no longer news.
        self.provider_sign_out.set(None);
        self.state.set(SessionState::SignedIn(me));
    }

    /// The person pressed "Sign out" and the server answered: the session
    /// is over, and the provider's sign-out page is remembered to offer.
    /// Set before the state, so the sign-in page sees it when it opens.
    pub fn signed_out_by_request(&self, answer: SignedOut) {
        self.provider_sign_out.set(answer.provider_sign_out);
        self.signed_out(SignedOutReason::SignedOut);
    }

    pub fn signed_out(&self, reason: SignedOutReason) {
        self.state.set(SessionState::SignedOut(reason));
    }

    /// Passes a result through, ending the session if it was a 401: every
    /// page wraps its API calls in this so an expired session anywhere leads
    /// back to sign-in.
    pub fn guard<T>(&self, result: Result<T, ClientError>) -> Result<T, ClientError> {
        if let Err(err) = &result {
            if err.is_unauthenticated() && self.has_session_untracked() {
                self.signed_out(SignedOutReason::Expired);
            }
        }
        result
    }

    fn has_session_untracked(&self) -> bool {
        self.state
            .with_untracked(|s| !matches!(s, SessionState::SignedOut(_)))
    }
}
