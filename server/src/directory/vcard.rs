//! A person as a contact card (vCard 4.0, RFC 6350) for "Add to contacts":
//! name, title, organisation and department, work email, phone and
//! location. Never a photo: a photo embedded in a file outlives every URL
//! lifetime, the audit log and HR's erasure (docs/production.md). Pure;
//! `vcard4` does the escaping and line folding.

use vcard4::VcardBuilder;

/// What a card says about a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card<'a> {
    pub name: &'a str,
    pub title: &'a str,
    /// The company (`LANYARD_ORGANIZATION`); may be empty.
    pub organization: &'a str,
    pub department: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub location: &'a str,
}

/// The card as the text of a `.vcf` file.
pub fn render(card: &Card<'_>) -> String {
    // N's parts (family; given; additional; prefixes; suffixes): the last
    // word is taken as the family name, which is wrong for some names and
    // harmless (FN, the name shown, is the whole name as HR wrote it).
    let (given, family) = match card.name.trim().rsplit_once(' ') {
        Some((given, family)) => (given.trim(), family),
        None => ("", card.name.trim()),
    };
    let mut builder = VcardBuilder::new(card.name.to_owned())
        .name([
            family.to_owned(),
            given.to_owned(),
            String::new(),
            String::new(),
            String::new(),
        ])
        .email(card.email.to_owned())
        .prod_id("-//Lanyard//Lanyard employee directory//EN".to_owned());
    if !card.title.is_empty() {
        builder = builder.title(card.title.to_owned());
    }
    if !card.organization.is_empty() || !card.department.is_empty() {
        builder = builder.org(vec![
            card.organization.to_owned(),
            card.department.to_owned(),
        ]);
    }
    if !card.phone.is_empty() {
        builder = builder.telephone(card.phone.to_owned());
    }
    if !card.location.is_empty() {
        // A delivery address with only its locality (ADR;…:;;;London;;;).
        let mut address = vcard4::property::DeliveryAddress::default();
        address.locality = Some(card.location.to_owned());
        builder = builder.address(address);
    }
    builder.finish().to_string()
}

/// A file name for the card: the name's letters, digits, spaces, dots and
/// dashes (ASCII, so every browser keeps it), `contact.vcf` if none remain.
pub fn file_name(name: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-'))
        .collect();
    let kept = kept.trim();
    if kept.is_empty() {
        "contact.vcf".to_owned()
    } else {
        format!("{kept}.vcf")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ada() -> Card<'static> {
        Card {
            name: "Ada King, Countess of Lovelace",
            title: "Analyst; Engine",
            organization: "Lanyard Demo",
            department: "Research",
            email: "ada@lanyard.example",
            phone: "+44 20 7946 0000",
            location: "London",
        }
    }

    #[test]
    fn a_card_parses_back_with_every_field() {
        let text = render(&ada());
        assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"), "{text}");
        assert!(!text.to_ascii_uppercase().contains("PHOTO"), "{text}");
        // Read back by the same crate's RFC 6350 parser: the escaping of
        // the comma and semicolon round-trips.
        let cards = vcard4::parse(&text).unwrap();
        assert_eq!(cards.len(), 1);
        let card = &cards[0];
        assert_eq!(
            card.formatted_name[0].value,
            "Ada King, Countess of Lovelace"
        );
        assert_eq!(card.title[0].value, "Analyst; Engine");
        assert_eq!(card.email[0].value, "ada@lanyard.example");
        assert_eq!(card.org[0].value, ["Lanyard Demo", "Research"]);
        assert!(text.contains("London"), "{text}");
        assert!(text.contains("+44 20 7946 0000"), "{text}");
    }

    #[test]
    fn escaping_matches_rfc_6350() {
        // RFC 6350 §3.4: in a text value, a comma, a semicolon and a
        // backslash are escaped with a backslash.
        let text = render(&Card {
            name: "O'Neil, Jr.",
            title: "a\\b",
            ..ada()
        });
        assert!(text.contains("FN:O'Neil\\, Jr.\r\n"), "{text}");
        assert!(text.contains("TITLE:a\\\\b\r\n"), "{text}");
    }

    #[test]
    fn file_names_are_plain() {
        assert_eq!(file_name("Ada Lovelace"), "Ada Lovelace.vcf");
        assert_eq!(file_name("Zoë \"x\"/../y"), "Zo x..y.vcf");
        assert_eq!(file_name("李雷"), "contact.vcf");
    }
}
