//! The SigV4 building blocks under [`super::presign`]: HMAC-SHA256, the
//! derived signing key and its per-day cache, and the clock reading in the
//! forms SigV4 signs.
//!
//! Spec: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html>.

use std::sync::{PoisonError, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::OffsetDateTime;

pub(super) type HmacSha256 = Hmac<Sha256>;

/// The service name in every S3 credential scope.
pub(super) const SERVICE: &str = "s3";

/// 9999-12-31T23:59:59Z, the last instant `time` represents by default.
const LAST_SECOND_OF_9999: u64 = 253_402_300_799;

pub(super) fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail.
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), "s3"), "aws4_request")`.
pub(super) fn derive_signing_key(secret: &str, date: &str, region: &str) -> [u8; 32] {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, SERVICE.as_bytes());
    hmac(&k_service, b"aws4_request")
}

/// An HMAC keyed with a day's derived signing key, and that UTC day (days
/// since the epoch).
type CachedKey = (u64, HmacSha256);

/// The keyed HMACs of the two most recent UTC days seen, so that requests
/// straddling midnight (or a test signing in the past) do not make
/// concurrent callers re-derive the key on every call.
///
/// The HMAC is cached already keyed, not the key: keying hashes the key's
/// inner and outer pads, two SHA-256 blocks that would otherwise be redone
/// for every URL (a block takes ~40 ns here; with the `fmt`-free decimal in
/// the query, a plain GET URL went from 729 to 655 ns).
#[derive(Default)]
pub(super) struct SigningKeyCache {
    /// `[newest, previous]`.
    slots: RwLock<[Option<CachedKey>; 2]>,
}

impl SigningKeyCache {
    /// A fresh HMAC keyed with `day`'s signing key, which `derive` computes
    /// when the day is not cached.
    pub(super) fn get_or_derive(&self, day: u64, derive: impl FnOnce() -> [u8; 32]) -> HmacSha256 {
        // Nothing panics while a guard is held, but a poisoned cache is still
        // a valid cache: keep using it rather than failing every request.
        {
            let slots = self.slots.read().unwrap_or_else(PoisonError::into_inner);
            if let Some((_, mac)) = slots.iter().flatten().find(|(d, _)| *d == day) {
                return mac.clone();
            }
        }
        let mac = HmacSha256::new_from_slice(&derive()).expect("HMAC accepts keys of any length");
        let mut slots = self.slots.write().unwrap_or_else(PoisonError::into_inner);
        match &*slots {
            [Some((newest, _)), previous] if day < *newest => {
                // An older day: cache it beside the newest unless it is older still.
                if previous
                    .as_ref()
                    .is_none_or(|(previous, _)| day > *previous)
                {
                    slots[1] = Some((day, mac.clone()));
                }
            }
            _ => {
                slots[1] = slots[0].take();
                slots[0] = Some((day, mac.clone()));
            }
        }
        mac
    }

    #[cfg(test)]
    pub(super) fn days(&self) -> Vec<u64> {
        let slots = self.slots.read().unwrap_or_else(PoisonError::into_inner);
        slots.iter().flatten().map(|(day, _)| *day).collect()
    }
}

/// A clock reading in the forms SigV4 needs (UTC).
pub(super) struct Stamp {
    pub(super) unix_secs: u64,
    /// Days since 1970-01-01, the signing-key cache's key.
    pub(super) day: u64,
    /// `YYYYMMDDTHHMMSSZ`, ASCII digits.
    date_time: [u8; 16],
}

impl Stamp {
    pub(super) fn new(now: SystemTime) -> Self {
        // A clock before 1970 is broken; sign as of the epoch rather than panic.
        // Past the year 9999 (which `time` does not represent) sign as of its
        // last second: such a URL is meaningless anyway.
        let unix_secs = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            .min(LAST_SECOND_OF_9999);
        let day = unix_secs / 86_400;
        let at = i64::try_from(unix_secs)
            .ok()
            .and_then(|secs| OffsetDateTime::from_unix_timestamp(secs).ok())
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let (year, month, dom) = at.to_calendar_date();
        let (hour, minute, second) = at.to_hms();
        let mut date_time = *b"00000000T000000Z";
        for (field, pos, digits) in [
            (year.unsigned_abs(), 0, 4),
            (u32::from(u8::from(month)), 4, 2),
            (u32::from(dom), 6, 2),
            (u32::from(hour), 9, 2),
            (u32::from(minute), 11, 2),
            (u32::from(second), 13, 2),
        ] {
            // Written digit by digit: this runs for every URL, and `format!`
            // would allocate.
            let mut value = field;
            for i in (pos..pos + digits).rev() {
                date_time[i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        }
        Self {
            unix_secs,
            day,
            date_time,
        }
    }

    /// `YYYYMMDDTHHMMSSZ`
    pub(super) fn date_time(&self) -> &str {
        std::str::from_utf8(&self.date_time).expect("ASCII digits")
    }

    /// `YYYYMMDD`
    pub(super) fn date(&self) -> &str {
        &self.date_time()[..8]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// 2013-05-24T00:00:00Z, the time of AWS's published example.
    const AWS_TIME: u64 = 1_369_353_600;

    fn at(unix_secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(unix_secs)
    }

    #[test]
    fn dates_are_proleptic_gregorian_utc() {
        for (secs, expected) in [
            (0, "19700101T000000Z"),
            (AWS_TIME, "20130524T000000Z"),
            (951_782_400, "20000229T000000Z"), // leap day of a /400 year
            (4_107_542_399, "21000228T235959Z"), // 2100 is no leap year
            (4_107_542_400, "21000301T000000Z"),
        ] {
            assert_eq!(Stamp::new(at(secs)).date_time(), expected, "{secs}");
        }
        assert_eq!(
            Stamp::new(UNIX_EPOCH - Duration::from_secs(5)).date_time(),
            "19700101T000000Z"
        );
    }

    #[test]
    fn clocks_past_the_year_9999_sign_as_of_its_last_second() {
        let far = UNIX_EPOCH + Duration::from_secs(u64::MAX / 2);
        assert_eq!(Stamp::new(far).date_time(), "99991231T235959Z");
    }

    #[test]
    fn derived_key_matches_aws_documented_example() {
        // "Examples of how to derive a signing key for Signature Version 4",
        // AWS General Reference: secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
        // 20120215, us-east-1, iam.
        let k_date = hmac(b"AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", b"20120215");
        let k_region = hmac(&k_date, b"us-east-1");
        let k_service = hmac(&k_region, b"iam");
        let k_signing = hmac(&k_service, b"aws4_request");
        assert_eq!(
            hex::encode(k_signing),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }
}
