//! The presigner against outside references (AWS's published example,
//! rusty-s3, botocore) and its own rules (ports, TTL clamping, header canonicalization,
//! the per-day signing key cache, redaction).

use super::*;

const AWS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// 2013-05-24T00:00:00Z, the time of AWS's published example.
const AWS_TIME: u64 = 1_369_353_600;

fn settings(endpoint: &str, path_style: bool, bucket: &str) -> S3Settings {
    S3Settings {
        endpoint: endpoint.to_owned(),
        public_endpoint: endpoint.to_owned(),
        region: "us-east-1".to_owned(),
        bucket: bucket.to_owned(),
        path_style,
        access_key_id: AWS_KEY.to_owned(),
        secret_access_key: SecretString::from(AWS_SECRET),
        session_token: None,
        expires_at: None,
        shared_file: None,
    }
}

fn at(unix_secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(unix_secs)
}

fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let (_, query) = url.split_once('?')?;
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

#[test]
fn matches_aws_published_example() {
    // S3 API reference, "Authenticating Requests: Using Query Parameters".
    let s = settings("https://s3.amazonaws.com", false, "examplebucket");
    let presigner = Presigner::new(&s, &s.endpoint).unwrap();
    let got = presigner.presign_get("test.txt", Duration::from_secs(86_400), at(AWS_TIME));
    assert_eq!(
        got.url,
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
    assert_eq!(got.expires_at, at(AWS_TIME + 86_400));
}

#[test]
fn extra_query_parameters_are_sorted_and_signed() {
    // rusty-s3's `aws_example_custom_query` vector.
    let s = settings("https://s3.amazonaws.com", false, "examplebucket");
    let presigner = Presigner::new(&s, &s.endpoint).unwrap();
    let got = presigner.presign(
        Method::GET,
        "test.txt",
        Duration::from_secs(86_400),
        at(AWS_TIME),
        &[],
        &[
            ("response-content-type", "text/plain"),
            ("X-Amz-Expires", "1"),
        ],
    );
    assert_eq!(query_param(&got.url, "X-Amz-Expires"), Some("86400"));
    assert!(got
        .url
        .contains("&X-Amz-SignedHeaders=host&response-content-type=text%2Fplain&"));
    assert_eq!(
        query_param(&got.url, "X-Amz-Signature"),
        Some("9cee3ba363b3a52fed152d18bb250d52a459d0905600d9b032825a3794ffd2cb")
    );
}

/// Signs with rusty-s3 (which takes the time from the system clock), then
/// with our presigner at the `X-Amz-Date` rusty-s3 used, and compares.
fn rusty_s3_presign(
    endpoint: &str,
    bucket: &str,
    key: &str,
    put: Option<(&str, &str)>,
) -> (String, SystemTime) {
    use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
    let bucket = Bucket::new(
        endpoint.parse().unwrap(),
        UrlStyle::Path,
        bucket.to_owned(),
        "eu-west-3",
    )
    .unwrap();
    let credentials = Credentials::new(AWS_KEY, AWS_SECRET);
    let ttl = Duration::from_secs(900);
    let url = match put {
        None => bucket.get_object(Some(&credentials), key).sign(ttl),
        Some((content_type, length)) => {
            let mut action = bucket.put_object(Some(&credentials), key);
            action
                .headers_mut()
                .insert("content-length", length.to_owned());
            action
                .headers_mut()
                .insert("content-type", content_type.to_owned());
            action.sign(ttl)
        }
    };
    let url = url.to_string();
    let date = query_param(&url, "X-Amz-Date").unwrap();
    let unix = time::PrimitiveDateTime::new(
        time::Date::from_calendar_date(
            date[0..4].parse().unwrap(),
            time::Month::try_from(date[4..6].parse::<u8>().unwrap()).unwrap(),
            date[6..8].parse().unwrap(),
        )
        .unwrap(),
        time::Time::from_hms(
            date[9..11].parse().unwrap(),
            date[11..13].parse().unwrap(),
            date[13..15].parse().unwrap(),
        )
        .unwrap(),
    )
    .assume_utc()
    .unix_timestamp();
    (url, at(u64::try_from(unix).unwrap()))
}

#[test]
fn path_style_urls_with_odd_keys_match_rusty_s3() {
    let endpoint = "http://127.0.0.1:9000";
    let mut s = settings(endpoint, true, "lanyard-photos");
    s.region = "eu-west-3".to_owned();
    let presigner = Presigner::new(&s, endpoint).unwrap();
    for key in [
        "photos/00112233445566778899aabbccddeeff/thumb.jpg",
        "a key with spaces.jpg",
        "ünïcødé/フォト/😀.jpg",
        "plus+sign and ~tilde",
        "reserved:?#[]@!$&'()*,;=%\"<>{}|\\^`",
        "dir//double/slash/",
    ] {
        let (expected, when) = rusty_s3_presign(endpoint, "lanyard-photos", key, None);
        let got = presigner.presign_get(key, Duration::from_secs(900), when);
        assert_eq!(got.url, expected, "GET {key:?}");

        let (expected, when) = rusty_s3_presign(
            endpoint,
            "lanyard-photos",
            key,
            Some(("image/jpeg", "12345")),
        );
        let got = presigner.presign_put(key, "image/jpeg", 12_345, Duration::from_secs(900), when);
        assert_eq!(got.url, expected, "PUT {key:?}");
    }
}

#[test]
fn default_ports_are_left_out_of_the_signed_host() {
    let s = settings("http://LocalHost:80/", true, "bucket");
    let plain = Presigner::new(&s, "http://localhost").unwrap();
    let with_port = Presigner::new(&s, "http://LocalHost:80/").unwrap();
    let other_port = Presigner::new(&s, "http://localhost:8080").unwrap();
    let now = at(AWS_TIME);
    let ttl = Duration::from_secs(60);
    assert_eq!(
        plain.presign_get("k", ttl, now),
        with_port.presign_get("k", ttl, now)
    );
    assert!(plain
        .presign_get("k", ttl, now)
        .url
        .starts_with("http://localhost/bucket/k?"));
    assert!(other_port
        .presign_get("k", ttl, now)
        .url
        .starts_with("http://localhost:8080/bucket/k?"));
    assert_ne!(
        query_param(&plain.presign_get("k", ttl, now).url, "X-Amz-Signature"),
        query_param(
            &other_port.presign_get("k", ttl, now).url,
            "X-Amz-Signature"
        ),
    );
}

#[test]
fn an_endpoint_path_prefixes_every_url() {
    let s = settings("https://example.com/s3/", true, "bucket");
    let presigner = Presigner::new(&s, &s.endpoint).unwrap();
    let got = presigner.presign_get("a b", Duration::from_secs(60), at(AWS_TIME));
    assert!(
        got.url.starts_with("https://example.com/s3/bucket/a%20b?"),
        "{}",
        got.url
    );
}

#[test]
fn bad_endpoints_are_refused() {
    let s = settings("", true, "bucket");
    for bad in [
        "",
        "localhost:9000",
        "ftp://host",
        "http://",
        "http://host/?x=1",
        "http://host/a b",
    ] {
        assert!(Presigner::new(&s, bad).is_err(), "{bad:?} was accepted");
    }
    let vhost = settings("", false, "bucket");
    assert!(Presigner::new(&vhost, "http://127.0.0.1:9000").is_err());
    assert!(Presigner::new(&vhost, "http://[::1]:9000").is_err());
    let bad_bucket = settings("", true, "Bad_Bucket");
    assert!(Presigner::new(&bad_bucket, "http://localhost").is_err());
}

#[test]
fn credentials_in_the_endpoint_never_reach_the_url() {
    let s = settings("", true, "bucket");
    let presigner = Presigner::new(&s, "http://user:hunter2@localhost:9000").unwrap();
    let got = presigner.presign_get("k", Duration::from_secs(60), at(AWS_TIME));
    assert!(
        got.url.starts_with("http://localhost:9000/bucket/k?"),
        "{}",
        got.url
    );
}

#[test]
fn ttl_is_clamped_to_seven_days_and_at_least_one_second() {
    let s = settings("https://s3.amazonaws.com", true, "bucket");
    let presigner = Presigner::new(&s, &s.endpoint).unwrap();
    let now = at(AWS_TIME);
    let long = presigner.presign_get("k", Duration::from_secs(30 * 86_400), now);
    assert_eq!(query_param(&long.url, "X-Amz-Expires"), Some("604800"));
    assert_eq!(long.expires_at, now + MAX_PRESIGN_TTL);
    let seven_days = presigner.presign_get("k", MAX_PRESIGN_TTL, now);
    assert_eq!(long, seven_days);
    let zero = presigner.presign_get("k", Duration::ZERO, now);
    assert_eq!(query_param(&zero.url, "X-Amz-Expires"), Some("1"));
}

#[test]
fn expires_at_counts_from_the_signed_whole_second() {
    let s = settings("https://s3.amazonaws.com", true, "bucket");
    let presigner = Presigner::new(&s, &s.endpoint).unwrap();
    let now = at(AWS_TIME) + Duration::from_millis(999);
    let got = presigner.presign_get("k", Duration::from_millis(60_500), now);
    assert_eq!(got.expires_at, at(AWS_TIME + 60));
}

#[test]
fn signed_headers_are_canonicalized() {
    let s = settings("https://s3.amazonaws.com", true, "bucket");
    let presigner = Presigner::new(&s, &s.endpoint).unwrap();
    let now = at(AWS_TIME);
    let ttl = Duration::from_secs(60);
    let a = presigner.presign(
        Method::PUT,
        "k",
        ttl,
        now,
        &[
            ("Content-Type", "  image/jpeg "),
            ("X-Amz-Server-Side-Encryption", "AES256"),
            ("Host", "evil.example"),
        ],
        &[],
    );
    let b = presigner.presign(
        Method::PUT,
        "k",
        ttl,
        now,
        &[
            ("x-amz-server-side-encryption", "AES256"),
            ("content-type", "image/jpeg"),
        ],
        &[],
    );
    assert_eq!(a, b);
    assert_eq!(
        query_param(&a.url, "X-Amz-SignedHeaders"),
        Some("content-type%3Bhost%3Bx-amz-server-side-encryption")
    );
}

#[test]
fn signature_depends_on_method_key_and_time() {
    let s = settings("https://s3.amazonaws.com", true, "bucket");
    let presigner = Presigner::new(&s, &s.endpoint).unwrap();
    let ttl = Duration::from_secs(60);
    let sig = |p: Presigned| query_param(&p.url, "X-Amz-Signature").unwrap().to_owned();
    let base = sig(presigner.presign_get("k", ttl, at(AWS_TIME)));
    assert_ne!(base, sig(presigner.presign_get("k2", ttl, at(AWS_TIME))));
    assert_ne!(base, sig(presigner.presign_get("k", ttl, at(AWS_TIME + 1))));
    assert_ne!(
        base,
        sig(presigner.presign(Method::HEAD, "k", ttl, at(AWS_TIME), &[], &[]))
    );
    assert_eq!(base, sig(presigner.presign_get("k", ttl, at(AWS_TIME))));
}

#[test]
fn the_signing_key_is_cached_per_utc_day_and_renewed_at_midnight() {
    let s = settings("https://s3.amazonaws.com", false, "examplebucket");
    let presigner = Presigner::new(&s, &s.endpoint).unwrap();
    let ttl = Duration::from_secs(86_400);
    let day = AWS_TIME / 86_400;
    let just_before_midnight = at(AWS_TIME + 86_399);
    let midnight = at(AWS_TIME + 86_400);

    let first = presigner.presign_get("test.txt", ttl, at(AWS_TIME));
    let before = presigner.presign_get("test.txt", ttl, just_before_midnight);
    assert_eq!(presigner.signing_keys.days(), vec![day]);
    let after = presigner.presign_get("test.txt", ttl, midnight);
    assert_eq!(presigner.signing_keys.days(), vec![day + 1, day]);
    assert!(
        after.url.contains("%2F20130525%2F") && after.url.contains("X-Amz-Date=20130525T000000Z")
    );
    assert!(
        before.url.contains("%2F20130524%2F") && before.url.contains("X-Amz-Date=20130524T235959Z")
    );

    // Every cached signature equals one computed from scratch.
    for (when, got) in [
        (at(AWS_TIME), &first),
        (just_before_midnight, &before),
        (midnight, &after),
    ] {
        let fresh = Presigner::new(&s, &s.endpoint).unwrap();
        assert_eq!(&fresh.presign_get("test.txt", ttl, when), got);
    }
    // Going back a day still signs with that day's key (from the cache).
    assert_eq!(presigner.presign_get("test.txt", ttl, at(AWS_TIME)), first);
    // A much older day is signed correctly without evicting the recent ones.
    let old = at(AWS_TIME - 10 * 86_400);
    let fresh = Presigner::new(&s, &s.endpoint).unwrap();
    assert_eq!(
        presigner.presign_get("test.txt", ttl, old),
        fresh.presign_get("test.txt", ttl, old)
    );
    assert_eq!(presigner.signing_keys.days(), vec![day + 1, day]);
}

#[test]
fn debug_redacts_the_signature() {
    let s = settings("https://s3.amazonaws.com", false, "examplebucket");
    let presigner = Presigner::new(&s, &s.endpoint).unwrap();
    let got = presigner.presign_get("test.txt", Duration::from_secs(86_400), at(AWS_TIME));
    let debug = format!("{got:?}");
    assert!(!debug.contains("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
    assert!(debug.contains("X-Amz-Signature=REDACTED"));
    assert!(debug.contains("examplebucket.s3.amazonaws.com/test.txt"));
    let debug = format!("{presigner:?}");
    assert!(!debug.contains(AWS_SECRET), "{debug}");
}

/// The query of `url` as (name, value) pairs, decoded and sorted, and the
/// URL before it.
fn split_url(url: &str) -> (String, Vec<(String, String)>) {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .unwrap()
            .into_owned()
    };
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(n), decode(v))
        })
        .collect();
    params.sort();
    (base.to_owned(), params)
}

/// Temporary credentials, response overrides, signed upload headers, both
/// URL styles: the same URLs as botocore's (AWS's own SDK) signs, down to
/// the signature (scripts/vectors/presign_botocore.py made the file).
#[test]
fn urls_match_botocores_with_and_without_a_session_token() {
    let vectors: serde_json::Value =
        serde_json::from_str(include_str!("botocore_vectors.json")).unwrap();
    let now: std::time::SystemTime = time::OffsetDateTime::parse(
        vectors["now"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
    .into();
    for case in vectors["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let text = |v: &serde_json::Value| v.as_str().unwrap().to_owned();
        let settings = S3Settings {
            endpoint: text(&case["endpoint"]),
            public_endpoint: text(&case["endpoint"]),
            region: text(&case["region"]),
            bucket: text(&case["bucket"]),
            path_style: case["path_style"].as_bool().unwrap(),
            access_key_id: text(&vectors["access_key_id"]),
            secret_access_key: SecretString::from(text(&vectors["secret_access_key"])),
            session_token: case["token"]
                .as_str()
                .map(|t| SecretString::from(t.to_owned())),
            expires_at: None,
            shared_file: None,
        };
        let pairs = |v: &serde_json::Value| -> Vec<(String, String)> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|p| (text(&p[0]), text(&p[1])))
                .collect()
        };
        let (headers, query) = (pairs(&case["headers"]), pairs(&case["query"]));
        let headers_ref: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let query_ref: Vec<(&str, &str)> = query
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let presigner = Presigner::new(&settings, &settings.endpoint).unwrap();
        let method: http::Method = case["method"].as_str().unwrap().parse().unwrap();
        let ours = presigner.presign(
            method,
            case["key"].as_str().unwrap(),
            Duration::from_secs(case["ttl"].as_u64().unwrap()),
            now,
            &headers_ref,
            &query_ref,
        );
        assert_eq!(
            split_url(&ours.url),
            split_url(case["url"].as_str().unwrap()),
            "{name}"
        );
    }
}

#[test]
fn no_url_outlives_the_credentials_that_signed_it() {
    let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let mut settings = settings("http://127.0.0.1:9000", true, "lanyard-photos");
    settings.session_token = Some(SecretString::from("token".to_owned()));
    settings.expires_at = Some(now + Duration::from_secs(600));
    let presigner = Presigner::new(&settings, &settings.endpoint).unwrap();
    let url = presigner.presign_get("photos/x/thumb.jpg", Duration::from_secs(3600), now);
    assert_eq!(url.expires_at, now + Duration::from_secs(600));
    assert!(
        url.url.contains("X-Amz-Expires=600&"),
        "{}",
        lanyard_wire::redact_url(&url.url)
    );
    assert!(url.url.contains("X-Amz-Security-Token=token"));
    assert!(
        !format!("{url:?}").contains("token&"),
        "Debug hides the token"
    );
}
