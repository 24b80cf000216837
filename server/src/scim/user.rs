//! A SCIM User as Lanyard keeps it, and the one way attributes are written
//! to it: a POST or PUT body is "replace every attribute of an empty user",
//! a PATCH operation is "add, replace or remove at this path". Pure: the
//! rules that need the directory (a taken email, a manager that exists and
//! closes no loop) are [`crate::admin::edit`]'s.
//!
//! The attributes (RFC 7643 §4.1 and §4.3) and where they go:
//! `userName` (unique; the work email unless `emails` gives one),
//! `externalId`, `displayName` and `name.givenName`/`name.familyName` (the
//! directory's name is the display name, else the parts, else the user
//! name), `title`, `emails[].value`, `phoneNumbers[].value`,
//! `addresses[].locality` (location), `active`, and the enterprise
//! extension's `department` and `manager.value` (a Lanyard user id).
//! Lanyard keeps one value of each multi-valued attribute: the primary
//! one, else the `work` one, else the first.
//!
//! What providers really send is accepted: Entra ID's booleans as strings
//! (`"False"`), capitalised ops (`"Replace"`), a manager as a bare id,
//! a PATCH without a `path` whose value keys are paths themselves
//! (`"name.givenName"`). Attributes of the User schema that Lanyard does
//! not keep (`locale`, `nickName`, `employeeNumber`, …) are ignored, as
//! RFC 7644 §3.3 allows; names that are in no schema are refused.

use super::error::{ScimError, ScimResult, ScimType};
use super::values::{boolean, field, manager_id, multi, object, opt_text, text};
use scim_v2::filter::{AttrExp, AttrPath, CompValue, CompareOp, PatchPath, ValFilter};
use serde_json::{Map, Value};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// The user's attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScimUser {
    pub user_name: String,
    pub external_id: Option<String>,
    pub display_name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// From `emails`; `None`: the user name is the email.
    pub email: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub department: Option<String>,
    /// A Lanyard user id.
    pub manager: Option<i64>,
    pub active: bool,
}

impl ScimUser {
    /// The name the directory shows.
    pub fn directory_name(&self) -> String {
        if let Some(name) = self
            .display_name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
        {
            return name.to_owned();
        }
        let parts: Vec<&str> = [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            self.user_name.clone()
        } else {
            parts.join(" ")
        }
    }

    /// The work email: `emails`' value, else the user name.
    pub fn email(&self) -> &str {
        self.email.as_deref().unwrap_or(&self.user_name)
    }

    /// A user from a POST or PUT body: every attribute it gives, the rest
    /// empty (`active` true unless it says otherwise).
    pub fn from_body(body: &Value) -> ScimResult<Self> {
        let Value::Object(body) = body else {
            return Err(ScimError::bad(
                ScimType::InvalidSyntax,
                "A user is a JSON object.",
            ));
        };
        check_schemas(body, USER_SCHEMA)?;
        let mut user = Self {
            active: true,
            ..Self::default()
        };
        for (key, value) in body {
            if matches!(key.to_ascii_lowercase().as_str(), "schemas" | "id" | "meta") {
                continue;
            }
            if key.eq_ignore_ascii_case(ENTERPRISE) {
                user.set_extension(value)?;
                continue;
            }
            let path = parse_path(key)?;
            if matches!(path.target, Target::ReadOnly(_)) {
                // RFC 7644 §3.5.1: read-only values in a body are ignored
                // (Okta sends "groups": [] with every user).
                continue;
            }
            user.apply(Op::Replace, &path, value)?;
        }
        if user.user_name.trim().is_empty() {
            return Err(ScimError::bad(
                ScimType::InvalidValue,
                "userName is required (the person's work email).",
            ));
        }
        Ok(user)
    }

    /// Applies a `PatchOp` body (RFC 7644 §3.5.2): every operation, or
    /// none (the caller writes only when all succeeded).
    pub fn patch(&mut self, body: &Value) -> ScimResult<()> {
        let Value::Object(body) = body else {
            return Err(ScimError::bad(
                ScimType::InvalidSyntax,
                "A PATCH body is a JSON object.",
            ));
        };
        check_schemas(body, PATCH_SCHEMA)?;
        let ops = field(body, "Operations")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                ScimError::bad(
                    ScimType::InvalidSyntax,
                    "A PATCH body needs Operations: [...].",
                )
            })?;
        if ops.is_empty() {
            return Err(ScimError::bad(
                ScimType::InvalidSyntax,
                "A PATCH body needs at least one operation.",
            ));
        }
        let mut patched = self.clone();
        for op in ops {
            patched.patch_one(op)?;
        }
        *self = patched;
        Ok(())
    }

    fn patch_one(&mut self, op: &Value) -> ScimResult<()> {
        let field = |name: &str| op.as_object().and_then(|o| field(o, name));
        let kind = match field("op")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
        {
            Some(o) if o == "add" => Op::Add,
            Some(o) if o == "replace" => Op::Replace,
            Some(o) if o == "remove" => Op::Remove,
            _ => {
                return Err(ScimError::bad(
                    ScimType::InvalidSyntax,
                    "Each operation's op is add, replace or remove.",
                ))
            }
        };
        let value = field("value");
        match field("path").and_then(Value::as_str) {
            // The whole enterprise extension at once.
            Some(path) if path.trim().eq_ignore_ascii_case(ENTERPRISE) => match (kind, value) {
                (Op::Remove, _) => {
                    self.department = None;
                    self.manager = None;
                    Ok(())
                }
                (_, Some(value)) => self.set_extension(value),
                (_, None) => Err(ScimError::bad(
                    ScimType::InvalidSyntax,
                    "add and replace need a value.",
                )),
            },
            Some(path) => {
                let path = parse_path(path)?;
                match (kind, value) {
                    (Op::Remove, _) => self.apply(Op::Remove, &path, &Value::Null),
                    (_, Some(value)) => self.apply(kind, &path, value),
                    (_, None) => Err(ScimError::bad(
                        ScimType::InvalidSyntax,
                        "add and replace need a value.",
                    )),
                }
            }
            None if kind == Op::Remove => {
                Err(ScimError::bad(ScimType::NoTarget, "remove needs a path."))
            }
            // Without a path the value is an object of attributes, whose
            // keys may themselves be paths (Entra ID sends "name.givenName").
            None => {
                let Some(Value::Object(values)) = value else {
                    return Err(ScimError::bad(
                        ScimType::InvalidSyntax,
                        "add or replace without a path needs an object value.",
                    ));
                };
                for (key, value) in values {
                    if key.eq_ignore_ascii_case(ENTERPRISE) {
                        self.set_extension(value)?;
                        continue;
                    }
                    let path = parse_path(key)?;
                    self.apply(kind, &path, value)?;
                }
                Ok(())
            }
        }
    }

    /// The enterprise extension as one object: `{department, manager}`.
    fn set_extension(&mut self, value: &Value) -> ScimResult<()> {
        let Value::Object(values) = value else {
            return Err(ScimError::bad(
                ScimType::InvalidValue,
                "The enterprise extension is an object.",
            ));
        };
        for (key, value) in values {
            if key.eq_ignore_ascii_case("schemas") {
                continue;
            }
            let path = parse_path(&format!("{ENTERPRISE}:{key}"))?;
            self.apply(Op::Replace, &path, value)?;
        }
        Ok(())
    }

    /// One operation at `path`. `add` and `replace` are the same for
    /// Lanyard's single-valued slots; `value` is `Null` for `remove`.
    fn apply(&mut self, op: Op, path: &Path, value: &Value) -> ScimResult<()> {
        let set = op != Op::Remove && !value.is_null();
        match path.target {
            Target::UserName => {
                if !set {
                    return Err(ScimError::bad(
                        ScimType::Mutability,
                        "userName is required and cannot be removed.",
                    ));
                }
                self.user_name = text("userName", value)?;
            }
            Target::ExternalId => self.external_id = opt_text(set, "externalId", value)?,
            Target::DisplayName => self.display_name = opt_text(set, "displayName", value)?,
            Target::Title => self.title = opt_text(set, "title", value)?,
            Target::GivenName => self.given_name = opt_text(set, "name.givenName", value)?,
            Target::FamilyName => self.family_name = opt_text(set, "name.familyName", value)?,
            Target::Name => {
                if set {
                    let parts = object("name", value)?;
                    for (key, value) in parts {
                        let sub = parse_path(&format!("name.{key}"))?;
                        self.apply(Op::Replace, &sub, value)?;
                    }
                } else {
                    self.given_name = None;
                    self.family_name = None;
                }
            }
            Target::Email => self.email = multi(set, "emails", "value", value)?,
            Target::Phone => self.phone = multi(set, "phoneNumbers", "value", value)?,
            Target::Location => self.location = multi(set, "addresses", "locality", value)?,
            Target::Active => {
                if !set {
                    return Err(ScimError::bad(
                        ScimType::Mutability,
                        "active cannot be removed: set it to true or false.",
                    ));
                }
                self.active = boolean("active", value)?;
            }
            Target::Department => self.department = opt_text(set, "department", value)?,
            Target::Manager => {
                self.manager = if set { Some(manager_id(value)?) } else { None };
            }
            Target::Ignored => {}
            Target::ReadOnly(name) => {
                return Err(ScimError::bad(
                    ScimType::Mutability,
                    format!("{name} is read-only."),
                ))
            }
        }
        Ok(())
    }
}

pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Replace,
    Remove,
}

/// What a path writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    UserName,
    ExternalId,
    DisplayName,
    Title,
    Name,
    GivenName,
    FamilyName,
    Email,
    Phone,
    Location,
    Active,
    Department,
    Manager,
    /// An attribute of the schemas that Lanyard does not keep.
    Ignored,
    ReadOnly(&'static str),
}

#[derive(Debug, Clone, Copy)]
struct Path {
    target: Target,
}

/// The User schema's attributes that Lanyard does not keep: accepted and
/// ignored (RFC 7644 §3.3 lets a service provider ignore them).
const IGNORED: &[&str] = &[
    "nickname",
    "profileurl",
    "usertype",
    "preferredlanguage",
    "locale",
    "timezone",
    "password",
    "ims",
    "photos",
    "entitlements",
    "roles",
    "x509certificates",
];

const IGNORED_ENTERPRISE: &[&str] = &["employeenumber", "costcenter", "organization", "division"];

/// A path (RFC 7644 §3.5.2's grammar, parsed by `scim_v2`) to what it writes.
fn parse_path(raw: &str) -> ScimResult<Path> {
    let invalid = || {
        ScimError::bad(
            ScimType::InvalidPath,
            format!("{raw:?} is not an attribute Lanyard's users have."),
        )
    };
    let parsed: PatchPath = raw.parse().map_err(|_| {
        ScimError::bad(
            ScimType::InvalidPath,
            format!("{raw:?} is not a valid path."),
        )
    })?;
    let (attr, filter, sub_attr) = match &parsed {
        PatchPath::Attr(attr) => (attr, None, attr.sub_attr.as_deref()),
        PatchPath::Value(v) => (&v.attr, Some(&v.filter), v.sub_attr.as_deref()),
    };
    let name = attr.name.to_ascii_lowercase();
    let sub = sub_attr.map(str::to_ascii_lowercase);
    let sub = sub.as_deref();
    if let Some(filter) = filter {
        check_value_filter(filter)?;
    }
    let uri = attr.uri.as_deref().map(str::to_ascii_lowercase);
    let target = match uri.as_deref() {
        Some(u) if u == ENTERPRISE.to_ascii_lowercase() => match (name.as_str(), sub) {
            ("department", None) => Target::Department,
            ("manager", None | Some("value")) => Target::Manager,
            ("manager", Some("$ref")) => Target::Ignored,
            ("manager", Some("displayname")) => Target::ReadOnly("manager.displayName"),
            (n, None) if IGNORED_ENTERPRISE.contains(&n) => Target::Ignored,
            _ => return Err(invalid()),
        },
        Some(u) if u == USER_SCHEMA.to_ascii_lowercase() => {
            core_target(&name, sub, filter.is_some()).ok_or_else(invalid)?
        }
        Some(_) => return Err(invalid()),
        None => core_target(&name, sub, filter.is_some()).ok_or_else(invalid)?,
    };
    Ok(Path { target })
}

fn core_target(name: &str, sub: Option<&str>, filtered: bool) -> Option<Target> {
    Some(match (name, sub) {
        ("username", None) => Target::UserName,
        ("externalid", None) => Target::ExternalId,
        ("displayname", None) => Target::DisplayName,
        ("title", None) => Target::Title,
        ("active", None) => Target::Active,
        ("name", None) if !filtered => Target::Name,
        ("name", Some("givenname")) => Target::GivenName,
        ("name", Some("familyname")) => Target::FamilyName,
        // The directory's name is made from the others.
        ("name", Some("formatted" | "middlename" | "honorificprefix" | "honorificsuffix")) => {
            Target::Ignored
        }
        ("emails", None | Some("value")) => Target::Email,
        ("phonenumbers", None | Some("value")) => Target::Phone,
        ("addresses", None | Some("locality")) => Target::Location,
        ("emails" | "phonenumbers" | "addresses", Some(_)) => Target::Ignored,
        ("id", _) => Target::ReadOnly("id"),
        ("meta", _) => Target::ReadOnly("meta"),
        ("groups", _) => Target::ReadOnly("groups"),
        (n, None) if IGNORED.contains(&n) => Target::Ignored,
        (n, Some(_)) if IGNORED.contains(&n) => Target::Ignored,
        _ => return None,
    })
}

/// A value path's filter (`emails[type eq "work"]`) picks among values;
/// Lanyard keeps one, which every such filter selects. It must still be
/// about the value's own sub-attributes.
fn check_value_filter(filter: &ValFilter) -> ScimResult<()> {
    match filter {
        ValFilter::Attr(AttrExp::Comparison(path, CompareOp::Eq, _) | AttrExp::Present(path))
            if path.uri.is_none() && path.sub_attr.is_none() =>
        {
            Ok(())
        }
        ValFilter::And(items) | ValFilter::Or(items) => {
            items.as_slice().iter().try_for_each(check_value_filter)
        }
        _ => Err(ScimError::bad(
            ScimType::InvalidFilter,
            "A value filter in a path compares the value's own attributes with eq.",
        )),
    }
}

fn check_schemas(body: &Map<String, Value>, expected: &str) -> ScimResult<()> {
    let Some(schemas) = field(body, "schemas") else {
        // Okta and Entra ID always send it; a client that forgets is
        // still understood.
        return Ok(());
    };
    let Some(schemas) = schemas.as_array() else {
        return Err(ScimError::bad(
            ScimType::InvalidSyntax,
            "schemas is a list of schema URNs.",
        ));
    };
    for schema in schemas {
        let known = schema.as_str().is_some_and(|s| {
            s.eq_ignore_ascii_case(expected)
                || (expected == USER_SCHEMA && s.eq_ignore_ascii_case(ENTERPRISE))
        });
        if !known {
            return Err(ScimError::bad(
                ScimType::InvalidValue,
                format!(
                    "Unknown schema {schema}: Lanyard accepts {expected}{}.",
                    if expected == USER_SCHEMA {
                        format!(" and {ENTERPRISE}")
                    } else {
                        String::new()
                    }
                ),
            ));
        }
    }
    Ok(())
}

/// Filters on the list: the attribute names Lanyard can filter users by.
pub fn filter_attr(attr: &AttrPath) -> Option<&'static str> {
    if attr
        .uri
        .as_deref()
        .is_some_and(|u| !u.eq_ignore_ascii_case(USER_SCHEMA))
    {
        return None;
    }
    match (
        attr.name.to_ascii_lowercase().as_str(),
        attr.sub_attr
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref(),
    ) {
        ("username", None) => Some("userName"),
        ("externalid", None) => Some("externalId"),
        ("active", None) => Some("active"),
        ("id", None) => Some("id"),
        ("emails", None | Some("value")) => Some("emails"),
        _ => None,
    }
}

/// A comparison value as the text to compare with.
pub fn comp_text(value: &CompValue) -> Option<String> {
    match value {
        CompValue::Str(s) => Some(s.clone()),
        CompValue::True => Some("true".into()),
        CompValue::False => Some("false".into()),
        CompValue::Number(n) => Some(n.to_string()),
        CompValue::Null => None,
    }
}

#[cfg(test)]
#[path = "user_tests.rs"]
mod tests;
