//! `GET /Users`' query: the filter (RFC 7644 §3.4.2.2, parsed by
//! `scim_v2`) as the conditions Lanyard can answer, paging, and which
//! attributes to return. Pure.

use super::error::{ScimError, ScimResult, ScimType};
use super::user::{comp_text, filter_attr};
use scim_v2::filter::{AttrExp, CompareOp, Filter};

/// The most users one page returns (`count` above it is cut to it, as
/// RFC 7644 §3.4.2.4 allows).
pub const MAX_RESULTS: u32 = 200;

/// One condition: `attribute eq value`, all of them joined by `and`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    UserName(String),
    ExternalId(String),
    Email(String),
    Id(i64),
    Active(bool),
    /// A condition nothing matches (`id eq "abc"`).
    Nothing,
}

/// What a filter asks for: every condition must hold.
pub fn conditions(raw: Option<&str>) -> ScimResult<Vec<Condition>> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(Vec::new());
    };
    let filter: Filter = raw.parse().map_err(|_| {
        ScimError::bad(
            ScimType::InvalidFilter,
            format!("{raw:?} is not a valid SCIM filter."),
        )
    })?;
    let mut found = Vec::new();
    collect(&filter, &mut found)?;
    Ok(found)
}

fn collect(filter: &Filter, found: &mut Vec<Condition>) -> ScimResult<()> {
    let unsupported = || {
        ScimError::bad(
            ScimType::InvalidFilter,
            "Lanyard filters users by userName, externalId, emails, id and active, \
             compared with eq and joined with and.",
        )
    };
    match filter {
        Filter::And(items) => items
            .as_slice()
            .iter()
            .try_for_each(|item| collect(item, found)),
        Filter::Attr(AttrExp::Comparison(path, CompareOp::Eq, value)) => {
            let attr = filter_attr(path).ok_or_else(unsupported)?;
            let text = comp_text(value).ok_or_else(unsupported)?;
            found.push(match attr {
                "userName" => Condition::UserName(text),
                "externalId" => Condition::ExternalId(text),
                "emails" => Condition::Email(text),
                "id" => text.parse().map_or(Condition::Nothing, Condition::Id),
                "active" => match text.to_ascii_lowercase().as_str() {
                    "true" => Condition::Active(true),
                    "false" => Condition::Active(false),
                    _ => return Err(unsupported()),
                },
                _ => return Err(unsupported()),
            });
            Ok(())
        }
        _ => Err(unsupported()),
    }
}

/// `startIndex` (1-based; below 1 counts as 1) and `count` (default and
/// ceiling [`MAX_RESULTS`]; 0 asks for the total only).
pub fn paging(start_index: Option<i64>, count: Option<i64>) -> (u32, u32) {
    let start = start_index.unwrap_or(1).clamp(1, i64::from(u32::MAX)) as u32;
    let count = count
        .unwrap_or(i64::from(MAX_RESULTS))
        .clamp(0, i64::from(MAX_RESULTS)) as u32;
    (start, count)
}

/// `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5), applied to a
/// rendered user: top-level names, case-insensitive, with or without their
/// schema's URN. `id` and `schemas` are always returned.
pub fn project(user: &mut serde_json::Value, attributes: Option<&str>, excluded: Option<&str>) {
    let names = |raw: Option<&str>| -> Vec<String> {
        raw.unwrap_or_default()
            .split(',')
            .map(|a| {
                let a = a.trim().to_ascii_lowercase();
                let enterprise = super::user::ENTERPRISE.to_ascii_lowercase();
                if a.starts_with(&enterprise) {
                    // The extension's attributes: the whole extension.
                    return enterprise;
                }
                let core = super::user::USER_SCHEMA.to_ascii_lowercase() + ":";
                let a = a.strip_prefix(&core).unwrap_or(&a);
                // `name.givenName` keeps all of `name`.
                a.split('.').next().unwrap_or(a).to_owned()
            })
            .filter(|a| !a.is_empty())
            .collect()
    };
    let Some(object) = user.as_object_mut() else {
        return;
    };
    let wanted = names(attributes);
    let unwanted = names(excluded);
    object.retain(|key, _| {
        let key = key.to_ascii_lowercase();
        if key == "id" || key == "schemas" {
            return true;
        }
        if !wanted.is_empty() {
            return wanted.contains(&key);
        }
        !unwanted.contains(&key)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filters_providers_send_are_understood() {
        assert_eq!(
            conditions(Some(r#"userName eq "ada@lanyard.example""#)).unwrap(),
            [Condition::UserName("ada@lanyard.example".into())]
        );
        assert_eq!(
            conditions(Some(r#"externalId eq "00u1" and active eq true"#)).unwrap(),
            [
                Condition::ExternalId("00u1".into()),
                Condition::Active(true)
            ]
        );
        // A value filter compared as a whole is not a condition Lanyard has.
        assert!(conditions(Some(r#"emails[type eq "work"] eq "x""#)).is_err());
        assert_eq!(
            conditions(Some(r#"emails.value eq "a@b.co""#)).unwrap(),
            [Condition::Email("a@b.co".into())]
        );
        assert_eq!(
            conditions(Some(r#"id eq "abc""#)).unwrap(),
            [Condition::Nothing]
        );
        assert!(conditions(None).unwrap().is_empty());
    }

    #[test]
    fn what_lanyard_cannot_answer_is_an_invalid_filter() {
        for bad in [
            r#"userName eq"#,
            r#"userName co "ada""#,
            r#"title eq "x""#,
            r#"userName eq "a" or userName eq "b""#,
            r#"not (active eq true)"#,
            "((((",
        ] {
            let err = conditions(Some(bad)).unwrap_err();
            assert_eq!(err.scim_type, Some(ScimType::InvalidFilter), "{bad}");
        }
    }

    #[test]
    fn paging_is_clamped() {
        assert_eq!(paging(None, None), (1, MAX_RESULTS));
        assert_eq!(paging(Some(0), Some(-3)), (1, 0));
        assert_eq!(paging(Some(5), Some(10_000)), (5, MAX_RESULTS));
    }

    #[test]
    fn projections_keep_id_and_schemas() {
        let user = serde_json::json!({"schemas": [], "id": "1", "userName": "a", "title": "t",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "d"}});
        let mut only = user.clone();
        project(&mut only, Some("userName"), None);
        assert_eq!(
            only,
            serde_json::json!({"schemas": [], "id": "1", "userName": "a"})
        );
        let mut without = user.clone();
        project(
            &mut without,
            None,
            Some("title,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
        );
        assert_eq!(
            without,
            serde_json::json!({"schemas": [], "id": "1", "userName": "a"})
        );
    }
}
