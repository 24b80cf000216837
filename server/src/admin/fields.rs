//! Checking what HR types about a person, the same way for the editor and
//! for every line of a CSV import. Pure: no database. Whether a manager
//! exists, is active and closes no loop needs the directory, so that is
//! checked by the callers ([`super::people`] for one edit, [`super::plan`]
//! for an import).

use lanyard_wire::{PersonFields, Role};

/// The longest name, email, title, department, location or phone accepted.
/// Nobody's is longer; a longer one is a pasted paragraph or an attack.
pub const MAX_FIELD_CHARS: usize = lanyard_wire::MAX_TEXT_CHARS;

/// A person's fields once trimmed and checked (the manager aside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanFields {
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    pub location: String,
    /// May be empty: not everyone has a phone number.
    pub phone: String,
    pub role: Role,
}

/// What is wrong with one field. The message starts with the field's name
/// as HR knows it (`name`, `email`, …, `manager`), so the editor can show
/// it next to that field and an import line says which column is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, problem: impl std::fmt::Display) -> Self {
        Self {
            field,
            message: format!("{field} {problem}"),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The fields as typed, before checking; `role` is already typed on the
/// JSON path and spelled out in a CSV.
#[derive(Debug, Clone, Copy)]
pub struct RawFields<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub title: &'a str,
    pub department: &'a str,
    pub location: &'a str,
    pub phone: &'a str,
    pub role: Role,
}

impl<'a> From<&'a PersonFields> for RawFields<'a> {
    fn from(fields: &'a PersonFields) -> Self {
        Self {
            name: &fields.name,
            email: &fields.email,
            title: &fields.title,
            department: &fields.department,
            location: &fields.location,
            phone: &fields.phone,
            role: fields.role,
        }
    }
}

/// Trims and checks every field; all problems, in field order.
pub fn clean(raw: RawFields<'_>) -> Result<CleanFields, Vec<FieldError>> {
    clean_with(raw, Required::Yes)
}

/// [`clean`], with `job` saying whether title, department and location are
/// required: HR's forms and imports require them; an identity provider
/// (SCIM) may know a person before their job is filled in.
pub fn clean_with(raw: RawFields<'_>, job: Required) -> Result<CleanFields, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut take = |result: Result<String, FieldError>| {
        result.unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        })
    };
    let fields = CleanFields {
        name: take(text("name", raw.name, Required::Yes)),
        email: take(email("email", raw.email)),
        title: take(text("title", raw.title, job)),
        department: take(text("department", raw.department, job)),
        location: take(text("location", raw.location, job)),
        phone: take(text("phone", raw.phone, Required::No)),
        role: raw.role,
    };
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    Yes,
    No,
}

/// `value` trimmed, refused when empty (if required), overlong or holding
/// control characters (a newline in a name breaks every list and CSV
/// export that shows it; a NUL truncates it in SQLite's LIKE). The rule is
/// checked on the value as sent, before trimming, so that the API document
/// can state it exactly (`lanyard_wire::schema`): a trailing newline is
/// refused, not silently dropped.
pub fn text(field: &'static str, value: &str, required: Required) -> Result<String, FieldError> {
    lanyard_wire::check_text(value)
        .map_err(|problem| FieldError::new(field, problem.describe()))?;
    let value = value.trim();
    if value.is_empty() && required == Required::Yes {
        return Err(FieldError::new(field, "must not be empty."));
    }
    Ok(value.to_owned())
}

/// A trimmed, plausible email address: `local@domain.tld`, no spaces. Not
/// RFC 5322 (quoted local parts are refused); enough to catch a name typed
/// into the email column, which is the mistake that happens.
pub fn email(field: &'static str, value: &str) -> Result<String, FieldError> {
    let value = text(field, value, Required::Yes)?;
    let bad = || {
        FieldError::new(
            field,
            "does not look like an email address (name@example.com).",
        )
    };
    if value.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let Some((local, domain)) = value.split_once('@') else {
        return Err(bad());
    };
    let labels_ok = domain.split('.').count() >= 2 && domain.split('.').all(|l| !l.is_empty());
    if local.is_empty() || domain.contains('@') || !labels_ok || value.contains('"') {
        return Err(bad());
    }
    Ok(value)
}

/// Emails are unique ignoring ASCII case, as the database compares them
/// ([`crate::db::nocase`]); this is the key both agree on.
pub fn email_key(email: &str) -> String {
    crate::db::nocase(email.trim())
}

/// The database's spelling of a role.
pub fn role_name(role: Role) -> &'static str {
    role.as_str()
}

/// A role as a CSV spells it, ignoring case; `None` for anything else.
pub fn parse_role(value: &str) -> Option<Role> {
    match value.trim().to_ascii_lowercase().as_str() {
        "employee" => Some(Role::Employee),
        "hr" => Some(Role::Hr),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawFields<'static> {
        RawFields {
            name: "  Ada Lovelace ",
            email: " ada@lanyard.example",
            title: "Engineer",
            department: "Engineering",
            location: "London",
            phone: "",
            role: Role::Employee,
        }
    }

    #[test]
    fn fields_are_trimmed_and_phone_may_be_empty() {
        let clean = clean(raw()).unwrap();
        assert_eq!(clean.name, "Ada Lovelace");
        assert_eq!(clean.email, "ada@lanyard.example");
        assert_eq!(clean.phone, "");
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let bad = RawFields {
            name: "   ",
            title: "x\ny",
            location: &"l".repeat(MAX_FIELD_CHARS + 1),
            ..raw()
        };
        let errors = clean(bad).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "title", "location"]);
        assert!(errors[0].message.starts_with("name "), "{}", errors[0]);
        assert!(errors[1].message.contains("control"), "{}", errors[1]);
        assert!(errors[2].message.contains("200"), "{}", errors[2]);
    }

    #[test]
    fn exactly_the_limit_is_accepted() {
        let long = "n".repeat(MAX_FIELD_CHARS);
        assert!(clean(RawFields {
            name: &long,
            ..raw()
        })
        .is_ok());
        // Characters, not bytes.
        let wide = "é".repeat(MAX_FIELD_CHARS);
        assert!(clean(RawFields {
            name: &wide,
            ..raw()
        })
        .is_ok());
    }

    #[test]
    fn email_shapes() {
        for good in [
            "a@b.co",
            "first.last+tag@sub.example.org",
            "ÉLODIE@exemple.fr",
        ] {
            assert!(email("email", good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "ada",
            "ada@",
            "@lanyard.example",
            "ada@lanyard",
            "ada@@lanyard.example",
            "a@b@c.d",
            "ada lovelace@x.y",
            "ada@x..y",
            "ada@.x",
            "ada@x.",
            "\"a\"@x.y",
            "a\t@x.y",
        ] {
            let err = email("email", bad).unwrap_err();
            assert!(err.message.starts_with("email "), "{bad:?}: {err}");
        }
    }

    /// The API document's email pattern (`lanyard_wire::schema`) takes
    /// exactly what this rule takes, on shapes and on every odd character.
    #[test]
    fn the_documented_email_pattern_is_this_rule() {
        let pattern = regex::Regex::new(lanyard_wire::schema::EMAIL_PATTERN).unwrap();
        let mut values: Vec<String> = [
            "a@b.co",
            " a@b.co ",
            "first.last+tag@sub.example.org",
            "ÉLODIE@exemple.fr",
            "",
            "ada",
            "ada@",
            "@x.y",
            "ada@x",
            "ada@@x.y",
            "a@b@c.d",
            "a b@x.y",
            "ada@x..y",
            "ada@.x",
            "ada@x.",
            "\"a\"@x.y",
            "a@x.y\n",
            "\u{3000}a@x.y",
            "a@x.y\u{feff}",
        ]
        .map(str::to_owned)
        .into();
        for c in (0u32..0x250)
            .chain([
                0x1680, 0x2000, 0x200B, 0x2028, 0x202F, 0x3000, 0xFEFF, 0x1F980,
            ])
            .filter_map(char::from_u32)
        {
            values.extend([
                format!("a{c}@x.y"),
                format!("a@x{c}.y"),
                format!("{c}a@x.y"),
            ]);
            values.push(format!("a@x.y{c}"));
        }
        for value in values {
            assert_eq!(
                pattern.is_match(&value),
                email("email", &value).is_ok(),
                "{value:?}"
            );
        }
    }

    #[test]
    fn email_keys_fold_ascii_case_like_sqlite_nocase() {
        assert_eq!(email_key(" Ada@Lanyard.Example "), "ada@lanyard.example");
        // NOCASE folds ASCII only; so does the key.
        assert_eq!(email_key("É@x.y"), "É@x.y");
    }

    #[test]
    fn roles_parse_ignoring_case() {
        assert_eq!(parse_role(" HR "), Some(Role::Hr));
        assert_eq!(parse_role("Employee"), Some(Role::Employee));
        assert_eq!(parse_role("admin"), None);
        assert_eq!(parse_role(""), None);
        assert_eq!(role_name(Role::Hr), "hr");
    }
}
