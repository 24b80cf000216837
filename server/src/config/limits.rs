//! Rate limits, the sign-in throttle, scraping detection and where their
//! metrics are served: part of [`super::Config`] (flattened), in a file of
//! its own so the main configuration stays readable.
//!
//! Each rate is "so many per minute, and that many at once": a quota
//! refills steadily over a minute, so a burst that empties it waits a
//! fraction of a minute, not a whole one. The defaults are generous: a
//! person reading the directory, the SPA renewing a tab of 500 photos, the
//! e2e suite (which signs in as one person from one address dozens of
//! times) never meet them. The benchmarks that hammer one endpoint as one
//! person raise them (scripts/bench-directory.sh, bench-scale.sh).

use clap::Args;
use std::net::SocketAddr;
use std::time::Duration;

/// The settings. Every number is at least 1 (clap refuses 0).
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct LimitSettings {
    /// Photo URLs one person may be granted per minute (and at once): every
    /// answer that signs photo URLs counts the URLs it signs.
    #[arg(long = "rate-urls-per-minute", env = "LANYARD_RATE_URLS_PER_MINUTE", default_value = "3000", value_parser = per_minute)]
    pub urls_per_minute: u32,

    /// Upload requests (new upload, fresh upload URL, completion) one person may make per minute.
    #[arg(long = "rate-uploads-per-minute", env = "LANYARD_RATE_UPLOADS_PER_MINUTE", default_value = "30", value_parser = per_minute)]
    pub uploads_per_minute: u32,

    /// SCIM requests one provider's token may make per minute (and at once):
    /// enough for a first sync of thousands of people in minutes.
    #[arg(long = "rate-scim-per-minute", env = "LANYARD_RATE_SCIM_PER_MINUTE", default_value = "1200", value_parser = per_minute)]
    pub scim_per_minute: u32,

    /// Sign-in attempts per minute for one typed email, right or wrong.
    #[arg(long = "rate-sign-ins-per-email", env = "LANYARD_RATE_SIGN_INS_PER_EMAIL", default_value = "60", value_parser = per_minute)]
    pub sign_ins_per_email: u32,

    /// Sign-in attempts per minute from one client address (behind a proxy:
    /// the proxy's), right or wrong.
    #[arg(long = "rate-sign-ins-per-address", env = "LANYARD_RATE_SIGN_INS_PER_ADDRESS", default_value = "120", value_parser = per_minute)]
    pub sign_ins_per_address: u32,

    /// Failed sign-ins for one account from one client address within the
    /// failure window; past them that address is throttled for that account
    /// (others, and that address for other accounts, are not).
    #[arg(long = "rate-sign-in-failures", env = "LANYARD_RATE_SIGN_IN_FAILURES", default_value = "10", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub sign_in_failures: u32,

    /// The window, in seconds, those failures are counted in (they refill
    /// steadily over it).
    #[arg(long = "rate-sign-in-failure-window", env = "LANYARD_RATE_SIGN_IN_FAILURE_WINDOW", default_value = "900", value_parser = seconds)]
    pub sign_in_failure_window: Duration,

    /// Failed sign-ins for one account from everywhere per hour: a ceiling
    /// far above a person's own mistakes, against guessing from many addresses.
    #[arg(long = "rate-sign-in-failures-per-account", env = "LANYARD_RATE_SIGN_IN_FAILURES_PER_ACCOUNT", default_value = "100", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub sign_in_failures_per_account: u32,

    /// A person granted photos of more than this many distinct people within
    /// the scraping window is flagged (audit log and metrics).
    #[arg(long = "rate-scraping-people", env = "LANYARD_RATE_SCRAPING_PEOPLE", default_value = "2000", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub scraping_people: u32,

    /// The scraping window, in seconds.
    #[arg(long = "rate-scraping-window", env = "LANYARD_RATE_SCRAPING_WINDOW", default_value = "600", value_parser = seconds)]
    pub scraping_window: Duration,

    /// Serve Prometheus metrics (`GET /metrics`) on this address, for
    /// operators only: never on the app's own address [default: off].
    #[arg(long, env = "LANYARD_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,
}

impl Default for LimitSettings {
    /// The defaults above, as `Config::for_tests` starts from.
    fn default() -> Self {
        Self {
            urls_per_minute: 3000,
            uploads_per_minute: 30,
            scim_per_minute: 1200,
            sign_ins_per_email: 60,
            sign_ins_per_address: 120,
            sign_in_failures: 10,
            sign_in_failure_window: Duration::from_secs(900),
            sign_in_failures_per_account: 100,
            scraping_people: 2000,
            scraping_window: Duration::from_secs(600),
            metrics_addr: None,
        }
    }
}

/// The longest window or lock: a day.
const MAX_SECONDS: u64 = 24 * 3600;

fn per_minute(value: &str) -> Result<u32, String> {
    let n: u32 = value
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a whole number per minute"))?;
    if n == 0 {
        return Err("a rate must be at least 1 per minute".to_owned());
    }
    Ok(n)
}

fn seconds(value: &str) -> Result<Duration, String> {
    let secs: u64 = value
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a whole number of seconds"))?;
    if !(1..=MAX_SECONDS).contains(&secs) {
        return Err(format!(
            "{secs} is out of range: 1 to {MAX_SECONDS} seconds"
        ));
    }
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Only {
        #[command(flatten)]
        limits: LimitSettings,
    }

    fn parse(args: &[&str]) -> Result<LimitSettings, clap::Error> {
        let args = std::iter::once("lanyard").chain(args.iter().copied());
        Only::try_parse_from(args).map(|only| only.limits)
    }

    #[test]
    fn the_flag_defaults_are_the_code_defaults() {
        assert_eq!(parse(&[]).unwrap(), LimitSettings::default());
    }

    #[test]
    fn settings_parse_and_zero_is_refused() {
        let limits = parse(&[
            "--rate-urls-per-minute",
            "150",
            "--rate-sign-in-failure-window",
            "2",
            "--metrics-addr",
            "127.0.0.1:9100",
        ])
        .unwrap();
        assert_eq!(limits.urls_per_minute, 150);
        assert_eq!(limits.sign_in_failure_window, Duration::from_secs(2));
        assert_eq!(limits.metrics_addr, Some("127.0.0.1:9100".parse().unwrap()));
        assert!(parse(&["--rate-urls-per-minute", "0"]).is_err());
        assert!(parse(&["--rate-sign-in-failure-window", "0"]).is_err());
        assert!(parse(&["--rate-scraping-window", "86401"]).is_err());
        assert!(parse(&["--rate-sign-in-failures", "0"]).is_err());
    }
}
