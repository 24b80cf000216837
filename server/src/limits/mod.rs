//! Who may get how much, how fast: per-person limits on photo URLs and
//! uploads, per-email and per-address limits on signing in, the lockout
//! after failed sign-ins, and scraping detection. A limit exceeded answers
//! 429 `rate_limited` with `Retry-After` ([`AppError::RateLimited`]).
//!
//! Photo URLs are limited by the URLs granted, not by requests: the URL is
//! the credential, and requests differ a hundredfold in what they grant (a
//! profile signs a few, a directory page up to 100, the SPA's healer
//! re-signs up to 200 at once). A request counts its URLs once they are
//! signed, just before answering; a refused answer's URLs are dropped unsent
//! and unaudited. Uploads are limited by requests (new upload, fresh URL,
//! completion): each is a URL or an image check, whatever its size.
//!
//! Everything here is in memory: a restart forgets the counts and the
//! locks. The pieces with rules ([`lockout`], [`scraping`]) are Sans-IO and
//! take the clock as an argument; [`rate`] is `governor`'s GCRA.

/// Failed sign-ins: slow down, then lock.
pub mod lockout;
/// Counters and the operators' `/metrics` listener.
pub mod metrics;
/// One keyed rate limit.
mod rate;
/// Photos of unusually many people in a short time.
pub mod scraping;
/// What signing in checks and records.
pub mod sign_in;

use crate::audit::{AuditLog, Entry, Grants};
use crate::config::limits::LimitSettings;
use crate::error::{AppError, AppResult};
use crate::extract::Now;
use lanyard_wire::AuditAction;
use lockout::Lockout;
use metrics::{Limited, Metrics};
use rate::Rate;
use scraping::Scraping;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// Sign-in attempts for one email allowed at once. Failures are counted
/// once their password check is done, so attempts sent in parallel all pass
/// the lockout's check; this bounds how many can before the lock lands.
const SIGN_IN_BURST: u32 = 10;

/// How often idle keys, ended locks and idle users are forgotten.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// The limits and what they remember. Cheap to clone.
#[derive(Clone)]
pub struct Limits(Arc<Inner>);

struct Inner {
    urls: Rate<i64>,
    uploads: Rate<i64>,
    sign_in_email: Rate<String>,
    sign_in_address: Rate<String>,
    lockout: Mutex<Lockout>,
    scraping: Mutex<Scraping>,
    metrics: Metrics,
}

impl Limits {
    pub fn new(settings: &LimitSettings) -> Self {
        let lockout = lockout::Policy {
            failures: settings.lockout_failures.max(1),
            window: settings.lockout_window,
            lock_for: settings.lockout_duration,
            slowdown: Duration::from_millis(settings.sign_in_slowdown_ms),
        };
        let scraping = scraping::Policy {
            people: usize::try_from(settings.scraping_people).unwrap_or(usize::MAX),
            window: settings.scraping_window,
        };
        Self(Arc::new(Inner {
            urls: Rate::per_minute(settings.urls_per_minute),
            uploads: Rate::per_minute(settings.uploads_per_minute),
            sign_in_email: Rate::per_minute_at_most(settings.sign_ins_per_email, SIGN_IN_BURST),
            sign_in_address: Rate::per_minute(settings.sign_ins_per_address),
            lockout: Mutex::new(Lockout::new(lockout)),
            scraping: Mutex::new(Scraping::new(scraping)),
            metrics: Metrics::new(),
        }))
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    /// Counts `urls` photo URLs granted to `user`.
    pub fn urls(&self, user: i64, urls: usize) -> AppResult<()> {
        self.check(Limited::Urls, self.0.urls.take(&user, urls))
    }

    /// Counts one upload request (new upload, fresh URL, completion) by `user`.
    pub fn upload(&self, user: i64) -> AppResult<()> {
        self.check(Limited::Uploads, self.0.uploads.take(&user, 1))
    }

    fn check(&self, limited: Limited, taken: Result<(), Duration>) -> AppResult<()> {
        taken.map_err(|retry_after| {
            self.0.metrics.rate_limited(limited);
            AppError::RateLimited { retry_after }
        })
    }

    /// Notes the people `user` was granted photos of; a flag when that
    /// makes unusually many within the window.
    pub fn scraped(
        &self,
        user: i64,
        people: impl IntoIterator<Item = i64>,
        now: Instant,
    ) -> Option<scraping::Flag> {
        let flag = lock(&self.0.scraping).note(user, people, now);
        if flag.is_some() {
            self.0.metrics.scraping_flagged();
        }
        flag
    }

    fn lockout(&self) -> MutexGuard<'_, Lockout> {
        lock(&self.0.lockout)
    }

    /// Forgets idle keys, ended locks and idle users.
    pub fn prune(&self, now: Instant) {
        let inner = &self.0;
        for rate in [&inner.urls, &inner.uploads] {
            rate.prune();
        }
        for rate in [&inner.sign_in_email, &inner.sign_in_address] {
            rate.prune();
        }
        self.lockout().prune(now);
        lock(&inner.scraping).prune(now);
        tracing::debug!(
            users = inner.urls.tracked(),
            emails = self.lockout().tracked(),
            "pruned the rate limits"
        );
    }

    /// Starts the pruner and, when `metrics_addr` is set, the metrics listener.
    pub async fn start(&self, metrics_addr: Option<SocketAddr>) -> anyhow::Result<Background> {
        let metrics = match metrics_addr {
            Some(addr) => Some(self.0.metrics.serve(addr).await?),
            None => None,
        };
        let limits = self.clone();
        let pruner = tokio::spawn(async move {
            let mut every = tokio::time::interval(PRUNE_EVERY);
            loop {
                every.tick().await;
                limits.prune(Instant::now());
            }
        });
        Ok(Background { pruner, metrics })
    }
}

/// A poisoned lock only means a panic mid-update of counters: go on with them.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The tasks [`Limits::start`] started.
pub struct Background {
    pruner: JoinHandle<()>,
    metrics: Option<(SocketAddr, JoinHandle<()>)>,
}

impl Background {
    /// Where `GET /metrics` is served, when it is.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().map(|(addr, _)| *addr)
    }

    pub fn stop(&self) {
        self.pruner.abort();
        if let Some((_, task)) = &self.metrics {
            task.abort();
        }
    }
}

/// Hands `grants` to `user`: counts its URLs against their limit (429 when
/// over, and nothing is granted or audited), watches for scraping, and
/// records the grant in the audit log. Every answer that signs photo URLs
/// for a person goes through here just before it is sent.
pub async fn grant(
    limits: &Limits,
    audit: &AuditLog,
    user: i64,
    ip: Option<String>,
    now: Now,
    grants: Grants,
) -> AppResult<()> {
    limits.urls(user, grants.url_count())?;
    if let Some(flag) = limits.scraped(user, grants.people(), Instant::now()) {
        tracing::warn!(employee = user, "flagged for possible scraping");
        let entry = Entry {
            actor: Some(user),
            action: AuditAction::ScrapingFlagged,
            subjects: Vec::new(),
            detail: flag.detail(),
            ip: ip.clone(),
        };
        audit.record(now.timestamp(), entry).await;
    }
    audit.urls_granted(now.timestamp(), user, ip, grants).await;
    Ok(())
}
