//! What the OpenAPI document says a value may be, for every value the server
//! checks beyond its JSON type: built from the very constants the checks use
//! (utoipa's attributes take only literals, so a `#[schema(maximum = 100)]`
//! would be a second copy of `MAX_PAGE_SIZE`). Fields name these functions
//! with `schema_with`. The patterns are pinned against the Rust checks by
//! the tests below, and schemathesis's `positive_data_acceptance` and
//! `negative_data_rejection` hold the server to them (scripts/schemathesis.sh).
//!
//! The patterns avoid `\s`, `\S` and `.`: ECMA-262 (what JSON Schema names),
//! Python (schemathesis) and Rust disagree on them. Every class is spelled
//! out in `\uXXXX` escapes, which the three read alike.

use crate::{MAX_AUDIT_PAGE, MAX_PAGE_SIZE, MAX_PHOTO_BATCH, MAX_REASON_CHARS, MAX_TEXT_CHARS};
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type,
};
use utoipa::openapi::RefOr;

/// No control character anywhere (`char::is_control`: Unicode's Cc,
/// U+0000–U+001F and U+007F–U+009F), as [`crate::check_text`] requires.
pub const TEXT_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";

/// [`TEXT_PATTERN`], and at least one character that is neither a control
/// nor white space (Unicode's White_Space, what Rust's `trim` removes): a
/// required field is refused when it is blank once trimmed.
pub const REQUIRED_TEXT_PATTERN: &str = concat!(
    r"^[^\u0000-\u001F\u007F-\u009F]*",
    r"[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]",
    r"[^\u0000-\u001F\u007F-\u009F]*$",
);

/// An email as the server takes one (`admin::fields::email`): white space
/// around it is trimmed; inside, no white space, control or `"`; one `@`
/// with something before it; after it at least two non-empty dot-separated
/// labels.
pub const EMAIL_PATTERN: &str = concat!(
    r"^[\u0020\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*",
    r#"[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000@"]+"#,
    r#"@[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000@".]+"#,
    r#"(\.[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000@".]+)+"#,
    r"[\u0020\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$",
);

fn string(max_chars: usize, pattern: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(max_chars))
        .pattern(Some(pattern))
}

fn integer(format: KnownFormat, minimum: u64, maximum: u64) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(format)))
        .minimum(Some(minimum))
        .maximum(Some(maximum))
}

/// Optional free text (a search, a filter value, a phone number): at most
/// [`MAX_TEXT_CHARS`] characters, no control characters; may be empty.
pub fn text() -> Schema {
    string(MAX_TEXT_CHARS, TEXT_PATTERN).into()
}

/// A required field: [`text`] that is not blank.
pub fn required_text() -> Schema {
    string(MAX_TEXT_CHARS, REQUIRED_TEXT_PATTERN)
        .min_length(Some(1))
        .into()
}

/// A person's work email.
pub fn email() -> Schema {
    string(MAX_TEXT_CHARS, EMAIL_PATTERN)
        .min_length(Some(3))
        .into()
}

/// HR's reason for refusing a photo: required, at most
/// [`MAX_REASON_CHARS`], no control characters or line breaks.
pub fn reason() -> Schema {
    string(MAX_REASON_CHARS, REQUIRED_TEXT_PATTERN)
        .min_length(Some(1))
        .into()
}

/// A 1-based page number, up to `u32::MAX` (int64: int32 would stop at
/// 2^31 - 1, and the server reads pages past it).
pub fn page() -> Schema {
    integer(KnownFormat::Int64, 1, u32::MAX.into()).into()
}

/// The directory's page size: 1 to [`MAX_PAGE_SIZE`].
pub fn per_page() -> Schema {
    integer(KnownFormat::Int32, 1, MAX_PAGE_SIZE.into()).into()
}

/// The audit log's page size: 1 to [`MAX_AUDIT_PAGE`].
pub fn audit_limit() -> Schema {
    integer(KnownFormat::Int32, 1, MAX_AUDIT_PAGE.into()).into()
}

/// The people a photo batch names: 1 to [`MAX_PHOTO_BATCH`] ids.
pub fn photo_batch() -> Schema {
    let id = RefOr::Ref(utoipa::openapi::Ref::from_schema_name("EmployeeId"));
    ArrayBuilder::new()
        .items(id)
        .min_items(Some(1))
        .max_items(Some(MAX_PHOTO_BATCH))
        .into()
}

/// An audit action to filter by: [`crate::AuditAction`]'s values but
/// `unknown`, which is what a reader makes of an action a newer release
/// wrote (entries may say it; a filter may not).
pub fn audit_action_filter() -> RefOr<Schema> {
    let mut schema = <crate::AuditAction as utoipa::PartialSchema>::schema();
    if let RefOr::T(Schema::Object(object)) = &mut schema {
        if let Some(values) = object.enum_values.as_mut() {
            values.retain(|value| value != "unknown");
        }
    }
    schema
}

/// The image types an upload may declare.
pub fn photo_content_type() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(crate::PHOTO_CONTENT_TYPES))
        .into()
}

/// A declared upload size: 1 byte up to the server's limit, which is a
/// setting; the served document is told it (`with_upload_limit`).
pub fn upload_size() -> Schema {
    integer(KnownFormat::Int64, 1, i64::MAX as u64).into()
}

/// A person's fields as stored and answered: an identity provider (SCIM)
/// may add someone whose title, department and location are not filled in
/// yet, though HR's forms require them. `PersonRecord` flattens
/// `PersonFields` (an `allOf` naming the request's schema); this points it
/// at a copy with those three relaxed to [`text`].
pub fn with_stored_person_fields(document: &mut utoipa::openapi::OpenApi) {
    let mut stored = <crate::PersonFields as utoipa::PartialSchema>::schema();
    if let RefOr::T(Schema::Object(object)) = &mut stored {
        for job in ["title", "department", "location"] {
            object.properties.insert(job.to_owned(), text().into());
        }
    }
    let Some(components) = document.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::AllOf(record))) = components.schemas.get_mut("PersonRecord") else {
        return;
    };
    for item in &mut record.items {
        if matches!(item, RefOr::Ref(r) if r.ref_location.ends_with("/PersonFields")) {
            *item = stored.clone();
        }
    }
}

/// A location's time zone: none or blank clears it; otherwise one of the
/// server's time zone names, which the served document lists
/// ([`with_time_zones`]): the server takes them in any case, trimmed.
pub fn time_zone() -> Schema {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::String,
            Type::Null,
        ]))
        .max_length(Some(64))
        .into()
}

/// Lists the time zone names the server knows as [`time_zone`]'s values
/// (and `""`, which clears), from the server's time zone database.
pub fn with_time_zones<'a>(
    document: &mut utoipa::openapi::OpenApi,
    names: impl IntoIterator<Item = &'a str>,
) {
    let Some(components) = document.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::Object(request))) = components.schemas.get_mut("SetTimeZone") else {
        return;
    };
    if let Some(RefOr::T(Schema::Object(zone))) = request.properties.get_mut("time_zone") {
        let values = [Some(""), None]
            .into_iter()
            .chain(names.into_iter().map(Some));
        *zone = ObjectBuilder::from(zone.clone())
            .enum_values(Some(values))
            .build();
    }
}

/// Sets `UploadRequest.content_length`'s maximum in `document` to the
/// configured `max_bytes`.
pub fn with_upload_limit(document: &mut utoipa::openapi::OpenApi, max_bytes: u64) {
    let Some(components) = document.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::Object(request))) = components.schemas.get_mut("UploadRequest")
    else {
        return;
    };
    if let Some(RefOr::T(Schema::Object(size))) = request.properties.get_mut("content_length") {
        size.maximum = Some(max_bytes.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// Samples across the planes that matter: ASCII, Latin-1's controls and
    /// spaces, the other Unicode spaces, BOM, astral characters.
    fn samples() -> Vec<char> {
        let mut chars: Vec<char> = (0u32..0x250).filter_map(char::from_u32).collect();
        chars.extend(['\u{1680}', '\u{180E}', '\u{2000}', '\u{200A}', '\u{200B}']);
        chars.extend(['\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}', '\u{3000}']);
        chars.extend(['\u{FEFF}', 'é', '🦀', '\u{10FFFF}']);
        chars
    }

    #[test]
    fn the_text_patterns_agree_with_the_rust_rules_character_by_character() {
        let text = Regex::new(TEXT_PATTERN).unwrap();
        let required = Regex::new(REQUIRED_TEXT_PATTERN).unwrap();
        for c in samples() {
            for value in [format!("a{c}b"), c.to_string(), format!("{c}x")] {
                assert_eq!(
                    text.is_match(&value),
                    crate::check_text(&value).is_ok(),
                    "{value:?}"
                );
                let blank_or_bad = value.trim().is_empty() || crate::check_text(&value).is_err();
                assert_eq!(required.is_match(&value), !blank_or_bad, "{value:?}");
            }
        }
    }
}
