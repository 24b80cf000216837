//! Presigning bucket-level requests on a subresource: `GET /?policy`,
//! `GET /?encryption`, `GET /?publicAccessBlock` (what `lanyard doctor` reads).
//!
//! A subresource is a query parameter without a value. SigV4 signs it like
//! any other parameter, as `name=` in the canonical query string (sorted with
//! the `X-Amz-*` ones), and the URL carries it the same way. The path is the
//! bucket's own: `/bucket/` in path style, `/` in virtual-host style, which
//! is what [`Presigner::presign`] produces for the empty key.

use std::time::{Duration, SystemTime};

use http::Method;

use super::{Presigned, Presigner};

impl Presigner {
    /// A URL that lets its holder `GET` the bucket's `subresource` (e.g.
    /// `policy`) until `now + ttl`.
    pub fn presign_bucket_get(
        &self,
        subresource: &str,
        ttl: Duration,
        now: SystemTime,
    ) -> Presigned {
        self.presign(Method::GET, "", ttl, now, &[], &[(subresource, "")])
    }
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use secrecy::SecretString;

    use super::*;
    use crate::storage::S3Settings;

    const AWS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
    const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    /// 2013-05-24T00:00:00Z, the time of AWS's published examples.
    const AWS_TIME: u64 = 1_369_353_600;

    fn presigner(endpoint: &str, path_style: bool, region: &str) -> Presigner {
        let settings = S3Settings {
            endpoint: endpoint.to_owned(),
            public_endpoint: endpoint.to_owned(),
            region: region.to_owned(),
            bucket: "examplebucket".to_owned(),
            path_style,
            access_key_id: AWS_KEY.to_owned(),
            secret_access_key: SecretString::from(AWS_SECRET),
            session_token: None,
            expires_at: None,
            shared_file: None,
        };
        Presigner::new(&settings, endpoint).unwrap()
    }

    #[test]
    fn get_bucket_policy_matches_rusty_s3s_aws_example_vector() {
        // rusty-s3's `GetBucketPolicy` test `aws_example_signed`: AWS's
        // example credentials and time, virtual-host style.
        let url = presigner("https://s3.amazonaws.com", false, "us-east-1")
            .presign_bucket_get(
                "policy",
                Duration::from_secs(86_400),
                UNIX_EPOCH + Duration::from_secs(AWS_TIME),
            )
            .url;
        assert_eq!(
            url,
            "https://examplebucket.s3.amazonaws.com/?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&policy=\
             &X-Amz-Signature=e26de56ab8c3baaf62acf68f921e280f4674f741813006644bbd5fb6d2aaa2eb"
        );
    }

    /// rusty-s3 signs with the system clock: sign there first, then here at
    /// the `X-Amz-Date` it used.
    fn at_date_of(url: &str) -> SystemTime {
        let date = url
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("X-Amz-Date="))
            .unwrap();
        let num = |r: std::ops::Range<usize>| date[r].parse::<u8>().unwrap();
        let day = time::Date::from_calendar_date(
            date[0..4].parse().unwrap(),
            time::Month::try_from(num(4..6)).unwrap(),
            num(6..8),
        )
        .unwrap();
        let unix = day
            .with_hms(num(9..11), num(11..13), num(13..15))
            .unwrap()
            .assume_utc()
            .unix_timestamp();
        UNIX_EPOCH + Duration::from_secs(u64::try_from(unix).unwrap())
    }

    #[test]
    fn path_style_bucket_policy_matches_rusty_s3() {
        use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
        let endpoint = "http://127.0.0.1:9000";
        let bucket = Bucket::new(
            endpoint.parse().unwrap(),
            UrlStyle::Path,
            "examplebucket",
            "eu-west-3",
        )
        .unwrap();
        let credentials = Credentials::new(AWS_KEY, AWS_SECRET);
        let ttl = Duration::from_secs(60);
        let expected = bucket
            .get_bucket_policy(Some(&credentials))
            .sign(ttl)
            .to_string();
        let got = presigner(endpoint, true, "eu-west-3").presign_bucket_get(
            "policy",
            ttl,
            at_date_of(&expected),
        );
        assert_eq!(got.url, expected);
        assert!(got.url.starts_with("http://127.0.0.1:9000/examplebucket/?"));
    }

    #[test]
    fn mixed_case_subresources_sort_after_the_signature_parameters() {
        // Byte order: `X-Amz-…` (uppercase X) before `publicAccessBlock=`.
        let url = presigner("https://s3.amazonaws.com", true, "us-east-1")
            .presign_bucket_get(
                "publicAccessBlock",
                Duration::from_secs(60),
                UNIX_EPOCH + Duration::from_secs(AWS_TIME),
            )
            .url;
        assert!(url.starts_with("https://s3.amazonaws.com/examplebucket/?X-Amz-Algorithm="));
        assert!(url.contains("&X-Amz-SignedHeaders=host&publicAccessBlock=&X-Amz-Signature="));
    }
}
