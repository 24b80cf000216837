//! Integers in request bodies as the API document's dialect counts them.
//! OpenAPI 3.1 is JSON Schema 2020-12, where `2.0` *is* the integer 2 (a
//! number's value counts, not its spelling), and schemathesis sends such
//! spellings to check that a server agrees. serde refuses them, so the few
//! integers a client sends are read through these: any integral number in
//! range is taken; `2.5`, `1e300` and strings are still refused.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use std::fmt;

/// 2^63: the first float beyond `i64`.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

struct Integer;

impl Visitor<'_> for Integer {
    type Value = i128;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i128, E> {
        Ok(v.into())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i128, E> {
        Ok(v.into())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i128, E> {
        // -2^63 itself is left out: serde_json reads an integer literal
        // just below it (-9223372036854775809) as that float, so the float
        // cannot tell the two apart. Every other integral float in range
        // converts exactly. (serde_json must parse floats exactly: its
        // `float_roundtrip` feature, which the server turns on.)
        if v.fract() == 0.0 && v > -TWO_POW_63 && v < 2.0 * TWO_POW_63 {
            Ok(v as i128)
        } else {
            Err(E::invalid_type(Unexpected::Float(v), &self))
        }
    }
}

fn integer<'de, D: Deserializer<'de>, T: TryFrom<i128>>(deserializer: D) -> Result<T, D::Error> {
    let value = deserializer.deserialize_i64(Integer)?;
    T::try_from(value).map_err(|_| {
        de::Error::invalid_value(
            Unexpected::Other(&format!("integer {value}")),
            &"an integer in range",
        )
    })
}

/// An `i64` from `2` or `2.0`.
pub fn i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    integer(deserializer)
}

/// A `u64` from `2` or `2.0`.
pub fn u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    integer(deserializer)
}

#[cfg(test)]
mod tests {
    #[derive(Debug, serde::Deserialize)]
    struct Body {
        #[serde(deserialize_with = "super::i64")]
        signed: i64,
        #[serde(deserialize_with = "super::u64")]
        unsigned: u64,
    }

    fn read(json: &str) -> Result<(i64, u64), String> {
        serde_json::from_str::<Body>(json)
            .map(|b| (b.signed, b.unsigned))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn integral_numbers_count_whatever_their_spelling() {
        assert_eq!(read(r#"{"signed": -7, "unsigned": 7}"#), Ok((-7, 7)));
        assert_eq!(read(r#"{"signed": -7.0, "unsigned": 7.0}"#), Ok((-7, 7)));
        assert_eq!(read(r#"{"signed": 2e3, "unsigned": 1E2}"#), Ok((2000, 100)));
        // Exact where serde_json's default parser is a unit off (.25 here).
        assert_eq!(
            read(r#"{"signed": -1818428781554367.0, "unsigned": 4503599627370495.0}"#),
            Ok((-1818428781554367, 4503599627370495))
        );
        assert_eq!(
            read(r#"{"signed": -9223372036854775808, "unsigned": 18446744073709551615}"#),
            Ok((i64::MIN, u64::MAX))
        );
        assert_eq!(
            read(r#"{"signed": -9223372036854774784.0, "unsigned": 0.0}"#),
            Ok((i64::MIN + 1024, 0))
        );
    }

    #[test]
    fn fractions_out_of_range_and_strings_are_refused() {
        for json in [
            r#"{"signed": 2.5, "unsigned": 1}"#,
            r#"{"signed": 1, "unsigned": -1}"#,
            r#"{"signed": 1, "unsigned": -1.0}"#,
            r#"{"signed": 9223372036854775808, "unsigned": 1}"#,
            r#"{"signed": 9223372036854775808.0, "unsigned": 1}"#,
            r#"{"signed": 1e300, "unsigned": 1}"#,
            // Below i64::MIN: serde_json reads it as the float -2^63.
            r#"{"signed": -9223372036854775809, "unsigned": 1}"#,
            r#"{"signed": "1", "unsigned": 1}"#,
            r#"{"signed": null, "unsigned": 1}"#,
        ] {
            assert!(read(json).is_err(), "{json}");
        }
        assert!(read(r#"{"signed": 2.5, "unsigned": 1}"#)
            .unwrap_err()
            .contains("expected an integer"));
    }
}
