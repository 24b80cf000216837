//! An OpenID Provider for the single sign-on tests, in the test process:
//! discovery, a JWKS of ES256 keys made here (rotated on demand), and a
//! token endpoint that checks PKCE and answers each code once with the ID
//! token the test chose, signed (or mangled) as the test says.
//!
//! It stands in for the provider in the token checks only; the end-to-end
//! tests sign in through a real one (npm `oidc-provider`, scripts/test.sh).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair as _, ECDSA_P256_SHA256_FIXED_SIGNING};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub const CLIENT_ID: &str = "lanyard-test";
pub const CLIENT_SECRET: &str = "test-client-secret";

/// One signing key.
pub struct Key {
    pub kid: String,
    pair: EcdsaKeyPair,
}

impl Key {
    fn new(kid: &str) -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        Self {
            kid: kid.to_owned(),
            pair,
        }
    }

    fn jwk(&self) -> Value {
        // Uncompressed point: 0x04 || x || y.
        let public = self.pair.public_key().as_ref();
        json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": self.kid,
            "x": URL_SAFE_NO_PAD.encode(&public[1..33]),
            "y": URL_SAFE_NO_PAD.encode(&public[33..65]),
        })
    }

    /// A compact JWS of `claims`, ES256, this key's id in the header.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "alg": "ES256", "typ": "JWT", "kid": self.kid });
        let input = format!("{}.{}", b64(&header), b64(claims));
        let signature = self
            .pair
            .sign(&SystemRandom::new(), input.as_bytes())
            .unwrap();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
    }
}

pub fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

#[derive(Default)]
struct State {
    /// Published keys; the first signs.
    keys: Vec<Arc<Key>>,
    /// code → (PKCE challenge, ID token); taken when used.
    codes: HashMap<String, (String, String)>,
    issued: usize,
}

/// The running provider.
#[derive(Clone)]
pub struct Provider {
    pub issuer: String,
    state: Arc<Mutex<State>>,
    pub jwks_fetches: Arc<AtomicUsize>,
}

impl Provider {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let provider = Self {
            issuer: issuer.clone(),
            state: Arc::new(Mutex::new(State {
                keys: vec![Arc::new(Key::new("key-1"))],
                ..State::default()
            })),
            jwks_fetches: Arc::new(AtomicUsize::new(0)),
        };
        let app = axum::Router::new()
            .route(
                "/.well-known/openid-configuration",
                axum::routing::get(discovery),
            )
            .route("/jwks", axum::routing::get(jwks))
            .route("/token", axum::routing::post(token))
            .with_state(provider.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        provider
    }

    /// The key that signs now.
    pub fn key(&self) -> Arc<Key> {
        self.state.lock().unwrap().keys[0].clone()
    }

    /// A new signing key, published alongside the old ones (rotation).
    pub fn rotate(&self, kid: &str) -> Arc<Key> {
        let key = Arc::new(Key::new(kid));
        self.state.lock().unwrap().keys.insert(0, key.clone());
        key
    }

    /// Answers the next token request for `code_challenge` with `id_token`;
    /// the code to send back to Lanyard.
    pub fn issue(&self, code_challenge: &str, id_token: String) -> String {
        let mut state = self.state.lock().unwrap();
        state.issued += 1;
        let code = format!("code-{}", state.issued);
        state
            .codes
            .insert(code.clone(), (code_challenge.to_owned(), id_token));
        code
    }
}

async fn discovery(axum::extract::State(p): axum::extract::State<Provider>) -> axum::Json<Value> {
    let i = &p.issuer;
    axum::Json(json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/jwks"),
        "end_session_endpoint": format!("{i}/session/end"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
    }))
}

async fn jwks(axum::extract::State(p): axum::extract::State<Provider>) -> axum::Json<Value> {
    p.jwks_fetches.fetch_add(1, Ordering::SeqCst);
    let keys: Vec<Value> = p
        .state
        .lock()
        .unwrap()
        .keys
        .iter()
        .map(|k| k.jwk())
        .collect();
    axum::Json(json!({ "keys": keys }))
}

async fn token(
    axum::extract::State(p): axum::extract::State<Provider>,
    headers: axum::http::HeaderMap,
    axum::extract::Form(form): axum::extract::Form<HashMap<String, String>>,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let refuse = |error: &str| {
        (
            axum::http::StatusCode::BAD_REQUEST,
            axum::Json(json!({ "error": error })),
        )
            .into_response()
    };
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(basic.as_str()) {
        return refuse("invalid_client");
    }
    let code = form.get("code").cloned().unwrap_or_default();
    // Each code once: a replay finds nothing.
    let Some((challenge, id_token)) = p.state.lock().unwrap().codes.remove(&code) else {
        return refuse("invalid_grant");
    };
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != challenge {
        return refuse("invalid_grant");
    }
    axum::Json(json!({
        "access_token": "access-token", "token_type": "Bearer", "expires_in": 300,
        "id_token": id_token,
    }))
    .into_response()
}
