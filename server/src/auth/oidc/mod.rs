//! Single sign-on with the company's OpenID Provider: the Authorization
//! Code flow with PKCE (S256), `state` and `nonce`, through the
//! `openidconnect` crate (discovery, token exchange, ID token checks).
//!
//! The ID token must be signed with one of [`ALLOWED_ALGS`] by a key of the
//! provider's JWKS (never `none`, never an HMAC with a public key), name
//! the provider as `iss`, Lanyard as `aud` (and `azp`, when present or when
//! there are several audiences), carry the nonce this browser was given,
//! and be current: `exp` in the future and `iat` not in it, each with
//! [`CLOCK_SKEW`] of leeway. The JWKS is cached; a token signed by a key it
//! lacks makes Lanyard fetch it again (the provider rotated its keys), at
//! most once per [`JWKS_REFETCH_FLOOR`], so a flood of tokens with made-up
//! key ids cannot make Lanyard hammer the provider.
//!
//! Who gets in is not decided here: [`super::identities`] matches the
//! verified identity against the directory.

/// The HR group claim.
pub mod claims;
/// The sign-in in flight, kept in the session, and its checks.
pub mod pending;

use crate::config::sign_in::SignInSettings;
use claims::{payload_claims, HrRule};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, LogoutRequest, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout,
    RedirectUrl, Scope, SignatureVerificationError, TokenResponse as _,
};
use pending::{Pending, StateProblem};
use secrecy::ExposeSecret as _;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Mutex;

/// The ID token signatures Lanyard accepts: the asymmetric ones.
pub const ALLOWED_ALGS: [CoreJwsSigningAlgorithm; 9] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha512,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
    CoreJwsSigningAlgorithm::EdDsa,
];
/// Leeway for the provider's clock against Lanyard's.
pub const CLOCK_SKEW: Duration = Duration::from_secs(60);
/// An ID token issued longer ago than this is refused (it should have
/// been issued moments ago, for this very sign-in).
pub const MAX_TOKEN_AGE: Duration = Duration::from_secs(3600);
/// The JWKS is fetched again for an unknown key at most this often.
pub const JWKS_REFETCH_FLOOR: Duration = Duration::from_secs(30);
/// Discovery is read again after this long.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// The longest Lanyard waits for the provider.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Single sign-on. Cheap to clone.
#[derive(Clone)]
pub struct Sso(Arc<Inner>);

struct Inner {
    name: String,
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    scopes: Vec<String>,
    redirect: RedirectUrl,
    after_sign_out: Option<PostLogoutRedirectUrl>,
    hr: Option<HrRule>,
    http: openidconnect::reqwest::Client,
    provider: Mutex<Option<Provider>>,
}

/// What discovery found, and when.
#[derive(Clone)]
struct Provider {
    metadata: ProviderMetadataWithLogout,
    discovered: Instant,
    /// When a key the cache lacked last made Lanyard fetch the JWKS.
    keys_refetched: Option<Instant>,
}

/// A person the provider vouched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    /// Whether the HR claim makes them HR; `None` without an HR rule.
    pub hr: Option<bool>,
}

/// Why a sign-in did not finish. Each says one sentence to the person and
/// a reason to the audit log (never a token, code or state).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SsoError {
    #[error("the identity provider cannot be reached: {0}")]
    Unreachable(String),
    #[error("state: {0:?}")]
    State(StateProblem),
    #[error("the provider answered error {0:?}")]
    Provider(String),
    #[error("the provider sent no code")]
    NoCode,
    #[error("the code exchange failed: {0}")]
    Exchange(String),
    #[error("the ID token failed a check: {0}")]
    Token(String),
}

impl SsoError {
    /// What the person is told.
    pub fn sentence(&self) -> &'static str {
        match self {
            Self::Unreachable(_) => {
                "The identity provider cannot be reached right now. Try again in a minute."
            }
            Self::State(StateProblem::Expired) => {
                "This sign-in took too long and has expired. Start again."
            }
            Self::State(_) => {
                "This sign-in is not valid here: it was used already, or it was started in \
                 another browser. Start again."
            }
            Self::Provider(error) if error == "access_denied" => {
                "The identity provider did not sign you in."
            }
            Self::Provider(_) | Self::NoCode | Self::Exchange(_) => {
                "The identity provider did not finish signing you in. Start again."
            }
            Self::Token(_) => {
                "The identity provider's answer failed Lanyard's checks. Start again; if it \
                 keeps happening, tell your IT team."
            }
        }
    }
}

/// What came back to the callback.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    /// The issuer, when the provider says it (RFC 9207): it must be ours,
    /// so an answer from another provider is never taken for one of ours.
    pub iss: Option<String>,
}

impl Sso {
    /// Single sign-on from the settings, or `None` when it is off. Nothing
    /// is fetched yet: discovery happens at the first sign-in (and `lanyard
    /// doctor` checks it), so a provider that is down does not stop Lanyard.
    pub fn from_settings(
        settings: &SignInSettings,
        public_url: &str,
    ) -> anyhow::Result<Option<Self>> {
        let Some(issuer) = &settings.oidc_issuer else {
            return Ok(None);
        };
        let issuer = IssuerUrl::new(issuer.trim_end_matches('/').to_owned())
            .map_err(|e| anyhow::anyhow!("LANYARD_OIDC_ISSUER {issuer:?}: {e}"))?;
        let base = public_url.trim_end_matches('/');
        let redirect = RedirectUrl::new(format!("{base}{CALLBACK_PATH}"))
            .map_err(|e| anyhow::anyhow!("LANYARD_PUBLIC_URL {public_url:?}: {e}"))?;
        let http = openidconnect::reqwest::ClientBuilder::new()
            // No redirects: discovery, keys and tokens come from where the
            // provider's documents say, nowhere else.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()?;
        let hr = settings.oidc_hr_claim.as_ref().map(|claim| HrRule {
            claim: claim.clone(),
            values: settings
                .oidc_hr_values
                .iter()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect(),
        });
        let scopes = settings
            .oidc_scopes
            .split_whitespace()
            .filter(|s| *s != "openid")
            .map(str::to_owned)
            .collect();
        Ok(Some(Self(Arc::new(Inner {
            name: settings.oidc_name.clone(),
            issuer,
            client_id: ClientId::new(settings.oidc_client_id.clone().unwrap_or_default()),
            client_secret: settings
                .client_secret()?
                .map(|s| ClientSecret::new(s.expose_secret().to_owned())),
            scopes,
            redirect,
            after_sign_out: PostLogoutRedirectUrl::new(format!("{base}/")).ok(),
            hr,
            http,
            provider: Mutex::new(None),
        }))))
    }

    /// The button's "Sign in with {name}".
    pub fn name(&self) -> &str {
        &self.0.name
    }

    pub fn issuer(&self) -> &str {
        self.0.issuer.as_str()
    }

    /// Where to send the browser, and what to keep in its session until
    /// it comes back.
    pub async fn begin(
        &self,
        return_to: String,
        now: SystemTime,
    ) -> Result<(String, Pending), SsoError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scopes(self.0.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge)
            .url();
        let pending = Pending {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            return_to,
            started_at: now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        };
        Ok((url.to_string(), pending))
    }

    /// Finishes the sign-in `pending` started, from what came back: the
    /// state, the code exchanged for tokens, the ID token's checks.
    pub async fn finish(
        &self,
        pending: &Pending,
        callback: &Callback,
        now: SystemTime,
    ) -> Result<Identity, SsoError> {
        pending
            .check(callback.state.as_deref(), now)
            .map_err(SsoError::State)?;
        if let Some(error) = &callback.error {
            return Err(SsoError::Provider(error.chars().take(64).collect()));
        }
        let code = callback.code.clone().ok_or(SsoError::NoCode)?;
        let client = self.client().await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| SsoError::Exchange(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.0.http)
            .await
            // Display only: a parse error's Debug would carry the body.
            .map_err(|e| SsoError::Exchange(e.to_string()))?;
        let id_token = tokens
            .id_token()
            .ok_or_else(|| SsoError::Token("no ID token in the answer".into()))?;
        let nonce = Nonce::new(pending.nonce.clone());
        let verify = |client: &Client| {
            let verifier = client
                .id_token_verifier()
                .set_allowed_algs(ALLOWED_ALGS)
                // `exp` must be after now, less the leeway.
                .set_time_fn(move || chrono::DateTime::<chrono::Utc>::from(now - CLOCK_SKEW))
                .set_issue_time_verifier_fn(move |iat| issued_in_time(iat.into(), now));
            id_token.claims(&verifier, &nonce).cloned()
        };
        let claims = match verify(&client) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                // A key the cached JWKS lacks: the provider may have rotated.
                let client = self.refetch_keys().await?;
                verify(&client)
            }
            other => other,
        }
        .map_err(|e| SsoError::Token(e.to_string()))?;
        let all = payload_claims(&id_token.to_string()).unwrap_or_default();
        let hr = self.0.hr.as_ref().map(|rule| rule.is_hr(&all));
        // Entra ID sends no `email_verified`; its `xms_edov` says the email's
        // domain is verified by the tenant, which is the same assurance.
        let edov = all.get("xms_edov").and_then(serde_json::Value::as_bool) == Some(true);
        Ok(Identity {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            email_verified: claims.email_verified() == Some(true) || edov,
            hr,
        })
    }

    /// The provider's own sign-out page (RP-initiated logout), if its
    /// discovery document names one.
    pub async fn sign_out_url(&self) -> Option<String> {
        let provider = self.provider().await.ok()?;
        let endpoint = provider
            .metadata
            .additional_metadata()
            .end_session_endpoint
            .clone()?;
        let mut request = LogoutRequest::from(endpoint).set_client_id(self.0.client_id.clone());
        if let Some(after) = &self.0.after_sign_out {
            request = request.set_post_logout_redirect_uri(after.clone());
        }
        Some(request.http_get_url().to_string())
    }

    /// Discovery and the JWKS, fetched afresh (`lanyard doctor`): the
    /// discovery document's issuer must equal the configured one (the
    /// crate checks), and the key set must have keys.
    pub async fn probe(&self) -> Result<usize, SsoError> {
        let metadata = self.discover().await?;
        Ok(metadata.jwks().keys().len())
    }

    async fn client(&self) -> Result<Client, SsoError> {
        Ok(self.client_for(&self.provider().await?.metadata))
    }

    fn client_for(&self, metadata: &ProviderMetadataWithLogout) -> Client {
        CoreClient::from_provider_metadata(
            metadata.clone(),
            self.0.client_id.clone(),
            self.0.client_secret.clone(),
        )
        .set_redirect_uri(self.0.redirect.clone())
    }

    /// The cached provider, discovered again once stale (a stale one is
    /// kept while the provider cannot be reached).
    async fn provider(&self) -> Result<Provider, SsoError> {
        let mut cached = self.0.provider.lock().await;
        match cached.as_ref() {
            Some(p) if p.discovered.elapsed() < METADATA_TTL => return Ok(p.clone()),
            _ => {}
        }
        match self.discover().await {
            Ok(metadata) => {
                let provider = Provider {
                    metadata,
                    discovered: Instant::now(),
                    keys_refetched: cached.as_ref().and_then(|p| p.keys_refetched),
                };
                *cached = Some(provider.clone());
                Ok(provider)
            }
            Err(error) => match cached.as_ref() {
                Some(stale) => {
                    tracing::warn!(%error, "using the provider's last discovery document");
                    Ok(stale.clone())
                }
                None => Err(error),
            },
        }
    }

    async fn discover(&self) -> Result<ProviderMetadataWithLogout, SsoError> {
        ProviderMetadataWithLogout::discover_async(self.0.issuer.clone(), &self.0.http)
            .await
            .map_err(|e| SsoError::Unreachable(e.to_string()))
    }

    /// Fetches the JWKS again unless it was fetched within the floor; the
    /// client with whichever keys are current.
    async fn refetch_keys(&self) -> Result<Client, SsoError> {
        let mut cached = self.0.provider.lock().await;
        let provider = cached
            .as_mut()
            .ok_or_else(|| SsoError::Unreachable("not discovered yet".into()))?;
        let due = provider
            .keys_refetched
            .is_none_or(|at| at.elapsed() >= JWKS_REFETCH_FLOOR);
        if due {
            provider.keys_refetched = Some(Instant::now());
            match CoreJsonWebKeySet::fetch_async(provider.metadata.jwks_uri(), &self.0.http).await {
                Ok(keys) => {
                    tracing::info!(
                        keys = keys.keys().len(),
                        "fetched the provider's keys again"
                    );
                    provider.metadata = provider.metadata.clone().set_jwks(keys);
                }
                Err(error) => tracing::warn!(%error, "could not fetch the provider's keys again"),
            }
        }
        Ok(self.client_for(&provider.metadata))
    }
}

/// The callback's path (the redirect URI registered at the provider is the
/// public URL followed by it).
pub const CALLBACK_PATH: &str = "/api/sso/callback";

/// `iat` may be at most [`CLOCK_SKEW`] in the future and at most
/// [`MAX_TOKEN_AGE`] in the past.
fn issued_in_time(iat: SystemTime, now: SystemTime) -> Result<(), String> {
    if iat > now + CLOCK_SKEW {
        return Err("issued in the future".into());
    }
    if iat + MAX_TOKEN_AGE < now {
        return Err("issued too long ago".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_issued_just_now_within_the_leeway() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(issued_in_time(now, now).is_ok());
        assert!(issued_in_time(now + CLOCK_SKEW, now).is_ok());
        assert!(issued_in_time(now + CLOCK_SKEW + Duration::from_secs(1), now).is_err());
        assert!(issued_in_time(now - MAX_TOKEN_AGE, now).is_ok());
        assert!(issued_in_time(now - MAX_TOKEN_AGE - Duration::from_secs(1), now).is_err());
    }

    #[test]
    fn no_symmetric_or_unsigned_algorithm_is_accepted() {
        for alg in [
            CoreJwsSigningAlgorithm::HmacSha256,
            CoreJwsSigningAlgorithm::HmacSha384,
            CoreJwsSigningAlgorithm::HmacSha512,
            CoreJwsSigningAlgorithm::None,
        ] {
            assert!(!ALLOWED_ALGS.contains(&alg), "{alg:?}");
        }
    }

    #[test]
    fn every_failure_has_a_sentence_without_details() {
        let errors = [
            SsoError::Unreachable("dns".into()),
            SsoError::State(StateProblem::Mismatch),
            SsoError::State(StateProblem::Expired),
            SsoError::Provider("access_denied".into()),
            SsoError::Provider("server_error".into()),
            SsoError::NoCode,
            SsoError::Exchange("invalid_grant".into()),
            SsoError::Token("Invalid nonce".into()),
        ];
        for error in errors {
            let sentence = error.sentence();
            assert!(sentence.ends_with('.'), "{sentence}");
            assert!(
                !sentence.contains("nonce") && !sentence.contains("dns"),
                "{sentence}"
            );
        }
    }
}
