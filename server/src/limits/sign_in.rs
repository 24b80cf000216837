//! What signing in asks of the limits, after NIST SP 800-63B (5.2.2): no
//! hard lock anyone could use to lock a colleague out, but throttling.
//!
//! - Attempts: per client address and per typed email, a few a second at
//!   most.
//! - Failures: per (account, address) a handful within a window, after
//!   which *that address* waits before trying that account again; and per
//!   account, from everywhere, a ceiling far above a person's own mistakes,
//!   which only guessing from many addresses reaches. A right password
//!   forgives that address's failures.
//!
//! All of it is shared by every replica ([`super::shared`]). Nothing here
//! depends on whether the email belongs to anyone: an unknown email is
//! counted and throttled exactly like a known one, so neither the answers
//! nor their timing tell a stranger who works here.

use super::metrics::Limited;
use super::{shared, Limits};
use crate::audit::{AuditLog, Entry, Subject};
use crate::error::AppResult;
use crate::extract::Now;
use lanyard_wire::AuditAction;
use std::time::Duration;

/// The most of a typed email the throttle's audit entry keeps.
const MAX_LOGGED_EMAIL: usize = 120;
/// The longest key kept: no email is longer than 254 characters.
const MAX_KEY_CHARS: usize = 320;

/// The key for a typed email: trimmed, ASCII-lowercased as the database
/// compares emails.
pub fn account_key(email: &str) -> String {
    let trimmed: String = email.trim().chars().take(MAX_KEY_CHARS).collect();
    crate::db::nocase(&trimmed)
}

fn address_key(ip: Option<&str>) -> &str {
    ip.unwrap_or("unknown")
}

impl Limits {
    /// Before checking a password: 429 when the client's address or the
    /// typed email has tried too often, or this account is throttled for
    /// this address or overall (then the password is never looked at, even
    /// a right one).
    pub async fn sign_in_attempt(&self, email: &str, ip: Option<&str>, now: Now) -> AppResult<()> {
        let now_ms = now.timestamp().0;
        if let Some(ip) = ip {
            let key = format!("sign-in:address:{ip}");
            self.take(
                Limited::SignInAddress,
                &key,
                self.0.sign_in_address,
                1,
                now_ms,
            )
            .await?;
        }
        let account = account_key(email);
        if account.is_empty() {
            return Ok(());
        }
        let db = &self.0.db;
        let pair = format!("sign-in:fail:{account}:{}", address_key(ip));
        let throttled = shared::peek(db, &pair, self.0.failures, now_ms).await?;
        self.check(Limited::SignInThrottled, throttled)?;
        let everywhere = format!("sign-in:fail:{account}");
        let throttled = shared::peek(db, &everywhere, self.0.account_failures, now_ms).await?;
        self.check(Limited::SignInThrottled, throttled)?;
        let key = format!("sign-in:email:{account}");
        self.take(Limited::SignInEmail, &key, self.0.sign_in_email, 1, now_ms)
            .await
    }

    /// Counts a failed sign-in for `email` from `ip`; how long that
    /// throttles, when this failure used up the last try it had.
    pub async fn sign_in_failed(
        &self,
        email: &str,
        ip: Option<&str>,
        now: Now,
    ) -> AppResult<Option<Duration>> {
        let account = account_key(email);
        if account.is_empty() {
            return Ok(None);
        }
        let (db, now_ms) = (&self.0.db, now.timestamp().0);
        let mut throttles = None;
        for (key, quota) in [
            (
                format!("sign-in:fail:{account}:{}", address_key(ip)),
                self.0.failures,
            ),
            (format!("sign-in:fail:{account}"), self.0.account_failures),
        ] {
            // A failure while throttled was refused before its password
            // was checked; one that just fits may be the last.
            if shared::take(db, &key, quota, 1, now_ms).await?.is_ok() {
                if let Err(wait) = shared::peek(db, &key, quota, now_ms).await? {
                    throttles = Some(throttles.map_or(wait, |w: Duration| w.max(wait)));
                }
            }
        }
        if throttles.is_some() {
            self.0.metrics.sign_in_throttled();
        }
        Ok(throttles)
    }

    /// A right password: this address's failures for `email` are forgiven.
    pub async fn signed_in(&self, email: &str, ip: Option<&str>) -> AppResult<()> {
        let key = format!("sign-in:fail:{}:{}", account_key(email), address_key(ip));
        shared::forget(&self.0.db, &key).await?;
        Ok(())
    }
}

/// Counts a failed sign-in for the typed `email` (by `actor`, the account
/// it belongs to, if any), and records the throttle it may start.
pub async fn failed(
    limits: &Limits,
    audit: &AuditLog,
    email: &str,
    actor: Option<i64>,
    ip: Option<String>,
    now: Now,
) -> AppResult<()> {
    let Some(wait) = limits.sign_in_failed(email, ip.as_deref(), now).await? else {
        return Ok(());
    };
    tracing::warn!(
        employee = actor,
        "sign-in throttled after repeated failures"
    );
    let entry = Entry {
        actor,
        action: AuditAction::SignInThrottled,
        subjects: actor
            .map(|id| Subject {
                employee_id: id,
                photo_version_id: None,
            })
            .into_iter()
            .collect(),
        detail: throttle_detail(email, wait),
        ip,
    };
    audit.record(now.timestamp(), entry).await
}

fn throttle_detail(email: &str, wait: Duration) -> String {
    let shown: String = email.trim().chars().take(MAX_LOGGED_EMAIL).collect();
    let secs = wait.as_secs().max(1);
    let duration = if secs >= 60 {
        format!("{} min", secs.div_ceil(60))
    } else {
        format!("{secs} s")
    };
    // Debug-quoted, as for failed sign-ins: control characters stay visible.
    format!(
        "Sign-in throttled for about {duration} after repeated failures; email typed: {shown:?}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::limits::LimitSettings;
    use crate::db::Db;
    use crate::error::AppError;
    use std::time::{SystemTime, UNIX_EPOCH};

    async fn limits() -> (Limits, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("limits.db").display());
        let db = Db::connect(&url).await.unwrap();
        let settings = LimitSettings {
            sign_in_failures: 2,
            sign_in_failures_per_account: 5,
            sign_ins_per_address: 1000,
            sign_ins_per_email: 1000,
            ..LimitSettings::default()
        };
        (Limits::new(db, &settings), dir)
    }

    fn at(secs: u64) -> Now {
        Now(UNIX_EPOCH + Duration::from_secs(secs))
    }

    fn limited(result: AppResult<()>) -> bool {
        matches!(result, Err(AppError::RateLimited { .. }))
    }

    #[tokio::test]
    async fn failures_throttle_the_address_for_that_account_only() {
        let (limits, _dir) = limits().await;
        let t = at(1_000_000);
        let (ann, bob) = ("Ann@x.example", "bob@x.example");
        assert_eq!(
            limits
                .sign_in_failed(ann, Some("10.0.0.1"), t)
                .await
                .unwrap(),
            None
        );
        assert!(limits
            .sign_in_failed(ann, Some("10.0.0.1"), t)
            .await
            .unwrap()
            .is_some());
        assert!(limited(
            limits
                .sign_in_attempt("ann@X.example", Some("10.0.0.1"), t)
                .await
        ));
        // The colleague at another desk is not locked out, nor is another
        // account from that address.
        assert!(limits
            .sign_in_attempt(ann, Some("10.0.0.2"), t)
            .await
            .is_ok());
        assert!(limits
            .sign_in_attempt(bob, Some("10.0.0.1"), t)
            .await
            .is_ok());
        // The window refills: a try a while later.
        assert!(limits
            .sign_in_attempt(ann, Some("10.0.0.1"), at(1_000_000 + 451))
            .await
            .is_ok());
    }

    #[tokio::test]
    async fn failures_from_everywhere_meet_the_accounts_ceiling() {
        let (limits, _dir) = limits().await;
        let t = at(2_000_000);
        for n in 0..5 {
            limits
                .sign_in_failed("ann@x.example", Some(&format!("10.1.0.{n}")), t)
                .await
                .unwrap();
        }
        assert!(limited(
            limits
                .sign_in_attempt("ann@x.example", Some("10.9.9.9"), t)
                .await
        ));
        assert!(limits
            .sign_in_attempt("bob@x.example", Some("10.9.9.9"), t)
            .await
            .is_ok());
    }

    #[tokio::test]
    async fn a_right_password_forgives_that_addresss_failures() {
        let (limits, _dir) = limits().await;
        let t = at(3_000_000);
        limits
            .sign_in_failed("ann@x.example", Some("10.0.0.1"), t)
            .await
            .unwrap();
        limits
            .signed_in("ann@x.example", Some("10.0.0.1"))
            .await
            .unwrap();
        assert_eq!(
            limits
                .sign_in_failed("ann@x.example", Some("10.0.0.1"), t)
                .await
                .unwrap(),
            None
        );
    }

    #[tokio::test]
    async fn an_empty_email_is_never_throttled() {
        let (limits, _dir) = limits().await;
        let t = at(4_000_000);
        for _ in 0..5 {
            assert_eq!(limits.sign_in_failed("  ", None, t).await.unwrap(), None);
        }
        assert!(limits.sign_in_attempt("", None, t).await.is_ok());
    }

    #[test]
    fn the_entry_says_for_how_long() {
        assert_eq!(
            throttle_detail(" Ann@x\n ", Duration::from_secs(450)),
            "Sign-in throttled for about 8 min after repeated failures; email typed: \"Ann@x\""
        );
        assert_eq!(
            throttle_detail("a", Duration::from_millis(1500)),
            "Sign-in throttled for about 1 s after repeated failures; email typed: \"a\""
        );
        let _ = SystemTime::now();
    }
}
