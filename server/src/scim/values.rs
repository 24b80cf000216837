//! Reading SCIM attribute values as providers send them: strings held to
//! Lanyard's text rule, booleans also as Entra ID's `"True"`/`"False"`,
//! one value of a multi-valued attribute, a manager as `{"value": …}` or a
//! bare id. Attribute names are case-insensitive (RFC 7643 §2.1): every
//! lookup goes through [`field`].

use super::error::{ScimError, ScimResult, ScimType};
use serde_json::{Map, Value};

/// The member of `object` named `name`, ignoring ASCII case.
pub(super) fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

/// A string attribute: trimmed, and held to the one text rule
/// ([`lanyard_wire::check_text`]).
pub(super) fn text(name: &str, value: &Value) -> ScimResult<String> {
    let Value::String(s) = value else {
        return Err(ScimError::bad(
            ScimType::InvalidValue,
            format!("{name} is a string."),
        ));
    };
    let s = s.trim();
    lanyard_wire::check_text(s).map_err(|problem| {
        ScimError::bad(
            ScimType::InvalidValue,
            format!("{name} {}", problem.describe()),
        )
    })?;
    Ok(s.to_owned())
}

pub(super) fn opt_text(set: bool, name: &str, value: &Value) -> ScimResult<Option<String>> {
    if !set {
        return Ok(None);
    }
    Ok(Some(text(name, value)?).filter(|s| !s.is_empty()))
}

pub(super) fn object<'a>(name: &str, value: &'a Value) -> ScimResult<&'a Map<String, Value>> {
    value
        .as_object()
        .ok_or_else(|| ScimError::bad(ScimType::InvalidValue, format!("{name} is an object.")))
}

/// One value of a multi-valued attribute: `[{…}]` (the primary one, else
/// the `work` one, else the first), `{…}`, or the bare string (a path that
/// ends in `.value`).
pub(super) fn multi(set: bool, name: &str, sub: &str, value: &Value) -> ScimResult<Option<String>> {
    if !set {
        return Ok(None);
    }
    let pick = |items: &[Value]| -> Option<Value> {
        let flag = |v: &Value, key: &str| v.as_object().and_then(|o| field(o, key)).cloned();
        items
            .iter()
            .find(|v| flag(v, "primary").is_some_and(|p| boolean("primary", &p).unwrap_or(false)))
            .or_else(|| {
                items.iter().find(|v| {
                    flag(v, "type").and_then(|t| t.as_str().map(|t| t.eq_ignore_ascii_case("work")))
                        == Some(true)
                })
            })
            .or_else(|| items.first())
            .cloned()
    };
    let item = match value {
        Value::Array(items) if items.is_empty() => return Ok(None),
        Value::Array(items) => pick(items).unwrap_or(Value::Null),
        other => other.clone(),
    };
    let inner = match &item {
        Value::Object(o) => field(o, sub).cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    if inner.is_null() {
        return Ok(None);
    }
    opt_text(true, &format!("{name}.{sub}"), &inner)
}

/// `true`/`false`, or the strings Entra ID sends (`"True"`, `"False"`).
pub(super) fn boolean(name: &str, value: &Value) -> ScimResult<bool> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(ScimError::bad(
            ScimType::InvalidValue,
            format!("{name} is true or false."),
        )),
    }
}

/// A manager: `{"value": "42"}`, or the bare id Entra ID sends.
pub(super) fn manager_id(value: &Value) -> ScimResult<i64> {
    let id = match value {
        Value::Object(o) => field(o, "value").cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    let parsed = match &id {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    };
    parsed.filter(|id| *id > 0).ok_or_else(|| {
        ScimError::bad(
            ScimType::InvalidValue,
            "manager.value is the id of a Lanyard user (as GET /Users returns it).",
        )
    })
}
