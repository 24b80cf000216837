//! The store's settings from the configuration: the endpoint (or the
//! embedded store, started here when none is set), the bucket, and the
//! credentials (from the environment, or generated for the embedded store
//! and kept in the data folder). Shared by the server and `lanyard doctor`.

use super::credentials::{parse_expiry, Keys, SharedFile};
use super::{EmbeddedS3, S3Settings};
use crate::config::Config;
use crate::secrets;
use anyhow::Context as _;
use secrecy::SecretString;
use std::net::SocketAddr;

/// The store's settings; starts the embedded store when no endpoint is set.
pub async fn store_settings(
    config: &Config,
    app_addr: SocketAddr,
) -> anyhow::Result<(S3Settings, Option<EmbeddedS3>)> {
    let (keys, shared_file) = credentials(config)?;
    let (endpoint, embedded) = match &config.aws_endpoint_url_s3 {
        Some(endpoint) => (endpoint.clone(), None),
        None => {
            let origins = if config.public_url.is_empty() {
                let port = app_addr.port();
                vec![
                    format!("http://localhost:{port}"),
                    format!("http://127.0.0.1:{port}"),
                ]
            } else {
                config.public_url.clone()
            };
            let store = EmbeddedS3::start(
                config.embedded_s3_root(),
                config.embedded_s3_addr,
                &config.bucket,
                &keys.access_key_id,
                &keys.secret_access_key,
                origins,
            )
            .await
            .with_context(|| {
                format!(
                    "could not start the embedded S3 store on {}",
                    config.embedded_s3_addr
                )
            })?;
            (store.endpoint(), Some(store))
        }
    };
    let settings = S3Settings {
        public_endpoint: config
            .s3_public_url
            .clone()
            .unwrap_or_else(|| endpoint.clone()),
        endpoint,
        region: config.aws_region.clone(),
        bucket: config.bucket.clone(),
        path_style: config.s3_path_style,
        access_key_id: keys.access_key_id,
        secret_access_key: keys.secret_access_key,
        session_token: keys.session_token,
        expires_at: keys.expires_at,
        shared_file,
    };
    Ok((settings, embedded))
}

/// The store's credentials: from the environment, else from the shared
/// credentials file (read again as it rotates), else (embedded store only)
/// from `<data>/s3-credentials`, generated on first start.
fn credentials(config: &Config) -> anyhow::Result<(Keys, Option<SharedFile>)> {
    if let (Some(key), Some(secret)) = (&config.aws_access_key_id, &config.aws_secret_access_key) {
        let expires_at = config
            .aws_credential_expiration
            .as_deref()
            .map(parse_expiry)
            .transpose()
            .context("AWS_CREDENTIAL_EXPIRATION")?;
        let keys = Keys {
            access_key_id: key.clone(),
            secret_access_key: secret.clone(),
            session_token: config.aws_session_token.clone(),
            expires_at,
        };
        return Ok((keys, None));
    }
    if let Some(path) = &config.aws_shared_credentials_file {
        let file = SharedFile {
            path: path.clone(),
            profile: config.aws_profile.clone(),
        };
        return Ok((file.load()?, Some(file)));
    }
    let plain = |(access_key_id, secret_access_key): (String, SecretString)| Keys {
        access_key_id,
        secret_access_key,
        session_token: None,
        expires_at: None,
    };
    // `Config::validate` refused an external endpoint without credentials.
    let file = config.s3_credentials_file();
    if let Some(saved) = secrets::read(&file)? {
        return parse_credentials(&saved)
            .map(|pair| (plain(pair), None))
            .with_context(|| format!("{} is damaged; delete it to start afresh", file.display()));
    }
    let key = format!("LANYARD{}", secrets::random_token(13).to_uppercase());
    let secret = secrets::random_token(40);
    secrets::create(
        &file,
        &format!("AWS_ACCESS_KEY_ID={key}\nAWS_SECRET_ACCESS_KEY={secret}\n"),
    )?;
    Ok((plain((key, SecretString::from(secret))), None))
}

fn parse_credentials(text: &str) -> anyhow::Result<(String, SecretString)> {
    let mut key = None;
    let mut secret = None;
    for line in text.lines() {
        match line.trim().split_once('=') {
            Some(("AWS_ACCESS_KEY_ID", v)) => key = Some(v.trim().to_owned()),
            Some(("AWS_SECRET_ACCESS_KEY", v)) => secret = Some(v.trim().to_owned()),
            _ => {}
        }
    }
    match (key, secret) {
        (Some(k), Some(s)) if !k.is_empty() && !s.is_empty() => Ok((k, SecretString::from(s))),
        _ => anyhow::bail!("expected AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=... lines"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret as _;

    #[test]
    fn saved_credentials_parse() {
        let (key, secret) =
            parse_credentials("AWS_ACCESS_KEY_ID=AK\nAWS_SECRET_ACCESS_KEY=sk\n").unwrap();
        assert_eq!(key, "AK");
        assert_eq!(secret.expose_secret(), "sk");
    }

    #[test]
    fn damaged_credentials_are_refused() {
        assert!(parse_credentials("AWS_ACCESS_KEY_ID=AK\n").is_err());
        assert!(parse_credentials("").is_err());
    }
}
