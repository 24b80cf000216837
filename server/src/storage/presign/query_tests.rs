//! The hand-written fast paths against straightforward references: the
//! merged query against [`write_general`], the encoded comparison against
//! `percent_encoding`, and whole URLs against a canonical request built as
//! one string and signed with a freshly derived key.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::Method;
use percent_encoding::utf8_percent_encode;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use super::super::{canonical_headers, Presigner};
use super::*;
use crate::storage::sigv4::{derive_signing_key, hmac, Stamp};
use crate::storage::S3Settings;

/// Names that sort before, between and after the own `X-Amz-*` ones, need
/// encoding, or are reserved (and must be skipped), with values alike.
const NAMES: [&str; 14] = [
    "response-cache-control",
    "response-expires",
    "response-content-type",
    "policy",
    "Policy",
    "A",
    "X-Amz-Credentiam",
    "X-Amz-D",
    "X-Amz-Expires2",
    "x-amz-date",
    "X-AMZ-SIGNATURE",
    "a b~c",
    "\u{7f}ü",
    "",
];
const VALUES: [&str; 8] = [
    "private, immutable",
    "Thu, 26 Nov 2026 12:00:00 GMT",
    "",
    "text/plain",
    "a+b=c&d",
    "~tilde_-.",
    "フォト 😀",
    "\u{7f}~",
];
/// Texts whose encoded order differs from their raw order, among others.
const TEXTS: [&str; 16] = [
    "", "a", "A", "~", "\u{7f}", "%", " ", "-", "a b", "a~", "a\u{7f}", "ü", "ÿ", "😀", "Z", "z",
];

/// A small deterministic generator: the cases are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap() % n
    }

    fn extras(&mut self) -> Vec<(&'static str, &'static str)> {
        // Up to 6: past MERGE_MAX_EXTRAS too, and with repeated names.
        (0..self.below(7))
            .map(|_| {
                (
                    NAMES[self.below(NAMES.len())],
                    VALUES[self.below(VALUES.len())],
                )
            })
            .collect()
    }
}

#[test]
fn merge_matches_the_general_path() {
    let headers_sets = [
        canonical_headers("127.0.0.1:9000", &[]),
        canonical_headers(
            "example.com",
            &[("Content-Type", "image/jpeg"), ("content-length", "12")],
        ),
    ];
    let mut rng = Lcg(8);
    for case in 0..5_000 {
        let extras = rng.extras();
        let stamp = Stamp::new(UNIX_EPOCH + Duration::from_secs(case * 7_919_993));
        let own = OwnParams {
            credential_prefix: "AKIAIOSFODNN7EXAMPLE%2F",
            date: stamp.date(),
            credential_suffix: "%2Fus-east-1%2Fs3%2Faws4_request",
            date_time: stamp.date_time(),
            ttl_secs: [1, 900, 3_600, 604_800][rng.below(4)],
            headers: &headers_sets[rng.below(2)],
        };
        let (mut merged, mut general) = (String::new(), String::new());
        write_canonical_query(&mut merged, &own, &extras);
        write_general(&mut general, &own, &extras);
        assert_eq!(merged, general, "{extras:?}");
    }
}

#[test]
fn encoded_comparison_orders_like_the_encoded_text() {
    let encoded = |text| utf8_percent_encode(text, ENCODE).to_string();
    let texts: Vec<String> = TEXTS
        .iter()
        .map(|t| (*t).to_owned())
        .chain((0..=0x7f_u8).map(|byte| char::from(byte).to_string()))
        .chain(
            TEXTS
                .iter()
                .flat_map(|a| TEXTS.iter().map(move |b| format!("{a}{b}"))),
        )
        .collect();
    for a in &texts {
        for b in &texts {
            assert_eq!(
                cmp_encoded(a, b),
                encoded(a).cmp(&encoded(b)),
                "{a:?} vs {b:?}"
            );
        }
    }
}

#[test]
fn unreserved_bytes_are_those_the_encoder_keeps() {
    for byte in 0..=0x7f_u8 {
        let text = char::from(byte).to_string();
        let encoded = utf8_percent_encode(&text, ENCODE).to_string();
        assert_eq!(is_unreserved(byte), encoded == text, "{byte:#x}");
    }
}

#[test]
fn decimals() {
    for n in [0, 1, 9, 10, 99, 100, 604_800, u64::MAX] {
        let mut got = String::new();
        push_decimal(&mut got, n);
        assert_eq!(got, n.to_string());
    }
}

/// The URL as the spec describes it, without any of the shortcuts: the
/// canonical request and the string to sign as whole strings, the query
/// from [`write_general`], the signing key derived afresh.
fn reference_url(
    presigner: &Presigner,
    method: &Method,
    key: &str,
    ttl_secs: u64,
    now: SystemTime,
    extras: &[(&str, &str)],
) -> String {
    let stamp = Stamp::new(now);
    let headers = canonical_headers(&presigner.host, &[]);
    let own = OwnParams {
        credential_prefix: &presigner.credential_prefix,
        date: stamp.date(),
        credential_suffix: &presigner.credential_suffix,
        date_time: stamp.date_time(),
        ttl_secs,
        headers: &headers,
    };
    let mut query = String::new();
    write_general(&mut query, &own, extras);
    let path = format!(
        "{}{}",
        presigner.base_path,
        utf8_percent_encode(key, ENCODE_PATH)
    );
    let canonical_request = format!(
        "{method}\n{path}\n{query}\nhost:{}\n\nhost\nUNSIGNED-PAYLOAD",
        presigner.host
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{}{}\n{}",
        stamp.date_time(),
        stamp.date(),
        presigner.scope_suffix,
        hex::encode(Sha256::digest(canonical_request))
    );
    let signing_key = derive_signing_key(
        presigner.secret_access_key.expose_secret(),
        stamp.date(),
        &presigner.region,
    );
    let signature = hex::encode(hmac(&signing_key, string_to_sign.as_bytes()));
    format!(
        "{}{path}?{query}&X-Amz-Signature={signature}",
        presigner.origin
    )
}

#[test]
fn urls_match_the_reference_signer() {
    let settings = S3Settings {
        endpoint: "http://127.0.0.1:9000".to_owned(),
        public_endpoint: "http://127.0.0.1:9000".to_owned(),
        region: "eu-west-3".to_owned(),
        bucket: "lanyard-photos".to_owned(),
        path_style: true,
        access_key_id: "AKIAIOSFODNN7EXAMPLE".to_owned(),
        secret_access_key: SecretString::from("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        session_token: None,
        expires_at: None,
        shared_file: None,
    };
    let presigner = Presigner::new(&settings, &settings.endpoint).unwrap();
    let keys = [
        "photos/00112233445566778899aabbccddeeff/thumb.jpg",
        "a key with spaces.jpg",
        "ünïcødé/フォト/😀.jpg",
        "reserved:?#[]@!$&'()*,;=%\"<>{}|\\^`",
        "dir//double/slash/",
        "",
    ];
    let methods = [Method::GET, Method::HEAD, Method::PUT];
    let mut rng = Lcg(20);
    for case in 0..600_u64 {
        // Times a few hours apart over months: many UTC days, so the
        // signing key cache moves on (and back) along the way.
        let back = if rng.below(5) == 0 { 40 * 86_400 } else { 0 };
        let now = UNIX_EPOCH + Duration::from_secs(1_764_000_000 + case * 10_007 - back);
        let ttl_secs = [1, 3_600, 604_800][rng.below(3)];
        let key = keys[rng.below(keys.len())];
        let method = &methods[rng.below(methods.len())];
        // Every other case without overrides.
        let extras = if case % 2 == 0 {
            Vec::new()
        } else {
            rng.extras()
        };
        let got = presigner.presign(
            method.clone(),
            key,
            Duration::from_secs(ttl_secs),
            now,
            &[],
            &extras,
        );
        let expected = reference_url(&presigner, method, key, ttl_secs, now, &extras);
        assert_eq!(got.url, expected, "{method} {key:?} {extras:?}");
    }
}
