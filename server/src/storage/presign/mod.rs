//! AWS Signature Version 4 query-string presigning ("presigned URLs"), Sans-IO.
//!
//! Spec: <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>.
//! A [`Presigner`] is bound to one endpoint, bucket, region and key pair; each
//! call is a pure function of its arguments and the clock reading passed in,
//! and never talks to the store.
//!
//! # Why hand-written
//! Issue 8's budget allows at most three times the cost of one SHA-256 + one
//! HMAC-SHA256 per URL (scripts/bench-presign.sh; docs/performance.md,
//! "Presigning"). The derived signing key (four chained HMACs) only changes
//! with the UTC date, so the HMAC keyed with it is cached per day
//! (`SigningKeyCache`, sigv4.rs); the rest of the work is one SHA-256 of the
//! canonical request and one HMAC of the string to sign. The URL is written
//! once, its query merged in sorted order without allocating (`query.rs`),
//! and the canonical request is streamed into the hasher from slices of it.
//! rusty-s3 stays as a dev-dependency to cross-check the output.
//!
//! Files: this one builds and signs the URL, `query.rs` writes its canonical
//! query string, `tests.rs` pins the output against outside references and
//! `query_tests.rs` the fast paths against straightforward ones.
//!
//! # What is signed
//! - the `host` header: host[:port] of the endpoint as the client will send it
//!   (default ports 80/443 omitted, like browsers do);
//! - any extra headers the caller names (e.g. `content-type` and
//!   `content-length` on uploads, so nothing else can be stored under the key);
//! - any extra query parameters (e.g. `response-cache-control`);
//! - the payload is `UNSIGNED-PAYLOAD`, as for every presigned URL.
//!
//! Canonicalization: names and values are percent-encoded per RFC 3986 (only
//! `A-Z a-z 0-9 - . _ ~` stay as they are), query parameters are sorted by
//! encoded name then value, header names are lowercased and sorted, header
//! values trimmed with inner runs of spaces collapsed. Object keys are
//! encoded segment by segment (`/` kept); S3 does not normalize paths, so
//! neither do we.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::Mac;
use http::Method;
use percent_encoding::utf8_percent_encode;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use super::keys::validate_bucket_name;
use super::sigv4::{derive_signing_key, SigningKeyCache, Stamp, SERVICE};
use super::{S3Settings, StorageError};
use query::{OwnParams, ENCODE, ENCODE_PATH};

mod query;

/// S3 refuses presigned URLs valid for longer than 7 days; longer TTLs are
/// clamped to this (the configuration refuses them earlier). The embedded
/// store does not enforce the cap, so it has to be enforced here.
pub const MAX_PRESIGN_TTL: Duration = Duration::from_secs(7 * 24 * 60 * 60);

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
const SIGNATURE_PARAM: &str = "X-Amz-Signature";
const SECURITY_TOKEN_PARAM: &str = "X-Amz-Security-Token";

/// A presigned URL and the moment it stops working.
#[derive(Clone, PartialEq, Eq)]
pub struct Presigned {
    pub url: String,
    pub expires_at: SystemTime,
}

impl fmt::Debug for Presigned {
    /// Shows the URL with its signature replaced: a logged presigned URL
    /// would grant access to anyone reading the logs until it expires.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Presigned")
            .field("url", &lanyard_wire::redact_url(&self.url))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Signs URLs for one endpoint, bucket, region and key pair.
pub struct Presigner {
    /// `scheme://host[:port]`, the start of every URL.
    origin: String,
    /// The signed `host` header: host[:port], default port omitted.
    host: String,
    /// Encoded path up to the key, ending in `/`: `/bucket/` (path style),
    /// `/` (virtual-host style), prefixed by the endpoint's own path if any.
    base_path: String,
    region: String,
    access_key_id: String,
    /// `X-Amz-Credential` around the date, encoded: `AKID%2F` and
    /// `%2Fregion%2Fs3%2Faws4_request`.
    credential_prefix: String,
    credential_suffix: String,
    /// The credential scope after the date: `/region/s3/aws4_request`.
    scope_suffix: String,
    secret_access_key: SecretString,
    /// Temporary credentials' token: `X-Amz-Security-Token`, signed.
    session_token: Option<SecretString>,
    /// No URL lives past the credentials' expiry, when known.
    expires_at: Option<SystemTime>,
    signing_keys: SigningKeyCache,
}

impl fmt::Debug for Presigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Presigner")
            .field("origin", &self.origin)
            .field("base_path", &self.base_path)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

impl Presigner {
    /// A presigner for `settings.bucket` as reached through `endpoint`
    /// (`settings.endpoint` for the server itself, `settings.public_endpoint`
    /// for browsers). The endpoint must be `http` or `https` with a host and
    /// no query string; a path in it (`https://host/s3`) prefixes every URL.
    pub fn new(settings: &S3Settings, endpoint: &str) -> Result<Self, StorageError> {
        validate_bucket_name(&settings.bucket)?;
        let uri: http::Uri = endpoint
            .trim()
            .parse()
            .map_err(|_| StorageError::InvalidEndpoint("not a URL"))?;
        let (scheme, default_port) = match uri.scheme_str() {
            Some(s) if s.eq_ignore_ascii_case("http") => ("http", 80),
            Some(s) if s.eq_ignore_ascii_case("https") => ("https", 443),
            _ => {
                return Err(StorageError::InvalidEndpoint(
                    "the scheme must be http or https",
                ))
            }
        };
        // `host()` leaves out any user:password@ part: it must never end up in URLs.
        let authority = uri
            .authority()
            .ok_or(StorageError::InvalidEndpoint("no host"))?;
        let host_name = authority.host().to_ascii_lowercase();
        if host_name.is_empty() {
            return Err(StorageError::InvalidEndpoint("no host"));
        }
        if uri.query().is_some() {
            return Err(StorageError::InvalidEndpoint(
                "it must not have a query string",
            ));
        }
        let prefix = uri.path().trim_end_matches('/');
        if !prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~/".contains(&b))
        {
            return Err(StorageError::InvalidEndpoint(
                "its path may only contain letters, digits, '/', '-', '.', '_' and '~'",
            ));
        }
        let host_port = match authority.port_u16() {
            Some(port) if port != default_port => format!("{host_name}:{port}"),
            _ => host_name.clone(),
        };

        let bucket = &settings.bucket;
        let (host, base_path) = if settings.path_style {
            (host_port, format!("{prefix}/{bucket}/"))
        } else {
            let is_ip = host_name.starts_with('[') || host_name.parse::<std::net::IpAddr>().is_ok();
            if is_ip {
                return Err(StorageError::InvalidEndpoint(
                    "virtual-host style needs a DNS name, not an IP address: use path style",
                ));
            }
            (format!("{bucket}.{host_port}"), format!("{prefix}/"))
        };

        let scope_suffix = format!("/{}/{SERVICE}/aws4_request", settings.region);
        Ok(Self {
            origin: format!("{scheme}://{host}"),
            host,
            base_path,
            region: settings.region.clone(),
            access_key_id: settings.access_key_id.clone(),
            credential_prefix: format!("{}%2F", encode(&settings.access_key_id)),
            credential_suffix: encode(&scope_suffix),
            scope_suffix,
            secret_access_key: settings.secret_access_key.clone(),
            session_token: settings.session_token.clone(),
            expires_at: settings.expires_at,
            signing_keys: SigningKeyCache::default(),
        })
    }

    /// `scheme://host[:port]` of every URL this presigner signs (the bucket
    /// included in virtual-host style): what a page's CSP must allow.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// How long a URL signed at `now` for `ttl` lives: whole seconds,
    /// 1 s ..= [`MAX_PRESIGN_TTL`], and never past the credentials' expiry
    /// when it is known.
    pub fn lifetime(&self, ttl: Duration, now: SystemTime) -> Duration {
        let left = self.expires_at.map_or(u64::MAX, |end| {
            end.duration_since(now).map_or(0, |d| d.as_secs())
        });
        Duration::from_secs(ttl.as_secs().min(left).clamp(1, MAX_PRESIGN_TTL.as_secs()))
    }

    /// A URL that lets its holder `GET` the object `key` until `now + ttl`.
    pub fn presign_get(&self, key: &str, ttl: Duration, now: SystemTime) -> Presigned {
        self.presign(Method::GET, key, ttl, now, &[], &[])
    }

    /// A URL that lets its holder `PUT` exactly `content_length` bytes of
    /// `content_type` under `key` until `now + ttl`: both headers are signed,
    /// so the store refuses any other type or size.
    pub fn presign_put(
        &self,
        key: &str,
        content_type: &str,
        content_length: u64,
        ttl: Duration,
        now: SystemTime,
    ) -> Presigned {
        let length = content_length.to_string();
        self.presign(
            Method::PUT,
            key,
            ttl,
            now,
            &[("content-type", content_type), ("content-length", &length)],
            &[],
        )
    }

    /// The general form. `signed_headers` must be sent by the client with
    /// exactly these values (names are case-insensitive; a `host` entry is
    /// ignored, the endpoint's host is always signed). `extra_query` is added
    /// to the URL and signed; the `X-Amz-*` parameters of the signature
    /// itself cannot be overridden and are skipped. `ttl` is clamped to
    /// 1 s ..= [`MAX_PRESIGN_TTL`], in whole seconds, and to what is left of
    /// the credentials' life when their expiry is known.
    pub fn presign(
        &self,
        method: Method,
        key: &str,
        ttl: Duration,
        now: SystemTime,
        signed_headers: &[(&str, &str)],
        extra_query: &[(&str, &str)],
    ) -> Presigned {
        let ttl_secs = self.lifetime(ttl, now).as_secs();
        // With temporary credentials the token is one more signed parameter.
        let with_token;
        let extra_query = match &self.session_token {
            Some(token) => {
                with_token = extra_query
                    .iter()
                    .copied()
                    .chain([(SECURITY_TOKEN_PARAM, token.expose_secret())])
                    .collect::<Vec<_>>();
                &with_token[..]
            }
            None => extra_query,
        };
        let stamp = Stamp::new(now);
        let headers = canonical_headers(&self.host, signed_headers);

        // Everything is written once into the URL, and the canonical request
        // and string to sign are streamed into the hashers from slices of
        // it: no intermediate strings on the hot path.
        // Room for the worst case (every byte of the key and the extras
        // encoded as `%XX`) so the URL is never reallocated.
        let extra_len: usize = extra_query.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
        let mut url = String::with_capacity(
            self.origin.len() + self.base_path.len() + 3 * (key.len() + extra_len) + 320,
        );
        url.push_str(&self.origin);
        let path_start = url.len();
        url.push_str(&self.base_path);
        url.extend(utf8_percent_encode(key, ENCODE_PATH));
        let path_end = url.len();
        url.push('?');
        let query_start = url.len();
        let own = OwnParams {
            credential_prefix: &self.credential_prefix,
            date: stamp.date(),
            credential_suffix: &self.credential_suffix,
            date_time: stamp.date_time(),
            ttl_secs,
            headers: &headers,
        };
        query::write_canonical_query(&mut url, &own, extra_query);
        let query_end = url.len();

        let mut request_hash = Sha256::new();
        for part in [
            method.as_str(),
            "\n",
            &url[path_start..path_end],
            "\n",
            &url[query_start..query_end],
            "\n",
        ] {
            request_hash.update(part);
        }
        for (name, value) in &headers {
            for part in [name.as_ref(), ":", value.as_ref(), "\n"] {
                request_hash.update(part);
            }
        }
        request_hash.update("\n");
        for (i, (name, _)) in headers.iter().enumerate() {
            if i > 0 {
                request_hash.update(";");
            }
            request_hash.update(name.as_ref());
        }
        request_hash.update("\n");
        request_hash.update(UNSIGNED_PAYLOAD);
        let mut request_hex = [0; 64];
        hex_into(&request_hash.finalize(), &mut request_hex);

        // String to sign: algorithm, time, scope, hash of the canonical request.
        let mut mac = self.signing_keys.get_or_derive(stamp.day, || {
            derive_signing_key(
                self.secret_access_key.expose_secret(),
                stamp.date(),
                &self.region,
            )
        });
        for part in [
            ALGORITHM.as_bytes(),
            b"\n",
            stamp.date_time().as_bytes(),
            b"\n",
            stamp.date().as_bytes(),
            self.scope_suffix.as_bytes(),
            b"\n",
            &request_hex,
        ] {
            mac.update(part);
        }
        let mut signature = [0; 64];
        hex_into(&mac.finalize().into_bytes(), &mut signature);

        url.push('&');
        url.push_str(SIGNATURE_PARAM);
        url.push('=');
        url.push_str(std::str::from_utf8(&signature).expect("hex is ASCII"));
        Presigned {
            url,
            // X-Amz-Date has whole seconds: the store counts from there.
            expires_at: UNIX_EPOCH + Duration::from_secs(stamp.unix_secs + ttl_secs),
        }
    }
}

/// Lowercase names, trimmed values with inner whitespace collapsed, sorted
/// by name; repeated names are joined with commas, as the spec says. The
/// endpoint's `host` is always there and a caller's `host` is dropped.
fn canonical_headers<'a>(
    host: &'a str,
    signed_headers: &'a [(&'a str, &'a str)],
) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
    let mut headers = Vec::with_capacity(signed_headers.len() + 1);
    headers.push((Cow::Borrowed("host"), Cow::Borrowed(host)));
    for (name, value) in signed_headers {
        let name = name.trim();
        if name.eq_ignore_ascii_case("host") {
            continue;
        }
        let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        headers.push((name, normalize_header_value(value)));
    }
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    headers.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            let joined = format!("{},{}", earlier.1, later.1);
            earlier.1 = Cow::Owned(joined);
        }
        same
    });
    headers
}

fn hex_into(bytes: &[u8], out: &mut [u8; 64]) {
    hex::encode_to_slice(bytes, out).expect("32 bytes are 64 hex digits");
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE).to_string()
}

/// Trims and collapses runs of spaces, as SigV4's canonical headers do.
fn normalize_header_value(value: &str) -> Cow<'_, str> {
    let trimmed = value.trim();
    let collapsed = trimmed
        .as_bytes()
        .windows(2)
        .all(|w| !(w[0].is_ascii_whitespace() && w[1].is_ascii_whitespace()))
        && !trimmed
            .bytes()
            .any(|b| b.is_ascii_whitespace() && b != b' ');
    if collapsed {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(
            trimmed
                .split_ascii_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

#[cfg(test)]
mod tests;
