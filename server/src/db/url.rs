//! `LANYARD_DATABASE_URL` (and `copy-database`'s `--from`, `--to`):
//! which database a URL names, and the URL as messages may show it.

/// What an operator wrote in `LANYARD_DATABASE_URL`, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses a URL by its scheme; the error is one sentence naming what is wrong.
    pub fn parse(url: &str) -> Result<Self, String> {
        let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("sqlite") => Ok(Self::Sqlite(url.to_owned())),
            Some("postgres" | "postgresql") => Ok(Self::Postgres(url.to_owned())),
            _ => Err(format!(
                "{} is not a database URL: expected sqlite://PATH or postgres://USER@HOST/DATABASE",
                redact(url)
            )),
        }
    }

    /// The URL without its password, for messages.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(url) | Self::Postgres(url) => redact(url),
        }
    }
}

/// `url` with any password replaced by `***`: messages and logs never show
/// it, whether in the user part (`postgres://user:secret@host/db`) or a
/// `password=` parameter.
pub fn redact(url: &str) -> String {
    let mut shown = url.to_owned();
    if let Some((scheme, rest)) = url.split_once("://") {
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        if let Some((userinfo, host)) = authority.rsplit_once('@') {
            if let Some((user, _)) = userinfo.split_once(':') {
                shown = format!("{scheme}://{user}:***@{host}{tail}");
            }
        }
    }
    if let Some(at) = shown.find("password=") {
        let start = at + "password=".len();
        let end = shown[start..].find('&').map_or(shown.len(), |i| start + i);
        shown.replace_range(start..end, "***");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_apart_by_scheme() {
        assert!(matches!(
            DatabaseUrl::parse("sqlite://x.db"),
            Ok(DatabaseUrl::Sqlite(_))
        ));
        assert!(matches!(
            DatabaseUrl::parse("sqlite::memory:"),
            Ok(DatabaseUrl::Sqlite(_))
        ));
        assert!(matches!(
            DatabaseUrl::parse("postgres://u@h/d"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(matches!(
            DatabaseUrl::parse("PostgreSQL://u@h/d"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        let err = DatabaseUrl::parse("mysql://u:secret@h/d").unwrap_err();
        assert!(err.contains("not a database URL"), "{err}");
        assert!(!err.contains("secret"), "{err}");
    }

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact("postgres://lanyard:s3cret@db:5432/lanyard"),
            "postgres://lanyard:***@db:5432/lanyard"
        );
        assert_eq!(
            redact("postgres://lanyard@db/lanyard"),
            "postgres://lanyard@db/lanyard"
        );
        assert_eq!(
            redact("postgres://db/lanyard?user=x&password=s3cret"),
            "postgres://db/lanyard?user=x&password=***"
        );
        assert_eq!(
            redact("sqlite://data/lanyard.db"),
            "sqlite://data/lanyard.db"
        );
        assert_eq!(redact("postgres://u:p@ss@h/d"), "postgres://u:***@h/d");
    }
}
