//! Signing in and out, and who is signed in.
//!
//! `POST /api/session` answers the same 401 for a wrong password, an
//! unknown email and empty fields, so it never tells which was wrong.

use crate::audit::{Entry, Grants};
use crate::auth::{self, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, ClientIp, Now};
use crate::limits;
use crate::state::AppState;
use axum::extract::State;
use lanyard_wire::{AuditAction, Me, PhotoSize, SignInOptions, SignInRequest, SignedOut};
use tower_sessions::Session;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in, sign_out))
        .routes(routes!(options))
        .routes(routes!(me))
}

/// The most of a typed email a failed sign-in's audit entry keeps.
const MAX_LOGGED_EMAIL: usize = 120;

#[utoipa::path(
    post,
    path = "/session",
    tag = "session",
    request_body = lanyard_wire::SignInRequest,
    responses(
        (status = 200, description = "Signed in: the session cookie is set", body = lanyard_wire::Me),
        crate::openapi::JsonBodyErrors,
        (status = 401, description = "Wrong email or password (never says which)", body = lanyard_wire::ApiError),
        crate::openapi::RateLimited,
    ),
)]
async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    now: Now,
    AppJson(request): AppJson<SignInRequest>,
) -> AppResult<AppJson<Me>> {
    if !state.sign_in.password {
        let how = match &state.sign_in.sso {
            Some(sso) => format!("sign in with {}", sso.name()),
            None => "ask HR for a sign-in link".to_owned(),
        };
        return Err(AppError::Refused(format!(
            "Password sign-in is off here: {how}."
        )));
    }
    // Too many attempts, or a locked email: 429 before the password is looked at.
    let (email, from) = (&request.email, ip.as_deref());
    state.limits.sign_in_attempt(email, from, now).await?;
    let authenticated = state
        .credentials
        .authenticate(&state.db, &request.email, &request.password)
        .await;
    let account = match authenticated {
        Ok(account) => account,
        Err(AppError::InvalidCredentials) => {
            let actor = record_failure(&state, &request.email, ip.clone(), now).await?;
            limits::sign_in::failed(&state.limits, &state.audit, &request.email, actor, ip, now)
                .await?;
            return Err(AppError::InvalidCredentials);
        }
        Err(other) => return Err(other),
    };
    state
        .limits
        .signed_in(&request.email, ip.as_deref())
        .await?;
    auth::begin_session(&session, account.person.id).await?;
    tracing::info!(employee = account.person.id, "signed in");
    let user = CurrentUser::of(account);
    record(&state, &user, AuditAction::SignIn, ip.clone(), now).await?;
    let mut grants = Grants::new("the signed-in person's own card");
    let me = me_of(&state, &user, now, &mut grants);
    state
        .audit
        .urls_granted(now.timestamp(), user.id.0, ip, grants)
        .await?;
    Ok(AppJson(me))
}

/// A failed sign-in: by the account whose email was typed, if there is
/// one (returned); the detail keeps the email typed (shortened), never the password.
async fn record_failure(
    state: &AppState,
    email: &str,
    ip: Option<String>,
    now: Now,
) -> AppResult<Option<i64>> {
    let email = email.trim();
    let account = if email.is_empty() {
        None
    } else {
        auth::accounts::by_email(&state.db, email).await?
    };
    let shown: String = email.chars().take(MAX_LOGGED_EMAIL).collect();
    let actor = account.map(|a| a.person.id);
    let entry = Entry {
        actor,
        action: AuditAction::SignInFailed,
        subjects: Vec::new(),
        // Debug-quoted: control characters typed into the form stay visible.
        detail: format!("Email typed: {shown:?}"),
        ip,
    };
    state.audit.record(now.timestamp(), entry).await?;
    Ok(actor)
}

async fn record(
    state: &AppState,
    user: &CurrentUser,
    action: AuditAction,
    ip: Option<String>,
    now: Now,
) -> AppResult<()> {
    let entry = Entry {
        actor: Some(user.id.0),
        action,
        subjects: Vec::new(),
        detail: String::new(),
        ip,
    };
    state.audit.record(now.timestamp(), entry).await
}

#[utoipa::path(
    delete,
    path = "/session",
    tag = "session",
    responses(
        (status = 200, description = "Signed out: the session has ended on the server; the identity provider's own sign-out page is offered when the session came from it", body = lanyard_wire::SignedOut),
        crate::openapi::Unauthenticated,
    ),
    security(("session" = [])),
)]
async fn sign_out(
    State(state): State<AppState>,
    session: Session,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
) -> AppResult<AppJson<SignedOut>> {
    let via_sso = session
        .get::<bool>(super::sso::VIA_SSO_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or(false);
    auth::end_session(&session).await?;
    tracing::info!(employee = user.id.0, "signed out");
    record(&state, &user, AuditAction::SignOut, ip, now).await?;
    let provider_sign_out = match (&state.sign_in.sso, via_sso) {
        (Some(sso), true) => sso.sign_out_url().await,
        _ => None,
    };
    Ok(AppJson(SignedOut { provider_sign_out }))
}

/// How people sign in here: the password form, the identity provider.
#[utoipa::path(
    get,
    path = "/session/options",
    tag = "session",
    responses(
        (status = 200, description = "What the sign-in page offers", body = lanyard_wire::SignInOptions),
    ),
)]
async fn options(State(state): State<AppState>) -> AppJson<SignInOptions> {
    AppJson(state.sign_in.options())
}

#[utoipa::path(
    get,
    path = "/me",
    tag = "session",
    responses(
        (status = 200, description = "The signed-in person", body = lanyard_wire::Me),
        crate::openapi::Unauthenticated,
        crate::openapi::RateLimited,
    ),
    security(("session" = [])),
)]
async fn me(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    now: Now,
) -> AppResult<AppJson<Me>> {
    let mut grants = Grants::new("the signed-in person's own card");
    let me = me_of(&state, &user, now, &mut grants);
    limits::grant(&state.limits, &state.audit, user.id.0, ip, now, grants).await?;
    Ok(AppJson(me))
}

pub(super) fn me_of(state: &AppState, user: &CurrentUser, now: Now, grants: &mut Grants) -> Me {
    let person = &user.account.person;
    Me {
        server_time: now.timestamp(),
        id: user.id,
        name: person.name.clone(),
        email: user.account.email.clone(),
        title: person.title.clone(),
        role: user.role,
        manager: user.account.manager_id.map(lanyard_wire::EmployeeId),
        photo: grants.sign(
            &state.photos,
            person.id,
            &person.photo,
            PhotoSize::Thumb,
            now.0,
        ),
    }
}
