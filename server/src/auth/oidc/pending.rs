//! A sign-in in flight: what Lanyard remembers in the browser's session
//! between sending someone to the provider and their coming back, and the
//! checks on their return. Sans-IO: the clock is passed in.

use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a sign-in may take at the provider.
pub const STATE_TTL: Duration = Duration::from_secs(600);
/// The longest return path kept.
const MAX_RETURN_PATH: usize = 2000;

/// Kept in the session under [`PENDING_KEY`] until the callback, which
/// takes it out: single use.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// A path of this site to land on afterwards.
    pub return_to: String,
    /// Unix seconds.
    pub started_at: u64,
}

/// The session's key for the pending sign-in.
pub const PENDING_KEY: &str = "oidc_pending";

// Hand-written: state, nonce and verifier are secrets of the flow.
impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("return_to", &self.return_to)
            .field("started_at", &self.started_at)
            .finish_non_exhaustive()
    }
}

/// Why a returning browser's state is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateProblem {
    /// No sign-in was started in this browser (or it was used already).
    NothingPending,
    /// The provider sent no `state`, or another one.
    Mismatch,
    /// Started more than [`STATE_TTL`] ago.
    Expired,
}

impl Pending {
    /// Checks `returned` (the callback's `state`) against this, at `now`.
    pub fn check(&self, returned: Option<&str>, now: SystemTime) -> Result<(), StateProblem> {
        let Some(returned) = returned else {
            return Err(StateProblem::Mismatch);
        };
        // Not secret-dependent timing worth guarding: the state is single
        // use and bound to this browser's session.
        if returned != self.state {
            return Err(StateProblem::Mismatch);
        }
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if now.saturating_sub(self.started_at) > STATE_TTL.as_secs() {
            return Err(StateProblem::Expired);
        }
        Ok(())
    }
}

/// `path` if it is a path of this site (no scheme, no host, no `//` or
/// `/\` that a browser would read as another host, no control characters);
/// otherwise `/`. Where someone lands after signing in: never another site.
pub fn same_origin_path(path: Option<&str>) -> String {
    let Some(path) = path else {
        return "/".to_owned();
    };
    let safe = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && path.len() <= MAX_RETURN_PATH
        && !path.chars().any(|c| c.is_control() || c.is_whitespace());
    if safe {
        path.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> Pending {
        Pending {
            state: "abc".into(),
            nonce: "n".into(),
            pkce_verifier: "v".into(),
            return_to: "/".into(),
            started_at: 1_000,
        }
    }

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn the_state_must_match_and_be_fresh() {
        let p = pending();
        assert_eq!(p.check(Some("abc"), at(1_000)), Ok(()));
        assert_eq!(p.check(Some("abc"), at(1_600)), Ok(()));
        assert_eq!(p.check(Some("abc"), at(1_601)), Err(StateProblem::Expired));
        assert_eq!(p.check(Some("abd"), at(1_000)), Err(StateProblem::Mismatch));
        assert_eq!(p.check(None, at(1_000)), Err(StateProblem::Mismatch));
        assert_eq!(p.check(Some(""), at(1_000)), Err(StateProblem::Mismatch));
    }

    #[test]
    fn only_paths_of_this_site_are_returned_to() {
        for good in [
            "/",
            "/people/3",
            "/hr/reviews?x=1#a",
            "/people?q=%2F%2Fevil",
        ] {
            assert_eq!(same_origin_path(Some(good)), good, "{good}");
        }
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil",
            "evil.example",
            "javascript:alert(1)",
            "/ok\r\nSet-Cookie: x",
            "/a b",
            "",
        ] {
            assert_eq!(same_origin_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(same_origin_path(None), "/");
        assert_eq!(
            same_origin_path(Some(&format!("/{}", "a".repeat(3000)))),
            "/"
        );
    }

    #[test]
    fn debug_shows_no_secret_of_the_flow() {
        let shown = format!("{:?}", pending());
        assert!(
            !shown.contains("abc") && !shown.contains("\"v\""),
            "{shown}"
        );
    }
}
