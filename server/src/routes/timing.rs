//! `server-timing` on directory answers: how long the server spent on them,
//! for the scale benchmark (scripts/bench-scale.sh) and browsers' developer
//! tools. Durations only, nothing about the data.
//!
//! `app` is the whole request inside the route (session lookup, handler,
//! JSON encoding); `db` is the part a handler reports it spent in queries.

use axum::extract::Request;
use axum::http::header::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::time::{Duration, Instant};

static SERVER_TIMING: HeaderName = HeaderName::from_static("server-timing");

/// Time a handler spent in the database; put in its response's extensions
/// (`axum::Extension(DbTime(…))`) for [`server_timing`] to report.
#[derive(Debug, Clone, Copy)]
pub struct DbTime(pub Duration);

/// Adds `server-timing: db;dur=…, app;dur=…` (milliseconds).
pub async fn server_timing(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let mut response = next.run(request).await;
    let db = response.extensions().get::<DbTime>().map(|t| t.0);
    let value = header_value(db, started.elapsed());
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().append(SERVER_TIMING.clone(), value);
    }
    response
}

fn header_value(db: Option<Duration>, app: Duration) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    match db {
        Some(db) => format!("db;dur={:.3}, app;dur={:.3}", ms(db), ms(app)),
        None => format!("app;dur={:.3}", ms(app)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_milliseconds() {
        assert_eq!(
            header_value(Some(Duration::from_micros(1500)), Duration::from_millis(3)),
            "db;dur=1.500, app;dur=3.000"
        );
        assert_eq!(
            header_value(None, Duration::from_micros(250)),
            "app;dur=0.250"
        );
    }
}
