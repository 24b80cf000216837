//! Small secrets generated on first start and kept in the data folder
//! (the embedded store's credentials, the demo password), readable by the
//! owner only. No secret ever lives in code.

use anyhow::Context as _;
use rand::distr::{Alphanumeric, SampleString};
use std::io::Write as _;
use std::path::Path;

/// `len` random letters and digits from the OS-seeded CSPRNG.
pub fn random_token(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

/// The file's contents (trimmed), or `None` if it does not exist.
pub fn read(path: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text.trim().to_owned())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err).with_context(|| format!("could not read {}", path.display())),
    }
}

/// Creates `path` with `contents`, readable and writable by the owner only.
/// Fails rather than overwrite an existing file.
pub fn create(path: &Path, contents: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("could not create {}", path.display()))?;
    file.write_all(contents.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("could not write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_alphanumerics() {
        let a = random_token(24);
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, random_token(24));
    }

    #[test]
    fn created_files_are_private_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        assert_eq!(read(&path).unwrap(), None);
        create(&path, "s3cr3t\n").unwrap();
        assert_eq!(read(&path).unwrap().as_deref(), Some("s3cr3t"));
        assert!(create(&path, "other").is_err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
