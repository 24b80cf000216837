//! Logging: `tracing` to stderr, filtered by `RUST_LOG` (default `info`).
//!
//! Some directives are always added on top of `RUST_LOG`, whatever it says:
//! s3s logs every 4xx answer of the embedded store (an expired or tampered
//! URL is a normal event, not an error) at ERROR, and s3s, reqwest, hyper and
//! tower-sessions log request URIs or session ids at DEBUG, which would put
//! presigned signatures and session tokens in the log.

use tracing_subscriber::filter::{Directive, EnvFilter};
use tracing_subscriber::fmt;
use tracing_subscriber::prelude::*;

/// Directives that keep credentials and expected 4xx noise out of the log.
const ALWAYS: &[&str] = &[
    "s3s=warn",
    // s3s::ops logs each refused request (4xx) at ERROR; its 5xx answers are
    // still logged by s3s::service.
    "s3s::ops=off",
    "s3s::service=error",
    "s3s_fs=warn",
    "reqwest=warn",
    "hyper=warn",
    "hyper_util=warn",
    // h2 traces decoded header blocks: the store client's SigV4
    // `Authorization` would be among them over an HTTP/2 endpoint.
    "h2=warn",
    "tower_sessions=warn",
    "tower_sessions_core=warn",
    "tower_sessions_sqlx_store=warn",
    "sqlx=warn",
    // sqlx logs each slow statement whole at WARN: the seed's bulk inserts
    // would flood the log with thousands of placeholders.
    "sqlx::query=error",
];

/// The filter: `RUST_LOG` (or `default`) plus [`ALWAYS`].
pub fn filter(default: &str) -> EnvFilter {
    let base = std::env::var("RUST_LOG").unwrap_or_else(|_| default.to_owned());
    let mut filter = EnvFilter::builder()
        .parse(&base)
        .unwrap_or_else(|_| EnvFilter::new(default));
    for directive in ALWAYS {
        if let Ok(directive) = directive.parse::<Directive>() {
            filter = filter.add_directive(directive);
        }
    }
    filter
}

/// Installs the global subscriber; a second call (tests) is a no-op.
pub fn init(default: &str) {
    let _ = tracing_subscriber::registry()
        .with(filter(default))
        .with(fmt::layer().with_writer(std::io::stderr).with_target(true))
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_forced_directive_parses() {
        for directive in ALWAYS {
            assert!(directive.parse::<Directive>().is_ok(), "{directive}");
        }
    }
}
