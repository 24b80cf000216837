//! What `POST /api/session` asks of the limits: before the password is
//! checked, the per-address and per-email rates and the lockout; after a
//! failure, the count, the slowdown and (once per lock) the audit entry.
//!
//! Nothing here depends on whether the email belongs to anyone: an unknown
//! email is counted, slowed down and locked exactly like a known one, so
//! neither the answers nor their timing tell a stranger who works here.

use super::lockout::{self, Failure};
use super::metrics::Limited;
use super::Limits;
use crate::audit::{AuditLog, Entry, Subject};
use crate::error::AppResult;
use crate::extract::Now;
use lanyard_wire::AuditAction;
use std::time::{Duration, Instant};

/// The most of a typed email the lock's audit entry keeps.
const MAX_LOGGED_EMAIL: usize = 120;

impl Limits {
    /// Before checking a password: 429 when the client's address or the
    /// typed email has tried too often, or the email is locked (then the
    /// password is never looked at, even a right one).
    pub fn sign_in_attempt(&self, email: &str, ip: Option<&str>, now: Instant) -> AppResult<()> {
        if let Some(ip) = ip {
            let taken = self.0.sign_in_address.take(&ip.to_owned(), 1);
            self.check(Limited::SignInAddress, taken)?;
        }
        let key = lockout::key(email);
        if key.is_empty() {
            return Ok(());
        }
        let locked = self.lockout().check(&key, now);
        self.check(Limited::SignInLocked, locked)?;
        self.check(Limited::SignInEmail, self.0.sign_in_email.take(&key, 1))
    }

    /// A failed sign-in for `email`.
    pub fn sign_in_failed(&self, email: &str, now: Instant) -> Failure {
        if lockout::key(email).is_empty() {
            return Failure::Counted {
                delay: Duration::ZERO,
            };
        }
        let failure = self.lockout().failed(email, now);
        if matches!(failure, Failure::Locked { .. }) {
            self.0.metrics.account_locked();
        }
        failure
    }

    /// A right password: earlier failures for `email` are forgiven.
    pub fn signed_in(&self, email: &str) {
        self.lockout().succeeded(email);
    }
}

/// Counts a failed sign-in for the typed `email` (by `actor`, the account
/// it belongs to, if any), records the lock it may cause, then waits out
/// the slowdown before the caller answers 401.
pub async fn failed(
    limits: &Limits,
    audit: &AuditLog,
    email: &str,
    actor: Option<i64>,
    ip: Option<String>,
    now: Now,
) {
    match limits.sign_in_failed(email, Instant::now()) {
        Failure::Counted { delay } => {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
        }
        Failure::Locked { after, lock_for } => {
            tracing::warn!(employee = actor, "sign-in locked after repeated failures");
            let entry = Entry {
                actor,
                action: AuditAction::AccountLocked,
                subjects: actor
                    .map(|id| Subject {
                        employee_id: id,
                        photo_version_id: None,
                    })
                    .into_iter()
                    .collect(),
                detail: lock_detail(email, after, lock_for),
                ip,
            };
            audit.record(now.timestamp(), entry).await;
        }
    }
}

fn lock_detail(email: &str, after: u32, lock_for: Duration) -> String {
    let shown: String = email.trim().chars().take(MAX_LOGGED_EMAIL).collect();
    let secs = lock_for.as_secs();
    let duration = if secs.is_multiple_of(60) {
        format!("{} min", secs / 60)
    } else {
        format!("{secs} s")
    };
    // Debug-quoted, as for failed sign-ins: control characters stay visible.
    format!("Sign-in locked for {duration} after {after} failed attempts; email typed: {shown:?}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::limits::LimitSettings;
    use crate::error::AppError;

    fn limits() -> Limits {
        Limits::new(&LimitSettings {
            lockout_failures: 2,
            sign_ins_per_address: 3,
            ..LimitSettings::default()
        })
    }

    #[test]
    fn a_locked_email_is_refused_known_or_not_until_the_lock_ends() {
        let limits = limits();
        let now = Instant::now();
        for email in ["ann@x.example", "nobody@x.example"] {
            assert!(matches!(
                limits.sign_in_failed(email, now),
                Failure::Counted { .. }
            ));
            assert!(matches!(
                limits.sign_in_failed(email, now),
                Failure::Locked { .. }
            ));
            let refused = limits.sign_in_attempt(&email.to_uppercase(), None, now);
            assert!(
                matches!(refused, Err(AppError::RateLimited { .. })),
                "{email}"
            );
            let later = now + Duration::from_secs(901);
            assert!(limits.sign_in_attempt(email, None, later).is_ok());
        }
        assert!(limits
            .metrics()
            .render()
            .contains("lanyard_accounts_locked_total 2"));
    }

    #[test]
    fn one_address_is_limited_whatever_emails_it_tries() {
        let limits = limits();
        let now = Instant::now();
        for n in 0..3 {
            let email = format!("person{n}@x.example");
            assert!(limits
                .sign_in_attempt(&email, Some("10.0.0.1"), now)
                .is_ok());
        }
        let refused = limits.sign_in_attempt("more@x.example", Some("10.0.0.1"), now);
        assert!(matches!(refused, Err(AppError::RateLimited { .. })));
        assert!(limits
            .sign_in_attempt("more@x.example", Some("10.0.0.2"), now)
            .is_ok());
    }

    #[test]
    fn an_empty_email_is_never_locked() {
        let limits = limits();
        let now = Instant::now();
        for _ in 0..5 {
            limits.sign_in_failed("  ", now);
        }
        assert!(limits.sign_in_attempt("", None, now).is_ok());
    }

    #[test]
    fn the_lock_entry_says_how_long_and_after_how_many() {
        assert_eq!(
            lock_detail(" Ann@x\n ", 5, Duration::from_secs(900)),
            "Sign-in locked for 15 min after 5 failed attempts; email typed: \"Ann@x\""
        );
        assert_eq!(
            lock_detail("a", 3, Duration::from_secs(2)),
            "Sign-in locked for 2 s after 3 failed attempts; email typed: \"a\""
        );
    }
}
