//! Reading S3's small XML answers: the text of leaf elements by name.
//!
//! The answers the doctor reads are flat records
//! (`<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls>…`,
//! `<Error><Code>AccessDenied</Code>…`), so the texts of the leaf elements,
//! in document order, are all it needs. quick-xml does the tokenizing
//! (already in the build through s3s); namespaces are ignored (local names).

use quick_xml::events::Event;
use quick_xml::Reader;

/// `(local name, trimmed text)` of every element without child elements,
/// in document order; `Err` when `xml` is not well-formed.
pub fn leaf_texts(xml: &str) -> Result<Vec<(String, String)>, String> {
    let mut reader = Reader::from_str(xml);
    let mut leaves = Vec::new();
    // The innermost open element and its text so far, while it has no child.
    let mut open: Option<(String, String)> = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                open = Some((name, String::new()));
            }
            Event::Empty(start) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                leaves.push((name, String::new()));
                open = None;
            }
            Event::Text(text) => {
                if let Some((_, buffer)) = &mut open {
                    buffer.push_str(&text.decode().map_err(|e| e.to_string())?);
                }
            }
            Event::CData(data) => {
                if let Some((_, buffer)) = &mut open {
                    buffer.push_str(&data.decode().map_err(|e| e.to_string())?);
                }
            }
            Event::GeneralRef(reference) => {
                if let Some((_, buffer)) = &mut open {
                    let name = reference.decode().map_err(|e| e.to_string())?;
                    buffer.push(resolve_reference(&name)?);
                }
            }
            Event::End(end) => {
                let name = end.local_name();
                if let Some((open_name, text)) = open.take() {
                    if open_name.as_bytes() == name.as_ref() {
                        leaves.push((open_name, text.trim().to_owned()));
                    }
                }
            }
            Event::Eof => return Ok(leaves),
            _ => {}
        }
    }
}

/// The text of the first leaf element called `name`.
pub fn first_text(leaves: &[(String, String)], name: &str) -> Option<String> {
    leaves
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, text)| text.clone())
}

/// The `<Code>` of an S3 error body, if it is one.
pub fn error_code(body: &str) -> Option<String> {
    first_text(&leaf_texts(body).ok()?, "Code").filter(|code| !code.is_empty())
}

/// `amp`, `lt`, … and `#38` / `#x26` character references.
fn resolve_reference(name: &str) -> Result<char, String> {
    let code = match name {
        "amp" => return Ok('&'),
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "quot" => return Ok('"'),
        "apos" => return Ok('\''),
        _ => match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => name.strip_prefix('#').and_then(|dec| dec.parse().ok()),
        },
    };
    code.and_then(char::from_u32)
        .ok_or_else(|| format!("unknown entity &{name};"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_leaves_of_an_aws_answer() {
        // GetPublicAccessBlock's documented response shape.
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
   <BlockPublicAcls>true</BlockPublicAcls>
   <IgnorePublicAcls> true </IgnorePublicAcls>
   <BlockPublicPolicy>false</BlockPublicPolicy>
   <RestrictPublicBuckets/>
</PublicAccessBlockConfiguration>"#;
        let leaves = leaf_texts(xml).unwrap();
        let names: Vec<&str> = leaves.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "BlockPublicAcls",
                "IgnorePublicAcls",
                "BlockPublicPolicy",
                "RestrictPublicBuckets"
            ]
        );
        assert_eq!(
            first_text(&leaves, "IgnorePublicAcls").as_deref(),
            Some("true")
        );
        assert_eq!(
            first_text(&leaves, "RestrictPublicBuckets").as_deref(),
            Some("")
        );
        assert_eq!(first_text(&leaves, "Missing"), None);
    }

    #[test]
    fn prefixed_names_and_entities() {
        let xml =
            "<s3:Error xmlns:s3=\"x\"><s3:Code>A&amp;B&#x21;</s3:Code><![CDATA[<x>]]></s3:Error>";
        assert_eq!(error_code(xml).as_deref(), Some("A&B!"));
    }

    #[test]
    fn error_codes_of_s3_and_junk() {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucketPolicy</Code>\
                    <Message>The bucket policy does not exist</Message><BucketName>b</BucketName></Error>";
        assert_eq!(error_code(body).as_deref(), Some("NoSuchBucketPolicy"));
        assert_eq!(error_code(""), None);
        assert_eq!(error_code("not xml <at all"), None);
        assert!(leaf_texts("<a><b>unclosed</a>").is_err());
    }
}
