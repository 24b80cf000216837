//! Who may get how much, how fast, across every replica: per-person limits
//! on photo URLs and uploads, per-email and per-address limits on signing
//! in, the sign-in failure throttle, and scraping detection. A limit
//! exceeded answers 429 `rate_limited` with `Retry-After`
//! ([`AppError::RateLimited`]).
//!
//! The counts live in the database ([`shared`]: one GCRA row per key,
//! updated by one statement), so N replicas allow what one would, not N
//! times it. Scraping is judged from the audit log, which every replica
//! writes before it answers.
//!
//! Photo URLs are limited by the URLs granted, not by requests: the URL is
//! the credential, and requests differ a hundredfold in what they grant (a
//! profile signs a few, a directory page up to 100, the SPA's healer
//! re-signs up to 200 at once). A request counts its URLs once they are
//! signed, just before answering; a refused answer's URLs are dropped unsent
//! and unaudited. Uploads are limited by requests (new upload, fresh URL,
//! completion): each is a URL or an image check, whatever its size.

/// Counters and the operators' `/metrics` listener.
pub mod metrics;
/// Photos of unusually many people in a short time.
pub mod scraping;
/// The GCRA in the database.
pub mod shared;
/// What signing in checks and records: rates and the failure throttle.
pub mod sign_in;

use crate::audit::{AuditLog, Entry, Grants};
use crate::config::limits::LimitSettings;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::extract::Now;
use lanyard_wire::AuditAction;
use metrics::{Limited, Metrics};
use scraping::Scraping;
use shared::Quota;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// Sign-in attempts for one email allowed at once. Failures are counted
/// once their password check is done, so attempts sent in parallel all pass
/// the throttle's check; this bounds how many can.
const SIGN_IN_BURST: u32 = 10;

/// How often idle local state is forgotten.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// The limits. Cheap to clone.
#[derive(Clone)]
pub struct Limits(Arc<Inner>);

struct Inner {
    db: Db,
    urls: Quota,
    uploads: Quota,
    scim: Quota,
    sign_in_email: Quota,
    sign_in_address: Quota,
    /// Failures of one account from one address.
    failures: Quota,
    /// Failures of one account from everywhere.
    account_failures: Quota,
    scraping: Mutex<Scraping>,
    metrics: Metrics,
    /// Benchmarks only: nothing is counted (`LANYARD_BENCH_RELAXED`).
    relaxed: bool,
}

impl Limits {
    pub fn new(db: Db, settings: &LimitSettings) -> Self {
        let scraping = scraping::Policy {
            people: u64::from(settings.scraping_people),
            window: settings.scraping_window,
        };
        Self(Arc::new(Inner {
            db,
            urls: Quota::per_minute(settings.urls_per_minute),
            uploads: Quota::per_minute(settings.uploads_per_minute),
            scim: Quota::per_minute(settings.scim_per_minute),
            sign_in_email: Quota {
                burst: SIGN_IN_BURST.min(settings.sign_ins_per_email),
                ..Quota::per_minute(settings.sign_ins_per_email)
            },
            sign_in_address: Quota::per_minute(settings.sign_ins_per_address),
            failures: Quota {
                count: settings.sign_in_failures,
                per: settings.sign_in_failure_window,
                burst: settings.sign_in_failures,
            },
            account_failures: Quota {
                count: settings.sign_in_failures_per_account,
                per: Duration::from_secs(3600),
                burst: settings.sign_in_failures_per_account,
            },
            scraping: Mutex::new(Scraping::new(scraping)),
            metrics: Metrics::new(),
            relaxed: false,
        }))
    }

    /// Benchmarks only: limits that count nothing and never refuse.
    #[must_use]
    pub fn relaxed(self, relaxed: bool) -> Self {
        match Arc::try_unwrap(self.0) {
            Ok(mut inner) => {
                inner.relaxed = relaxed;
                Self(Arc::new(inner))
            }
            Err(shared) => {
                assert!(!relaxed, "Limits::relaxed before the limits are shared");
                Self(shared)
            }
        }
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    /// Counts `urls` photo URLs granted to `user` at `now_ms`.
    pub async fn urls(&self, user: i64, urls: usize, now_ms: i64) -> AppResult<()> {
        let cost = u32::try_from(urls).unwrap_or(u32::MAX);
        self.take(
            Limited::Urls,
            &format!("urls:{user}"),
            self.0.urls,
            cost,
            now_ms,
        )
        .await
    }

    /// Counts one upload request (new upload, fresh URL, completion) by `user`.
    pub async fn upload(&self, user: i64, now: Now) -> AppResult<()> {
        let key = format!("uploads:{user}");
        self.take(Limited::Uploads, &key, self.0.uploads, 1, now.timestamp().0)
            .await
    }

    /// Counts one SCIM request made with the token named `token`.
    pub async fn scim(&self, token: &str, now_ms: i64) -> AppResult<()> {
        let key = format!("scim:{token}");
        self.take(Limited::Scim, &key, self.0.scim, 1, now_ms).await
    }

    async fn take(
        &self,
        limited: Limited,
        key: &str,
        quota: Quota,
        cost: u32,
        now_ms: i64,
    ) -> AppResult<()> {
        if self.0.relaxed {
            return Ok(());
        }
        let taken = shared::take(&self.0.db, key, quota, cost, now_ms).await?;
        self.check(limited, taken)
    }

    fn check(&self, limited: Limited, taken: Result<(), Duration>) -> AppResult<()> {
        taken.map_err(|retry_after| {
            self.0.metrics.rate_limited(limited);
            AppError::RateLimited { retry_after }
        })
    }

    fn scraping(&self) -> MutexGuard<'_, Scraping> {
        lock(&self.0.scraping)
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
                limits.scraping().prune(Instant::now());
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
/// over, and nothing is granted or audited), records the grant in the
/// audit log (committed before the answer goes), and watches for scraping.
/// Every answer that signs photo URLs for a person goes through here just
/// before it is sent.
pub async fn grant(
    limits: &Limits,
    audit: &AuditLog,
    user: i64,
    ip: Option<String>,
    now: Now,
    grants: Grants,
) -> AppResult<()> {
    limits
        .urls(user, grants.url_count(), now.timestamp().0)
        .await?;
    let seen: Vec<i64> = grants.people().collect();
    let people = seen.len();
    audit
        .urls_granted(now.timestamp(), user, ip.clone(), grants)
        .await?;
    if limits.0.relaxed {
        return Ok(());
    }
    // The guard is dropped before any await (it is no `Send`).
    let (fresh, due, policy) = {
        let mut scraping = limits.scraping();
        let at = Instant::now();
        (
            scraping.fresh(user, &seen, at),
            scraping.due(user, people, at),
            scraping.policy(),
        )
    };
    if !fresh.is_empty() {
        scraping::note(&limits.0.db, user, &fresh, now.timestamp().0).await?;
    }
    if due {
        if let Some(flag) = scraping::judge(&limits.0.db, policy, user, now).await? {
            limits.0.metrics.scraping_flagged();
            tracing::warn!(employee = user, "flagged for possible scraping");
            let entry = Entry {
                actor: Some(user),
                action: AuditAction::ScrapingFlagged,
                subjects: Vec::new(),
                detail: flag.detail(),
                ip,
            };
            audit.record(now.timestamp(), entry).await?;
        }
    }
    Ok(())
}
