//! What a bucket policy (IAM policy JSON) says about the checklist: does it
//! deny every request made without TLS, does it cap the signature age, does
//! it grant anything to everyone.
//!
//! Only what these questions need is read, and leniently where IAM is
//! lenient: `Statement`, `Action`, `Resource` and condition values may be a
//! single value or a list, condition keys are case-insensitive, wildcards
//! (`*`, `?`) in actions and resources are matched. A statement counts only
//! when it applies to Lanyard's photo objects (GetObject and PutObject on
//! `arn:aws:s3:::BUCKET/photos/…`) and, for a Deny, when the checked key is
//! its only condition (a second condition would narrow it).

use serde_json::Value;

/// The answers a bucket policy gives to the doctor's questions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyFacts {
    /// A Deny for everyone when `aws:SecureTransport` is false.
    pub denies_plain_http: bool,
    /// The smallest `s3:signatureAge` cap (milliseconds) of a Deny, if any.
    pub signature_age_limit_ms: Option<u64>,
    /// `Sid`s (or positions) of Allow statements for everyone without conditions.
    pub public_grants: Vec<String>,
}

/// Reads `json` (a bucket policy) for `bucket`.
pub fn read_policy(json: &str, bucket: &str) -> Result<PolicyFacts, String> {
    let policy: Value =
        serde_json::from_str(json).map_err(|e| format!("the policy is not JSON: {e}"))?;
    let statements = match policy.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => return Err("the policy has no Statement".to_owned()),
    };
    let object = format!("arn:aws:s3:::{bucket}/photos/doctor-sample.jpg");
    let mut facts = PolicyFacts::default();
    for (index, statement) in statements.into_iter().enumerate() {
        if statement.get("NotAction").is_some() || statement.get("NotResource").is_some() {
            continue;
        }
        let reads = covers(statement.get("Action"), "s3:GetObject", true);
        let writes = covers(statement.get("Action"), "s3:PutObject", true);
        if !covers(statement.get("Resource"), &object, false) || !(reads || writes) {
            continue;
        }
        let everyone = is_everyone(statement.get("Principal"));
        let conditions = conditions(statement.get("Condition"));
        match statement.get("Effect").and_then(Value::as_str) {
            Some("Deny") if reads && writes => {
                let [(operator, key, values)] = conditions.as_slice() else {
                    continue;
                };
                let operator = operator.to_ascii_lowercase();
                if everyone
                    && key.eq_ignore_ascii_case("aws:SecureTransport")
                    && (operator == "bool" || operator == "boolifexists")
                    && values.iter().any(is_false)
                {
                    facts.denies_plain_http = true;
                }
                if key.eq_ignore_ascii_case("s3:signatureAge")
                    && operator.starts_with("numericgreaterthan")
                {
                    if let Some(limit) = values.iter().filter_map(as_number).min() {
                        facts.signature_age_limit_ms = Some(
                            facts
                                .signature_age_limit_ms
                                .map_or(limit, |known| known.min(limit)),
                        );
                    }
                }
            }
            Some("Allow") if everyone && conditions.is_empty() => {
                let sid = statement.get("Sid").and_then(Value::as_str);
                facts.public_grants.push(match sid {
                    Some(sid) => sid.to_owned(),
                    None => format!("statement {}", index + 1),
                });
            }
            _ => {}
        }
    }
    Ok(facts)
}

/// `"*"`, `{"AWS": "*"}` or `{"AWS": ["*"]}`.
fn is_everyone(principal: Option<&Value>) -> bool {
    match principal {
        Some(Value::String(s)) => s == "*",
        Some(Value::Object(map)) => map
            .get("AWS")
            .is_some_and(|aws| strings(aws).iter().any(|s| s == "*")),
        _ => false,
    }
}

/// Whether one of the patterns in `field` matches `target`.
fn covers(field: Option<&Value>, target: &str, ignore_case: bool) -> bool {
    field.is_some_and(|field| {
        strings(field).iter().any(|pattern| {
            if ignore_case {
                wildcard_match(&pattern.to_ascii_lowercase(), &target.to_ascii_lowercase())
            } else {
                wildcard_match(pattern, target)
            }
        })
    })
}

/// `Condition: {"Operator": {"key": value-or-values}}` flattened to
/// `(operator, key, values)`.
fn conditions(field: Option<&Value>) -> Vec<(String, String, Vec<Value>)> {
    let Some(Value::Object(operators)) = field else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (operator, keys) in operators {
        let Value::Object(keys) = keys else { continue };
        for (key, values) in keys {
            let values = match values {
                Value::Array(list) => list.clone(),
                single => vec![single.clone()],
            };
            out.push((operator.clone(), key.clone(), values));
        }
    }
    out
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn is_false(value: &Value) -> bool {
    match value {
        Value::Bool(b) => !b,
        Value::String(s) => s.eq_ignore_ascii_case("false"),
        _ => false,
    }
}

fn as_number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// IAM's wildcards: `*` any run of characters, `?` any one character.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was and which text position it is matched up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((star_pi, star_ti)) = star {
            pi = star_pi + 1;
            ti = star_ti + 1;
            star = Some((star_pi, star_ti + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::samples::RECOMMENDED_POLICY as RECOMMENDED;

    #[test]
    fn the_recommended_policy_passes() {
        let facts = read_policy(RECOMMENDED, "lanyard-photos").unwrap();
        assert!(facts.denies_plain_http);
        assert_eq!(facts.signature_age_limit_ms, Some(3_900_000));
        assert!(facts.public_grants.is_empty());
    }

    #[test]
    fn a_single_statement_object_with_principal_aws_and_a_bool_value() {
        let json = r#"{"Statement": {"Effect": "Deny", "Principal": {"AWS": ["*"]},
            "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b/*",
            "Condition": {"BoolIfExists": {"AWS:securetransport": false}}}}"#;
        let facts = read_policy(json, "b").unwrap();
        assert!(facts.denies_plain_http);
        assert_eq!(facts.signature_age_limit_ms, None);
    }

    #[test]
    fn denials_that_miss_lanyards_objects_or_are_narrowed_do_not_count() {
        for statement in [
            // Another bucket.
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::other/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
            // Only the bucket itself, not its objects.
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
            // Only reads.
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
            // Denies TLS instead.
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#,
            // Narrowed by a second condition.
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#,
            // One principal only.
            r#"{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
            // An Allow.
            r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
        ] {
            let json = format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#);
            let facts = read_policy(&json, "b").unwrap();
            assert!(!facts.denies_plain_http, "{statement}");
        }
    }

    #[test]
    fn the_smallest_signature_age_cap_wins() {
        let json = r#"{"Statement":[
            {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"NumericGreaterThan":{"s3:signatureAge":600000}}},
            {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"NumericGreaterThanEquals":{"s3:signatureAge":["7200000"]}}}
        ]}"#;
        let facts = read_policy(json, "b").unwrap();
        assert_eq!(facts.signature_age_limit_ms, Some(600_000));
        assert!(!facts.denies_plain_http);
    }

    #[test]
    fn public_grants_are_named() {
        // seed 003's anti-pattern: "Making the bucket public".
        let json = r#"{"Statement":[
            {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
            {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/photos/*"},
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/lanyard"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}
        ]}"#;
        let facts = read_policy(json, "b").unwrap();
        assert_eq!(facts.public_grants, ["PublicRead", "statement 2"]);
    }

    #[test]
    fn junk_is_an_error() {
        assert!(read_policy("not json", "b").is_err());
        assert!(read_policy(r#"{"Version":"2012-10-17"}"#, "b").is_err());
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("s3:*", "s3:getobject"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("s3:?etObject", "s3:GetObject"));
        assert!(wildcard_match(
            "arn:aws:s3:::b/*/x*",
            "arn:aws:s3:::b/photos/a/xyz"
        ));
        assert!(!wildcard_match(
            "arn:aws:s3:::b/uploads/*",
            "arn:aws:s3:::b/photos/x"
        ));
        assert!(!wildcard_match("s3:Get*", "s3:PutObject"));
    }
}
