//! Single sign-on: `GET /api/sso/start` sends the browser to the company's
//! OpenID Provider, `GET /api/sso/callback` is where it comes back.
//!
//! Both are full-page navigations, not API calls: they answer redirects,
//! and a failure is a small page with one sentence (and an audit entry),
//! never a 500 or a half-made session. The callback is a `GET` (the query
//! response mode), which the cross-site check lets through like every GET:
//! there the `state` bound to this browser's session is the CSRF defence.

use crate::audit::{Entry, Subject};
use crate::auth::identities::{self, Decision};
use crate::auth::oidc::pending::{same_origin_path, Pending, StateProblem, PENDING_KEY};
use crate::auth::oidc::{Callback, Identity, SsoError};
use crate::auth::{begin_session, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::extract::{AppQuery, ClientIp, Now};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use lanyard_wire::AuditAction;
use tower_sessions::Session;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The session's key saying the session came from single sign-on.
pub const VIA_SSO_KEY: &str = "via_sso";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start))
        .routes(routes!(callback))
}

/// `GET /api/sso/start`'s query.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct StartQuery {
    /// A path of this site to land on once signed in (anything else: `/`).
    return_to: Option<String>,
}

/// Sends the browser to the identity provider.
#[utoipa::path(
    get,
    path = "/sso/start",
    tag = "session",
    params(StartQuery),
    responses(
        (status = 303, description = "To the identity provider's sign-in page"),
        (status = 404, description = "Single sign-on is not set up", body = lanyard_wire::ApiError),
        (status = 502, description = "The identity provider cannot be reached (an HTML page)", content_type = "text/html", body = String),
    ),
)]
async fn start(
    State(state): State<AppState>,
    session: Session,
    now: Now,
    AppQuery(query): AppQuery<StartQuery>,
) -> AppResult<Response> {
    let sso = state.sign_in.sso.as_ref().ok_or_else(not_set_up)?;
    let return_to = same_origin_path(query.return_to.as_deref());
    match sso.begin(return_to, now.0).await {
        Ok((url, pending)) => {
            session.insert(PENDING_KEY, pending).await?;
            Ok(Redirect::to(&url).into_response())
        }
        Err(error) => {
            tracing::warn!(%error, "single sign-on could not start");
            Ok(page(StatusCode::BAD_GATEWAY, error.sentence()))
        }
    }
}

/// Where the identity provider sends the browser back.
#[utoipa::path(
    get,
    path = "/sso/callback",
    tag = "session",
    params(
        ("code" = Option<String>, Query, description = "The authorization code"),
        ("state" = Option<String>, Query, description = "The state this browser was given"),
        ("error" = Option<String>, Query, description = "The provider's error, instead of a code"),
    ),
    responses(
        (status = 303, description = "Signed in: to the page the sign-in started from"),
        (status = 400, description = "The state, code or ID token failed a check (an HTML page)", content_type = "text/html", body = String),
        (status = 403, description = "Not in the directory, left, or not verified (an HTML page)", content_type = "text/html", body = String),
        (status = 404, description = "Single sign-on is not set up", body = lanyard_wire::ApiError),
        crate::openapi::RateLimited,
        (status = 502, description = "The identity provider cannot be reached (an HTML page)", content_type = "text/html", body = String),
    ),
)]
async fn callback(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    now: Now,
    AppQuery(returned): AppQuery<Callback>,
) -> AppResult<Response> {
    let sso = state.sign_in.sso.as_ref().ok_or_else(not_set_up)?;
    // The address's sign-in rate, as for passwords (no email to count yet).
    state.limits.sign_in_attempt("", ip.as_deref(), now).await?;
    // Single use: taken out whatever happens next. A tampered cookie or
    // session value reads as nothing pending.
    let pending: Option<Pending> = match session.remove(PENDING_KEY).await {
        Ok(pending) => pending,
        Err(error) => {
            tracing::warn!(%error, "the pending sign-in could not be read");
            None
        }
    };
    let identity = match pending {
        Some(pending) => sso
            .finish(&pending, &returned, now.0)
            .await
            .map(|identity| (identity, pending.return_to)),
        None => Err(SsoError::State(StateProblem::NothingPending)),
    };
    let (identity, return_to) = match identity {
        Ok(found) => found,
        Err(error) => {
            tracing::info!(%error, "single sign-on refused");
            refused(
                &state,
                None,
                format!("Single sign-on failed: {error}."),
                ip,
                now,
            )
            .await?;
            let status = match error {
                SsoError::Unreachable(_) => StatusCode::BAD_GATEWAY,
                _ => StatusCode::BAD_REQUEST,
            };
            return Ok(page(status, error.sentence()));
        }
    };
    let decision = identities::decide(&state.db, &identity, now.timestamp().0).await?;
    let (account, linked, role) = match decision {
        Decision::Person {
            account,
            linked,
            role,
        } => (account, linked, role),
        other => {
            let (actor, detail) = refusal(&other, &identity);
            refused(&state, actor, detail, ip, now).await?;
            return Ok(page(StatusCode::FORBIDDEN, refusal_sentence(&other)));
        }
    };
    begin_session(&session, account.person.id).await?;
    session.insert(VIA_SSO_KEY, true).await?;
    let user = CurrentUser::of(*account);
    let employee = user.id.0;
    tracing::info!(employee, linked, "signed in with single sign-on");
    let record = |action, detail: String| Entry {
        actor: Some(employee),
        action,
        subjects: vec![Subject {
            employee_id: employee,
            photo_version_id: None,
        }],
        detail,
        ip: ip.clone(),
    };
    let at = now.timestamp();
    if linked {
        let detail = format!(
            "Linked to subject {:?} of {}.",
            identity.subject, identity.issuer
        );
        state
            .audit
            .record(at, record(AuditAction::IdentityLinked, detail))
            .await?;
    }
    if let Some((from, to)) = role {
        let detail = format!(
            "Role {} → {} by the identity provider's claim.",
            from.as_str(),
            to.as_str()
        );
        state
            .audit
            .record(at, record(AuditAction::RoleChanged, detail))
            .await?;
    }
    let detail = format!("Single sign-on ({}).", identity.issuer);
    state
        .audit
        .record(at, record(AuditAction::SignIn, detail))
        .await?;
    Ok(Redirect::to(&return_to).into_response())
}

fn not_set_up() -> AppError {
    AppError::NotFoundWith("Single sign-on is not set up here.".into())
}

/// Who the refusal is about (for the audit entry), and its detail.
fn refusal(decision: &Decision, identity: &Identity) -> (Option<i64>, String) {
    let email = identity.email.as_deref().unwrap_or("no email");
    // Debug-quoted: whatever the provider sent stays one visible line.
    match decision {
        Decision::Unknown => (None, format!("Single sign-on by {email:?}: not in the directory.")),
        Decision::EmailNotVerified => (
            None,
            format!("Single sign-on by {email:?}: the provider has not verified the email."),
        ),
        Decision::Deactivated { employee } => (
            Some(*employee),
            format!("Single sign-on by {email:?}: deactivated."),
        ),
        Decision::LinkedElsewhere { employee } => (
            Some(*employee),
            format!(
                "Single sign-on by {email:?} (subject {:?}): this person is linked to another subject of {}.",
                identity.subject, identity.issuer
            ),
        ),
        Decision::Person { .. } => (None, String::new()),
    }
}

fn refusal_sentence(decision: &Decision) -> &'static str {
    match decision {
        Decision::EmailNotVerified => {
            "Your identity provider has not verified your email address, so Lanyard cannot tell \
             who you are. Ask your IT team."
        }
        Decision::LinkedElsewhere { .. } => {
            "Your directory entry is linked to another account at your identity provider. Ask HR."
        }
        _ => "You are not in Lanyard's directory, or no longer. Ask HR to add you.",
    }
}

async fn refused(
    state: &AppState,
    actor: Option<i64>,
    detail: String,
    ip: Option<String>,
    now: Now,
) -> AppResult<()> {
    let entry = Entry {
        actor,
        action: AuditAction::SignInRefused,
        subjects: actor
            .map(|employee_id| Subject {
                employee_id,
                photo_version_id: None,
            })
            .into_iter()
            .collect(),
        detail,
        ip,
    };
    state.audit.record(now.timestamp(), entry).await
}

/// A page with one sentence and the way back (the sentence is fixed text,
/// never anything a request carried).
pub fn page(status: StatusCode, sentence: &'static str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Lanyard: signing in</title></head><body><main>\
         <h1>Signing in</h1><p data-testid=\"sign-in-problem\">{sentence}</p>\
         <p><a href=\"/\">Back to Lanyard</a></p></main></body></html>"
    );
    (status, [(CACHE_CONTROL, "no-store")], Html(html)).into_response()
}
