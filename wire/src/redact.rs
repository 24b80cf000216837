//! The one redaction of presigned URLs, for every `Debug` and log line on
//! both sides: the values of `X-Amz-Signature` and `X-Amz-Security-Token`
//! (temporary credentials' token, as much a credential as the signature)
//! become `REDACTED`; the rest stays, so a logged URL still says which
//! object, which expiry and which credential scope.

/// The marker that replaces a credential's value.
pub const REDACTED: &str = "REDACTED";

const CREDENTIAL_PARAMS: [&str; 2] = ["X-Amz-Signature", "X-Amz-Security-Token"];

/// `url` with its credentials' values replaced by [`REDACTED`].
pub fn redact_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let params: Vec<String> = query
        .split('&')
        .map(|param| match param.split_once('=') {
            Some((name, _))
                if CREDENTIAL_PARAMS
                    .iter()
                    .any(|secret| name.eq_ignore_ascii_case(secret)) =>
            {
                format!("{name}={REDACTED}")
            }
            _ => param.to_owned(),
        })
        .collect();
    format!("{base}?{}", params.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_credentials_go_and_the_rest_stays() {
        let url = "https://s3.example/b/k.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256\
                   &X-Amz-Credential=AKIA%2F20261204%2Fus-east-1%2Fs3%2Faws4_request\
                   &X-Amz-Date=20261204T101010Z&X-Amz-Expires=300\
                   &X-Amz-Security-Token=IQoJb3JpZ2luX2VjE&X-Amz-SignedHeaders=host\
                   &x-amz-signature=deadbeef";
        let redacted = redact_url(url);
        assert!(!redacted.contains("IQoJb3JpZ2luX2VjE"), "{redacted}");
        assert!(!redacted.contains("deadbeef"), "{redacted}");
        assert!(
            redacted.contains("X-Amz-Security-Token=REDACTED"),
            "{redacted}"
        );
        assert!(redacted.contains("x-amz-signature=REDACTED"), "{redacted}");
        assert!(redacted.contains("X-Amz-Expires=300&"), "{redacted}");
        assert!(
            redacted.starts_with("https://s3.example/b/k.jpg?"),
            "{redacted}"
        );
        assert_eq!(redact_url("https://x/no-query"), "https://x/no-query");
    }
}
