//! The log never holds a credential: runs the real `lanyard` binary with
//! every log level on, does what a user does, and reads its log (stderr).

use crate::helpers::{copy_dir, redact, seeded_template, DEMO_PASSWORD, EMPLOYEE, PEOPLE};
use lanyard_wire::{PhotoSize, PhotoUrlsRequest, UploadRequest, UploadTicket};
use reqwest::header::SET_COOKIE;
use reqwest::StatusCode;
use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Child, Command, Stdio};

/// A password that is wrong, and distinctive enough to find in a log.
const WRONG_PASSWORD: &str = "wrong-horse-4c1d-never-logged";

/// The running binary; killed when dropped.
struct Server {
    child: Child,
    address: String,
    log: Option<std::thread::JoinHandle<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Stops the server and returns everything it logged.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let log = self.log.take().expect("read once");
        log.join().expect("the log reader")
    }
}

/// Starts `lanyard` on a copy of the seeded data, logging at TRACE.
fn start(data: &std::path::Path, database_url: Option<&str>, extra: &[(&str, String)]) -> Server {
    let dist = data.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Lanyard</title>",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lanyard"))
        // Only what is set here: no AWS_* or RUST_LOG from the outside.
        .env_clear()
        .env("RUST_LOG", "trace")
        .env("NO_COLOR", "1")
        .env("LANYARD_ADDR", "127.0.0.1:0")
        .env("LANYARD_EMBEDDED_S3_ADDR", "127.0.0.1:0")
        .env("LANYARD_DATA_DIR", data)
        .env("LANYARD_SPA_DIR", &dist)
        .env("LANYARD_DEMO_PASSWORD", DEMO_PASSWORD)
        .env("LANYARD_SEED_PEOPLE", PEOPLE.to_string())
        .envs(database_url.map(|url| ("LANYARD_DATABASE_URL", url)))
        .envs(extra.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lanyard binary starts");
    let mut stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    // The banner's first line says where it listens.
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let address = stdout.lines().map_while(Result::ok).find_map(|line| {
        line.strip_prefix("Lanyard is running at ")
            .map(str::to_owned)
    });
    let Some(address) = address else {
        let _ = child.kill();
        panic!("lanyard did not start: {}", log.join().unwrap_or_default());
    };
    Server {
        child,
        address,
        log: Some(log),
    }
}

/// Every `X-Amz-Signature` value in `text`.
fn signatures(text: &str) -> Vec<String> {
    text.split("X-Amz-Signature=")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_hexdigit)
                .collect::<String>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// Lines with `Signature=` followed by a hex digit, any case (presigned
/// URLs, and `Authorization` headers of the server's own store requests),
/// redacted: a failing test must not print the credential either.
fn signature_lines(log: &str) -> Vec<String> {
    log.lines()
        .filter(|line| {
            let lower = line.to_ascii_lowercase();
            lower
                .split("signature=")
                .skip(1)
                .any(|rest| rest.chars().next().is_some_and(|c| c.is_ascii_hexdigit()))
        })
        .map(without_hex)
        .collect()
}

/// `line` with every run of 16 or more hex digits replaced.
fn without_hex(line: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for c in line.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_hexdigit() {
            run.push(c);
            continue;
        }
        out += if run.len() >= 16 { "[hex]" } else { &run };
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

#[tokio::test]
async fn the_log_holds_no_signature_session_token_or_password() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let template = seeded_template().await;
    copy_dir(template.dir.path(), data.path());
    let database = crate::backend::copy_of(template.database.as_deref()).await;
    let server = start(data.path(), database.as_deref(), &[]);
    let url = |path: &str| format!("{}{path}", server.address);
    let client = crate::helpers::cookie_client();
    let mut seen = String::new();

    // Act: what a user does, the failures included.
    let wrong = client
        .post(url("/api/session"))
        .json(&serde_json::json!({ "email": EMPLOYEE, "password": WRONG_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let signed_in = client
        .post(url("/api/session"))
        .json(&serde_json::json!({ "email": EMPLOYEE, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    let cookie = signed_in.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    let token = cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, value)| value.to_owned())
        .unwrap();
    seen += &signed_in.text().await.unwrap();
    seen += &client
        .get(url("/api/people?q=a"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    seen += &client
        .get(url("/api/people/3"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for size in [PhotoSize::Thumb, PhotoSize::Profile] {
        let request = PhotoUrlsRequest {
            people: (1..=12).map(lanyard_wire::EmployeeId).collect(),
            size,
        };
        let answer = client
            .post(url("/api/photos/urls"))
            .json(&request)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        seen += &answer.text().await.unwrap();
    }
    // An upload of a file that is no photo: refused at completion.
    let junk = b"not a photo at all, just text".to_vec();
    let request = UploadRequest {
        content_type: "image/jpeg".into(),
        content_length: junk.len() as u64,
    };
    let ticket: UploadTicket = client
        .post(url("/api/me/photo/uploads"))
        .json(&request)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    seen += &ticket.url;
    let ticket_for = |body: Vec<u8>, target: &str| {
        let mut put = crate::helpers::plain_client().put(target);
        for header in &ticket.headers {
            put = put.header(&header.name, &header.value);
        }
        put.body(body).send()
    };
    assert_eq!(
        ticket_for(junk.clone(), &ticket.url)
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let completed = client
        .post(url(&format!(
            "/api/me/photo/uploads/{}/complete",
            ticket.upload_id
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(completed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A tampered URL: the store's 403, which s3s would log with the query.
    let signature = &signatures(&ticket.url)[0];
    let flipped = if signature.starts_with('0') { "1" } else { "0" };
    let tampered = ticket
        .url
        .replace(signature.as_str(), &format!("{flipped}{}", &signature[1..]));
    let refused = ticket_for(junk, &tampered).await.unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "{}",
        redact(&tampered)
    );
    // A cross-site request, then signing out, then the old cookie.
    let cross = client
        .post(url("/api/photos/urls"))
        .header("sec-fetch-site", "cross-site")
        .json(&serde_json::json!({ "people": [1], "size": "thumb" }))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        client
            .delete(url("/api/session"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let old = crate::helpers::plain_client()
        .get(url("/api/me"))
        .header("cookie", format!("lanyard_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let log = server.stop();

    // Assert: the log is the verbose one, and it saw all of that...
    for expected in [
        "DEBUG",
        "TRACE",
        "signed in",
        "upload refused",
        "signed out",
    ] {
        assert!(log.contains(expected), "no {expected:?} in the log");
    }
    // ...and holds no credential.
    let handed_out = signatures(&seen);
    assert!(
        handed_out.len() > 20,
        "{} signatures handed out",
        handed_out.len()
    );
    for signature in &handed_out {
        assert!(
            !log.contains(signature.as_str()),
            "a handed-out signature is in the log"
        );
    }
    assert_eq!(
        signature_lines(&log),
        Vec::<String>::new(),
        "signatures in the log"
    );
    assert!(!log.contains(&token), "the session token is in the log");
    assert!(!log.contains(DEMO_PASSWORD), "the password is in the log");
    assert!(
        !log.contains(WRONG_PASSWORD),
        "a tried password is in the log"
    );
    let credentials = std::fs::read_to_string(data.path().join("s3-credentials")).unwrap();
    let secret = credentials
        .lines()
        .find_map(|l| l.strip_prefix("AWS_SECRET_ACCESS_KEY="))
        .unwrap();
    assert!(
        !log.contains(secret),
        "the store's secret key is in the log"
    );
    // Expected refusals (the store's 403, the 4xx answers) are no errors.
    let errors: Vec<String> = log
        .lines()
        .filter(|l| l.contains("ERROR"))
        .map(without_hex)
        .collect();
    assert_eq!(errors, Vec::<String>::new());
}

#[tokio::test]
async fn the_log_holds_no_code_state_token_or_sign_in_link() {
    use crate::sso_provider::{Provider, CLIENT_ID, CLIENT_SECRET};
    // Arrange: the binary signing in through the test provider.
    let provider = Provider::start().await;
    let data = tempfile::tempdir().unwrap();
    let template = seeded_template().await;
    copy_dir(template.dir.path(), data.path());
    let database = crate::backend::copy_of(template.database.as_deref()).await;
    let server = start(
        data.path(),
        database.as_deref(),
        &[
            ("LANYARD_OIDC_ISSUER", provider.issuer.clone()),
            ("LANYARD_OIDC_CLIENT_ID", CLIENT_ID.to_owned()),
            ("LANYARD_OIDC_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
            ("LANYARD_PASSWORD_SIGN_IN", "true".to_owned()),
        ],
    );
    let url = |path: &str| format!("{}{path}", server.address);

    // Act: a single sign-on...
    let browser = crate::helpers::cookie_client();
    let started = browser.get(url("/api/sso/start")).send().await.unwrap();
    let location = started.headers()["location"].to_str().unwrap().to_owned();
    let params: std::collections::HashMap<String, String> = reqwest::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let id_token = provider.key().sign(&serde_json::json!({
        "iss": provider.issuer, "sub": "log-sub", "aud": CLIENT_ID, "iat": now, "exp": now + 300,
        "nonce": params["nonce"], "email": EMPLOYEE, "email_verified": true,
    }));
    let code = provider.issue(&params["code_challenge"], id_token.clone());
    let back = browser
        .get(url(&format!(
            "/api/sso/callback?code={code}&state={}",
            params["state"]
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    // ...and a sign-in link, made by HR and used.
    let hr = crate::helpers::cookie_client();
    let signed_in = hr
        .post(url("/api/session"))
        .json(&serde_json::json!({ "email": crate::helpers::HR, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    let link: serde_json::Value = hr
        .post(url("/api/hr/people/5/sign-in-link"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = link["url"]
        .as_str()
        .unwrap()
        .split("#token=")
        .nth(1)
        .unwrap()
        .to_owned();
    let set = crate::helpers::cookie_client()
        .post(url("/api/sign-in-link/password"))
        .json(&serde_json::json!({ "token": token, "password": "purple otter kite" }))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::OK);
    let log = server.stop();

    // Assert
    assert!(
        log.contains("signed in with single sign-on"),
        "the log saw the sign-in"
    );
    for (what, secret) in [
        ("the code", code.as_str()),
        ("the state", params["state"].as_str()),
        ("the nonce", params["nonce"].as_str()),
        ("the ID token", id_token.as_str()),
        ("the link's token", token.as_str()),
        ("the client secret", CLIENT_SECRET),
        ("the chosen password", "purple otter kite"),
    ] {
        assert!(!log.contains(secret), "{what} is in the log");
    }
}
