//! The Content-Security-Policy every answer carries.
//!
//! Scripts come only from the app itself, plus `'wasm-unsafe-eval'` (the
//! SPA is WebAssembly) and, on an HTML page, the exact inline scripts that
//! page holds, allowed by their SHA-256 (Trunk's `index.html` starts the
//! wasm from an inline module script). Never `'unsafe-inline'`.
//! Images come from the app, the store's origin (presigned photo URLs),
//! `blob:` (the cropper previews the chosen file) and `data:` (a stylesheet
//! icon); the SPA talks to the app and PUTs uploads to the store. The page
//! may not be framed, change its base URL, or post forms elsewhere.
//!
//! A page's inline hashes reach [`set_policy`] as an [`InlineHashes`] in
//! the response's extensions, computed from the bytes actually served.

use axum::extract::{Request, State};
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use sha2::{Digest as _, Sha256};
use std::sync::Arc;

/// The policy, less the per-page inline hashes.
#[derive(Debug, Clone)]
pub struct ContentSecurityPolicy {
    /// Origins of the object store as browsers reach it.
    store_origins: Vec<String>,
    /// The header for answers without inline content (most of them).
    plain: HeaderValue,
}

/// `'sha256-…'` sources for the inline `<script>` and `<style>` elements of
/// one HTML page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InlineHashes {
    pub scripts: Vec<String>,
    pub styles: Vec<String>,
}

impl ContentSecurityPolicy {
    /// A policy allowing the store at `store_origins` (`scheme://host[:port]`).
    pub fn new(store_origins: Vec<String>) -> anyhow::Result<Self> {
        for origin in &store_origins {
            // A separator in an origin would add or end a directive.
            anyhow::ensure!(
                !origin.is_empty()
                    && origin
                        .bytes()
                        .all(|b| b.is_ascii_graphic() && !b";,'\"".contains(&b)),
                "the store's origin {origin:?} cannot go into a Content-Security-Policy"
            );
        }
        let mut policy = Self {
            store_origins,
            plain: HeaderValue::from_static("default-src 'none'"),
        };
        policy.plain = policy.header(&InlineHashes::default())?;
        Ok(policy)
    }

    /// The policy's text, allowing `inline`'s scripts and styles.
    pub fn text(&self, inline: &InlineHashes) -> String {
        let store = self.store_origins.join(" ");
        let hashes =
            |list: &[String]| -> String { list.iter().map(|hash| format!(" {hash}")).collect() };
        [
            "default-src 'none'".to_owned(),
            format!(
                "script-src 'self' 'wasm-unsafe-eval'{}",
                hashes(&inline.scripts)
            ),
            format!("style-src 'self'{}", hashes(&inline.styles)),
            format!("img-src 'self' data: blob: {store}"),
            format!("connect-src 'self' {store}"),
            "font-src 'self'".to_owned(),
            "manifest-src 'self'".to_owned(),
            "object-src 'none'".to_owned(),
            "base-uri 'none'".to_owned(),
            "form-action 'self'".to_owned(),
            "frame-ancestors 'none'".to_owned(),
        ]
        .map(|directive| directive.trim_end().to_owned())
        .join("; ")
    }

    fn header(&self, inline: &InlineHashes) -> anyhow::Result<HeaderValue> {
        Ok(HeaderValue::from_str(&self.text(inline))?)
    }
}

impl InlineHashes {
    /// The hashes of `html`'s inline scripts (`<script>` without `src`) and
    /// `<style>` elements, over their exact bytes as browsers hash them.
    /// A plain scan, not an HTML parser: it is meant for the app's own pages.
    pub fn of_html(html: &[u8]) -> Self {
        Self {
            scripts: inline_elements(html, b"script")
                .into_iter()
                .map(source_hash)
                .collect(),
            styles: inline_elements(html, b"style")
                .into_iter()
                .map(source_hash)
                .collect(),
        }
    }
}

/// The contents of every `<tag …>…</tag>` in `html` whose start tag has no
/// `src` attribute.
fn inline_elements<'a>(html: &'a [u8], tag: &[u8]) -> Vec<&'a [u8]> {
    let lower = html.to_ascii_lowercase();
    let open: Vec<u8> = [b"<".as_slice(), tag].concat();
    let close: Vec<u8> = [b"</".as_slice(), tag].concat();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = find(&lower[at..], &open).map(|i| i + at) {
        let after_name = start + open.len();
        // `<scripts>` or `<style-x>` is another element.
        if !lower
            .get(after_name)
            .is_some_and(|&b| b == b'>' || b.is_ascii_whitespace() || b == b'/')
        {
            at = after_name;
            continue;
        }
        let Some(tag_end) = find(&lower[after_name..], b">").map(|i| i + after_name) else {
            break;
        };
        let Some(end) = find(&lower[tag_end..], &close).map(|i| i + tag_end) else {
            break;
        };
        if !has_src(&lower[after_name..tag_end]) {
            found.push(&html[tag_end + 1..end]);
        }
        at = end + close.len();
    }
    found
}

/// Whether a start tag's attributes (lower-cased) include `src`.
fn has_src(attributes: &[u8]) -> bool {
    attributes
        .split(|b| b.is_ascii_whitespace())
        .any(|attribute| attribute.split(|&b| b == b'=').next() == Some(b"src".as_slice()))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn source_hash(content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Middleware: sets the policy on every answer, with the inline hashes the
/// handler left in the response's extensions.
pub async fn set_policy(
    State(policy): State<Arc<ContentSecurityPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let value = match response.extensions_mut().remove::<InlineHashes>() {
        Some(inline) => policy.header(&inline).unwrap_or_else(|err| {
            // Hashes are base64: this cannot happen. Fail closed.
            tracing::error!(error = %err, "could not write a page's CSP");
            policy.plain.clone()
        }),
        None => policy.plain.clone(),
    };
    response
        .headers_mut()
        .insert(CONTENT_SECURITY_POLICY, value);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_PAGE: &str = "<!doctype html><html><head>\n\
        <script type=\"module\">\nimport init from '/app.js';\nawait init();\n</script>\n\
        <link rel=\"modulepreload\" href=\"/app.js\">\n\
        <SCRIPT src=\"/other.js\"></SCRIPT>\n\
        </head><body></body></html>";

    #[test]
    fn the_hash_covers_the_inline_scripts_exact_text() {
        let hashes = InlineHashes::of_html(TRUNK_PAGE.as_bytes());
        // The `src` script needs no hash ('self' allows it).
        assert_eq!(hashes.scripts.len(), 1, "{hashes:?}");
        assert_eq!(
            hashes.scripts[0],
            source_hash(b"\nimport init from '/app.js';\nawait init();\n")
        );
        assert!(hashes.styles.is_empty());
    }

    #[test]
    fn a_known_hash_matches_what_browsers_compute() {
        // `echo -n "alert('hi')" | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            source_hash(b"alert('hi')"),
            "'sha256-XTqNqFSUlZHAW7f/OGNYSOEzxKhjdAAGMXoid2VEbJk='"
        );
    }

    #[test]
    fn inline_styles_and_odd_tags_are_read_right() {
        let html = b"<scripts>x</scripts><style media=all>p{}</style><script/>";
        let hashes = InlineHashes::of_html(html);
        assert_eq!(hashes.styles, [source_hash(b"p{}")]);
        // An unterminated element hashes nothing.
        assert!(hashes.scripts.is_empty(), "{hashes:?}");
    }

    #[test]
    fn the_policy_allows_the_app_the_store_and_wasm_only() {
        let policy = ContentSecurityPolicy::new(vec!["http://127.0.0.1:9000".into()]).unwrap();
        let text = policy.text(&InlineHashes::default());
        assert!(
            text.contains("script-src 'self' 'wasm-unsafe-eval';"),
            "{text}"
        );
        assert!(
            text.contains("img-src 'self' data: blob: http://127.0.0.1:9000;"),
            "{text}"
        );
        assert!(
            text.contains("connect-src 'self' http://127.0.0.1:9000;"),
            "{text}"
        );
        assert!(text.contains("frame-ancestors 'none'"), "{text}");
        assert!(!text.contains("unsafe-inline"), "{text}");
        let page = policy.text(&InlineHashes {
            scripts: vec!["'sha256-abc='".into()],
            styles: vec![],
        });
        assert!(
            page.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc=';"),
            "{page}"
        );
        assert_eq!(policy.plain.to_str().unwrap(), text);
    }

    #[test]
    fn an_origin_that_would_break_the_header_is_refused() {
        for origin in ["", "http://a; script-src *", "http://a b", "'self'"] {
            assert!(
                ContentSecurityPolicy::new(vec![origin.into()]).is_err(),
                "{origin}"
            );
        }
    }
}
