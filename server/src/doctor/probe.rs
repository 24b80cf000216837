//! The doctor's IO: reading the bucket's configuration and probing the
//! credentials with a real object. Everything found is returned as data for
//! `super::evaluate`; nothing here decides pass or fail.

use std::error::Error;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::evaluate::{AnonymousRead, Answer, BucketAnswers, ProbeOutcome, Step};
use crate::secrets;
use http::StatusCode;

use crate::storage::{ObjectStore, StorageError};

/// Where the probe object goes: a prefix of its own, so the IAM policy can
/// grant it separately and no photo key can ever be hit.
pub const PROBE_PREFIX: &str = "doctor/";
/// The probe's presigned GET only has to survive one request.
const PROBE_URL_TTL: Duration = Duration::from_secs(60);

/// Asks for the bucket's public access block, default encryption and policy.
pub async fn read_bucket(store: &ObjectStore) -> BucketAnswers {
    BucketAnswers {
        public_access_block: read_subresource(store, "publicAccessBlock").await,
        encryption: read_subresource(store, "encryption").await,
        policy: read_subresource(store, "policy").await,
    }
}

async fn read_subresource(store: &ObjectStore, subresource: &str) -> Answer {
    match store.get_bucket_subresource(subresource).await {
        Ok((status, body)) => Answer::Http {
            status: status.as_u16(),
            body,
        },
        Err(error) => Answer::Unreachable(describe(&error)),
    }
}

/// PUT, GET, presigned GET (as a browser), unsigned GET and DELETE of a
/// fresh object under [`PROBE_PREFIX`]. The object is deleted whenever it
/// was written, whatever else failed.
pub async fn probe(store: &ObjectStore, http: &reqwest::Client) -> ProbeOutcome {
    let key = format!(
        "{PROBE_PREFIX}probe-{}.txt",
        secrets::random_token(16).to_ascii_lowercase()
    );
    let body = Bytes::from(format!("lanyard doctor probe {key}\n"));
    if let Err(error) = store.put(&key, body.clone(), "text/plain").await {
        let skipped = || Step::Skipped("the probe object could not be written".to_owned());
        return ProbeOutcome {
            key,
            put: Step::Failed(describe(&error)),
            get: skipped(),
            presigned_get: skipped(),
            anonymous_get: AnonymousRead::Skipped(
                "the probe object could not be written".to_owned(),
            ),
            delete: skipped(),
            missing_get: skipped(),
        };
    }

    let get = match store.get(&key).await {
        Ok(Some(read)) if read == body => Step::Done,
        Ok(Some(_)) => Step::Failed("GET returned other bytes than were written".to_owned()),
        Ok(None) => Step::Failed("GET found no object right after the PUT".to_owned()),
        Err(error) => Step::Failed(describe(&error)),
    };

    // Signed for the public endpoint, exactly as browsers get it.
    let url = store
        .browser_presigner()
        .presign_get(&key, PROBE_URL_TTL, SystemTime::now())
        .url;
    let presigned_get = match http.get(&url).send().await {
        Ok(response) if response.status().is_success() => match response.bytes().await {
            Ok(read) if read == body => Step::Done,
            Ok(_) => Step::Failed("the presigned GET returned other bytes".to_owned()),
            Err(error) => Step::Failed(describe(&error.without_url())),
        },
        Ok(response) => Step::Failed(format!(
            "the presigned GET was answered {}",
            status_and_code(response).await
        )),
        Err(error) => Step::Failed(describe(&error.without_url())),
    };

    // The same object URL without a signature: what anyone could try.
    let unsigned = url.split_once('?').map_or(url.as_str(), |(base, _)| base);
    let anonymous_get = match http.get(unsigned).send().await {
        Ok(response) if response.status().is_success() => {
            AnonymousRead::Served(response.status().as_u16())
        }
        Ok(response) => AnonymousRead::Refused(response.status().as_u16()),
        Err(error) => AnonymousRead::Failed(describe(&error.without_url())),
    };

    let delete = match store.delete(&key).await {
        Err(error) => Step::Failed(describe(&error)),
        Ok(()) => match store.exists(&key).await {
            Ok(false) => Step::Done,
            Ok(true) => Step::Failed("the probe object is still there after DELETE".to_owned()),
            // Without s3:ListBucket a missing key answers 403: the DELETE
            // succeeded, and `missing_get` reports the 403.
            Err(StorageError::Status { status, .. }) if status == StatusCode::FORBIDDEN => {
                Step::Done
            }
            Err(error) => Step::Failed(describe(&error)),
        },
    };

    let missing_get = match store.get(&format!("{key}.missing")).await {
        Ok(None) => Step::Done,
        Ok(Some(_)) => Step::Failed("an object that was never written was found".to_owned()),
        Err(error) => Step::Failed(describe(&error)),
    };

    ProbeOutcome {
        key,
        put: Step::Done,
        get,
        presigned_get,
        anonymous_get,
        delete,
        missing_get,
    }
}

async fn status_and_code(response: reqwest::Response) -> String {
    let status = response.status();
    let code = response
        .text()
        .await
        .ok()
        .and_then(|body| super::xml::error_code(&body));
    format!("{status} ({})", code.as_deref().unwrap_or("no error code"))
}

/// The error and its causes on one line (no URL: reqwest's are stripped).
fn describe(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
