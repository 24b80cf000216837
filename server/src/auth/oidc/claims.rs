//! What Lanyard reads from a verified ID token beyond the standard claims:
//! the HR group claim. Sans-IO.

use serde_json::Value;

/// Which values of which claim make someone HR (`LANYARD_OIDC_HR_CLAIM`,
/// `LANYARD_OIDC_HR_VALUES`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HrRule {
    pub claim: String,
    pub values: Vec<String>,
}

impl HrRule {
    /// Whether the token's claims make their holder HR: the claim is one of
    /// the values, or a list holding one of them. A missing claim or one of
    /// another shape means "not HR": the provider decides, and it did not
    /// say HR.
    pub fn is_hr(&self, claims: &serde_json::Map<String, Value>) -> bool {
        let matches = |v: &Value| {
            v.as_str()
                .is_some_and(|s| self.values.iter().any(|h| h == s))
        };
        match claims.get(&self.claim) {
            Some(Value::Array(items)) => items.iter().any(matches),
            Some(one) => matches(one),
            None => false,
        }
    }
}

/// The JSON claims of a compact JWT's payload. Only for a token whose
/// signature and claims were verified already (openidconnect's verifier
/// keeps standard claims only; groups are not one).
pub fn payload_claims(jwt: &str) -> Option<serde_json::Map<String, Value>> {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule() -> HrRule {
        HrRule {
            claim: "groups".into(),
            values: vec!["lanyard-hr".into(), "people-team".into()],
        }
    }

    fn claims(value: Value) -> serde_json::Map<String, Value> {
        json!({ "sub": "1", "groups": value })
            .as_object()
            .unwrap()
            .clone()
    }

    #[test]
    fn a_listed_group_makes_hr() {
        assert!(rule().is_hr(&claims(json!(["staff", "lanyard-hr"]))));
        assert!(rule().is_hr(&claims(json!("people-team"))));
    }

    #[test]
    fn anything_else_does_not() {
        assert!(!rule().is_hr(&claims(json!(["staff"]))));
        assert!(!rule().is_hr(&claims(json!([]))));
        assert!(!rule().is_hr(&claims(json!("LANYARD-HR"))));
        assert!(!rule().is_hr(&claims(json!({"lanyard-hr": true}))));
        assert!(!rule().is_hr(&claims(json!(7))));
        let mut none = claims(json!(null));
        none.remove("groups");
        assert!(!rule().is_hr(&none));
    }

    #[test]
    fn payloads_are_read_from_the_middle_part() {
        use base64::Engine as _;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"sub":"a","groups":["x"]}"#);
        let jwt = format!("e30.{payload}.sig");
        assert_eq!(payload_claims(&jwt).unwrap()["groups"], json!(["x"]));
        assert!(payload_claims("nodots").is_none());
        assert!(payload_claims("a.!!!.c").is_none());
    }
}
