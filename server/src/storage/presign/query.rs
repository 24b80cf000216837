//! The canonical query string of a presigned URL, written once into the URL
//! itself: the canonical request hashes the same bytes.
//!
//! SigV4 sorts the parameters by encoded name, then encoded value, every
//! name and value percent-encoded per RFC 3986. The signature's own
//! `X-Amz-*` parameters come in a fixed, already sorted order; a caller's
//! extra parameters (response overrides, subresources) are merged in.

use std::borrow::Cow;
use std::cmp::Ordering;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::{ALGORITHM, SIGNATURE_PARAM};

/// RFC 3986 unreserved characters stay, everything else is percent-encoded.
pub(super) const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// Same for object keys, but `/` separates segments and stays.
pub(super) const ENCODE_PATH: &AsciiSet = &ENCODE.remove(b'/');

/// The signature's own parameters but `X-Amz-Signature`, in sorted order
/// (their names need no encoding). Their values are [`OwnParams::write_value`].
const OWN_NAMES: [&str; 5] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
];

/// Extra parameters up to this many are merged without allocating; more go
/// through [`write_general`]. The photo URL has two, subresources one.
const MERGE_MAX_EXTRAS: usize = 4;

/// What the signature's own parameters are made of.
pub(super) struct OwnParams<'a> {
    /// `AKID%2F`, encoded.
    pub(super) credential_prefix: &'a str,
    /// `YYYYMMDD`
    pub(super) date: &'a str,
    /// `%2Fregion%2Fs3%2Faws4_request`, encoded.
    pub(super) credential_suffix: &'a str,
    /// `YYYYMMDDTHHMMSSZ`
    pub(super) date_time: &'a str,
    pub(super) ttl_secs: u64,
    /// The canonical headers (sorted, lowercase); only the names are used.
    pub(super) headers: &'a [(Cow<'a, str>, Cow<'a, str>)],
}

impl OwnParams<'_> {
    /// `name=value` of the `i`th of [`OWN_NAMES`], encoded.
    fn write(&self, i: usize, out: &mut String) {
        out.push_str(OWN_NAMES[i]);
        out.push('=');
        match i {
            0 => out.push_str(ALGORITHM),
            1 => {
                out.push_str(self.credential_prefix);
                out.push_str(self.date);
                out.push_str(self.credential_suffix);
            }
            2 => out.push_str(self.date_time),
            3 => push_decimal(out, self.ttl_secs),
            _ => {
                for (i, (name, _)) in self.headers.iter().enumerate() {
                    if i > 0 {
                        out.push_str("%3B");
                    }
                    out.extend(utf8_percent_encode(name, ENCODE));
                }
            }
        }
    }
}

/// Whether `name` is one of the parameters the signature sets itself
/// (case-insensitively: a caller cannot smuggle in `x-amz-date` either).
fn is_reserved(name: &str) -> bool {
    OWN_NAMES
        .iter()
        .chain([&SIGNATURE_PARAM])
        .any(|own| own.eq_ignore_ascii_case(name))
}

/// Appends the canonical query string: the signature's own parameters and
/// `extra_query` (reserved names skipped), encoded and sorted.
///
/// Why a merge: with two signed response overrides the photo URL cost
/// 1398 ns against 729 ns without (criterion medians, bench-presign.sh),
/// most of the difference in the general path's allocations (an encoded
/// `String` per name and value, the own parameters in a second `String`,
/// a `Vec` to sort). Here the few extras are sorted in place on the stack,
/// compared by their encoded bytes without writing them anywhere, and each
/// is encoded straight into `out` at its place among the own parameters
/// (with [`cmp_encoded`] and the keyed-HMAC cache: ~900 ns).
/// `tests::merge_matches_the_general_path` checks it against [`write_general`].
pub(super) fn write_canonical_query(
    out: &mut String,
    own: &OwnParams<'_>,
    extra_query: &[(&str, &str)],
) {
    let mut extras = [("", ""); MERGE_MAX_EXTRAS];
    let mut count = 0;
    for &(name, value) in extra_query {
        if is_reserved(name) {
            continue;
        }
        if count == MERGE_MAX_EXTRAS {
            write_general(out, own, extra_query);
            return;
        }
        extras[count] = (name, value);
        count += 1;
    }
    let extras = &mut extras[..count];
    // Insertion sort: a handful of elements, no allocation.
    for i in 1..extras.len() {
        let mut j = i;
        while j > 0 && cmp_param(extras[j - 1], extras[j]) == Ordering::Greater {
            extras.swap(j - 1, j);
            j -= 1;
        }
    }

    let start = out.len();
    let separate = |out: &mut String| {
        if out.len() > start {
            out.push('&');
        }
    };
    let mut next = extras.iter().peekable();
    for (i, own_name) in OWN_NAMES.iter().enumerate() {
        // No ties: an extra named like an own parameter was skipped above,
        // and encoding leaves the own names as they are.
        while let Some((name, value)) =
            next.next_if(|(name, _)| cmp_encoded(name, own_name) == Ordering::Less)
        {
            separate(out);
            write_param(out, name, value);
        }
        separate(out);
        own.write(i, out);
    }
    for (name, value) in next {
        out.push('&');
        write_param(out, name, value);
    }
}

/// The straightforward form: encode everything into new strings, sort them,
/// join them. Used past [`MERGE_MAX_EXTRAS`] extras, and the reference the
/// merge is tested against.
pub(super) fn write_general(out: &mut String, own: &OwnParams<'_>, extra_query: &[(&str, &str)]) {
    let encode = |text: &str| utf8_percent_encode(text, ENCODE).to_string();
    let mut own_text = String::with_capacity(256);
    for i in 0..OWN_NAMES.len() {
        if i > 0 {
            own_text.push('&');
        }
        own.write(i, &mut own_text);
    }
    let extra: Vec<(String, String)> = extra_query
        .iter()
        .filter(|(name, _)| !is_reserved(name))
        .map(|(name, value)| (encode(name), encode(value)))
        .collect();
    let mut params: Vec<(&str, &str)> = own_text
        .split('&')
        .filter_map(|param| param.split_once('='))
        .chain(extra.iter().map(|(n, v)| (n.as_str(), v.as_str())))
        .collect();
    params.sort_unstable();
    for (i, (name, value)) in params.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
}

fn write_param(out: &mut String, name: &str, value: &str) {
    out.extend(utf8_percent_encode(name, ENCODE));
    out.push('=');
    out.extend(utf8_percent_encode(value, ENCODE));
}

/// Orders `(name, value)` pairs as their encoded forms sort.
fn cmp_param(a: (&str, &str), b: (&str, &str)) -> Ordering {
    cmp_encoded(a.0, b.0).then_with(|| cmp_encoded(a.1, b.1))
}

/// Compares two texts as their percent-encoded forms would, without writing
/// them out. Encoding maps each byte on its own, so the order is decided at
/// the first byte that differs: a byte that stays sorts as itself, an encoded
/// one as `%` (below every byte that stays) followed by its hex digits
/// (uppercase, so in byte order). The raw order would be wrong: `~` stays,
/// `\x7f` becomes `%7F`. (Measured: going through `utf8_percent_encode`
/// iterators here took 15% of the photo URL's time.)
fn cmp_encoded(a: &str, b: &str) -> Ordering {
    let sort_key = |byte: u8| {
        if is_unreserved(byte) {
            (byte, 0)
        } else {
            (b'%', byte)
        }
    };
    match a.bytes().zip(b.bytes()).find(|(x, y)| x != y) {
        Some((x, y)) => sort_key(x).cmp(&sort_key(y)),
        None => a.len().cmp(&b.len()),
    }
}

/// The bytes [`ENCODE`] leaves as they are.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// `n` in decimal, without going through `fmt`.
fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).expect("ASCII digits"));
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
