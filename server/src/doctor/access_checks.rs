//! How the store is reached (https) and what the credentials can do (the
//! probe's outcome).

use super::evaluate::{
    AnonymousRead, ProbeOutcome, Step, Target, ANONYMOUS_REFUSED, CAN_DELETE, CAN_READ, CAN_WRITE,
    HTTPS, MISSING_IS_404, PRESIGNED_GET, PRODUCTION_DOC,
};
use super::report::Check;

/// Plain HTTP carries every signed URL and every photo in clear; only a
/// store on this machine's loopback interface can do without TLS.
pub fn https(target: &Target) -> Check {
    let public_https = scheme_is_https(&target.public_endpoint);
    if let Some(embedded) = &target.embedded {
        return if public_https {
            Check::pass(
                HTTPS,
                "browsers reach the embedded store through https (LANYARD_S3_PUBLIC_URL)",
            )
        } else if embedded.configured_addr.ip().is_loopback() {
            Check::not_applicable(
                HTTPS,
                format!(
                    "the embedded store serves plain HTTP on loopback only ({})",
                    embedded.configured_addr
                ),
            )
        } else {
            Check::fail(
                HTTPS,
                format!(
                    "the embedded store serves plain HTTP on {}, reachable from the network",
                    embedded.configured_addr
                ),
                "keep LANYARD_EMBEDDED_S3_ADDR on 127.0.0.1, or put a TLS proxy in front and set \
                 LANYARD_S3_PUBLIC_URL=https://…; in production use an S3 endpoint over https",
            )
        };
    }
    let endpoints = [
        ("AWS_ENDPOINT_URL_S3", &target.endpoint),
        ("LANYARD_S3_PUBLIC_URL", &target.public_endpoint),
    ];
    let plain: Vec<&str> = endpoints
        .iter()
        .filter(|(_, url)| !scheme_is_https(url))
        .map(|(name, _)| *name)
        .collect();
    let exposed: Vec<&str> = endpoints
        .iter()
        .filter(|(_, url)| !scheme_is_https(url) && !host_is_loopback(url))
        .map(|(name, _)| *name)
        .collect();
    if plain.is_empty() {
        Check::pass(HTTPS, "the store and the URLs browsers get use https")
    } else if exposed.is_empty() {
        Check::not_applicable(
            HTTPS,
            "plain HTTP, but only to a store on this machine's loopback",
        )
    } else {
        Check::fail(
            HTTPS,
            format!(
                "{} {} plain HTTP: signed URLs and photos travel in clear",
                exposed.join(" and "),
                if exposed.len() == 1 { "uses" } else { "use" }
            ),
            "use the store's https endpoint (AWS: https://s3.REGION.amazonaws.com)",
        )
    }
}

fn scheme_is_https(url: &str) -> bool {
    url.trim()
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}

fn host_is_loopback(url: &str) -> bool {
    let Ok(uri) = url.trim().parse::<http::Uri>() else {
        return false;
    };
    let host = uri
        .host()
        .unwrap_or_default()
        .trim_start_matches('[')
        .trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The credential checks from the probe.
pub fn probe_checks(probe: &ProbeOutcome) -> [Check; 6] {
    let key = &probe.key;
    let step = |name: &'static str, step: &Step, done: String, fix: &str| match step {
        Step::Done => Check::pass(name, done),
        Step::Failed(why) => Check::fail(name, why.clone(), fix),
        Step::Skipped(why) => Check::not_applicable(name, format!("not tried: {why}")),
    };
    let anonymous = match &probe.anonymous_get {
        AnonymousRead::Refused(status) => Check::pass(
            ANONYMOUS_REFUSED,
            format!("an unsigned GET of {key} was answered {status}"),
        ),
        AnonymousRead::Served(status) => Check::fail(
            ANONYMOUS_REFUSED,
            format!("an unsigned GET of {key} was answered {status}: the objects are public"),
            "remove public ACLs and Allow statements for \"*\", and block public access",
        ),
        AnonymousRead::Failed(why) => Check::fail(
            ANONYMOUS_REFUSED,
            format!("the unsigned GET got no answer: {why}"),
            "check that the store is reachable",
        ),
        AnonymousRead::Skipped(why) => {
            Check::not_applicable(ANONYMOUS_REFUSED, format!("not tried: {why}"))
        }
    };
    let grant = |action: &str| {
        format!("grant {action} on arn:aws:s3:::BUCKET/doctor/* (and photos/*, uploads/*): {PRODUCTION_DOC}")
    };
    [
        step(
            CAN_WRITE,
            &probe.put,
            format!("PUT {key}"),
            &grant("s3:PutObject"),
        ),
        step(
            CAN_READ,
            &probe.get,
            format!("GET {key} returned what was written"),
            &grant("s3:GetObject"),
        ),
        step(
            PRESIGNED_GET,
            &probe.presigned_get,
            "a URL signed like the browsers' fetched the probe".to_owned(),
            "check LANYARD_S3_PUBLIC_URL (its host is signed into every URL) and the clocks",
        ),
        anonymous,
        step(
            CAN_DELETE,
            &probe.delete,
            format!("DELETE {key}: the probe is gone"),
            &grant("s3:DeleteObject"),
        ),
        step(
            MISSING_IS_404,
            &probe.missing_get,
            "a key never written answers 404 Not Found".to_owned(),
            &format!(
                "grant s3:ListBucket on arn:aws:s3:::BUCKET: without it S3 answers 403 for a \
                 missing key, and Lanyard cannot tell a photo not uploaded yet from a refusal \
                 ({PRODUCTION_DOC})"
            ),
        ),
    ]
}
