//! Counters for operators: rate-limited answers by limit, throttled accounts,
//! sweeper passes,
//! scraping flags. Rendered as Prometheus text by `GET /metrics` on
//! `LANYARD_METRICS_ADDR`, a listener of its own (off by default), never on
//! the app's public router.
//!
//! Each server keeps its own recorder (not the process-wide one), so tests
//! running several servers in one process count apart.

use anyhow::Context as _;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const RATE_LIMITED: &str = "lanyard_rate_limited_total";
const SIGN_IN_THROTTLED: &str = "lanyard_sign_in_throttles_total";
const SWEEPS: &str = "lanyard_sweeps_total";
const SCRAPING_FLAGGED: &str = "lanyard_scraping_flagged_total";

/// Which limit answered 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    Urls,
    Uploads,
    /// A SCIM token's requests.
    Scim,
    SignInEmail,
    SignInAddress,
    /// A sign-in refused because the account is throttled (for that
    /// address, or overall).
    SignInThrottled,
}

impl Limited {
    const ALL: [Self; 6] = [
        Self::Urls,
        Self::Uploads,
        Self::Scim,
        Self::SignInEmail,
        Self::SignInAddress,
        Self::SignInThrottled,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Urls => "urls",
            Self::Uploads => "uploads",
            Self::Scim => "scim",
            Self::SignInEmail => "sign_in_email",
            Self::SignInAddress => "sign_in_address",
            Self::SignInThrottled => "sign_in_throttled",
        }
    }
}

/// The server's counters. Cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    recorder: Arc<PrometheusRecorder>,
    handle: PrometheusHandle,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Every counter registered at 0, so a scrape shows them from the start.
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        let metrics = Self {
            recorder: Arc::new(recorder),
            handle,
        };
        metrics.with(|| {
            metrics::describe_counter!(RATE_LIMITED, "Answers 429 rate_limited, by limit");
            metrics::describe_counter!(
                SIGN_IN_THROTTLED,
                "Accounts throttled after failed sign-ins (from one address or overall)"
            );
            metrics::describe_counter!(SWEEPS, "Sweeper passes this replica ran (under the lease)");
            metrics::describe_counter!(
                SCRAPING_FLAGGED,
                "People flagged for being granted photos of unusually many people"
            );
            for limited in Limited::ALL {
                metrics::counter!(RATE_LIMITED, "limit" => limited.label()).absolute(0);
            }
            metrics::counter!(SIGN_IN_THROTTLED).absolute(0);
            metrics::counter!(SWEEPS).absolute(0);
            metrics::counter!(SCRAPING_FLAGGED).absolute(0);
        });
        metrics
    }

    fn with(&self, record: impl FnOnce()) {
        metrics::with_local_recorder(&*self.recorder, record);
    }

    pub fn rate_limited(&self, limited: Limited) {
        self.with(|| metrics::counter!(RATE_LIMITED, "limit" => limited.label()).increment(1));
    }

    pub fn sign_in_throttled(&self) {
        self.with(|| metrics::counter!(SIGN_IN_THROTTLED).increment(1));
    }

    /// One sweeper pass ran here.
    pub fn swept(&self) {
        self.with(|| metrics::counter!(SWEEPS).increment(1));
    }

    pub fn scraping_flagged(&self) {
        self.with(|| metrics::counter!(SCRAPING_FLAGGED).increment(1));
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        self.handle.render()
    }

    /// Binds `addr` (so a bad address stops the start) and serves
    /// `GET /metrics` there; the bound address and the serving task.
    pub async fn serve(&self, addr: SocketAddr) -> anyhow::Result<(SocketAddr, JoinHandle<()>)> {
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("could not listen for metrics on {addr}"))?;
        let bound = listener
            .local_addr()
            .context("could not read the metrics address")?;
        let metrics = self.clone();
        let router = Router::new().route(
            "/metrics",
            get(move || {
                let text = metrics.render();
                async move { ([(CONTENT_TYPE, "text/plain; version=0.0.4")], text) }
            }),
        );
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::error!(%error, "the metrics listener failed");
            }
        });
        Ok((bound, task))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_start_at_zero_and_count_by_limit() {
        let metrics = Metrics::new();
        let text = metrics.render();
        assert!(
            text.contains("lanyard_rate_limited_total{limit=\"urls\"} 0"),
            "{text}"
        );
        assert!(text.contains("lanyard_sign_in_throttles_total 0"), "{text}");
        metrics.rate_limited(Limited::Urls);
        metrics.rate_limited(Limited::Urls);
        metrics.sign_in_throttled();
        metrics.swept();
        metrics.scraping_flagged();
        let text = metrics.render();
        assert!(
            text.contains("lanyard_rate_limited_total{limit=\"urls\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("lanyard_rate_limited_total{limit=\"uploads\"} 0"),
            "{text}"
        );
        assert!(text.contains("lanyard_sign_in_throttles_total 1"), "{text}");
        assert!(text.contains("lanyard_scraping_flagged_total 1"), "{text}");
        assert!(text.contains("lanyard_sweeps_total 1"), "{text}");
        // Another server's counters are its own.
        assert!(Metrics::new()
            .render()
            .contains("lanyard_sign_in_throttles_total 0"));
    }
}
