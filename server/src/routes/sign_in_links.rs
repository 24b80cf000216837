//! One-time sign-in links: HR makes one for a person
//! (`POST /api/hr/people/{id}/sign-in-link`, shown once); the person opens
//! it, sees whose it is (`POST /api/sign-in-link`), sets a password and is
//! signed in (`POST /api/sign-in-link/password`). The token travels in the
//! request body, never in a URL the server sees.

use crate::audit::{Entry, Subject};
use crate::auth::{
    self, begin_session, hash_password, links, password_policy, CurrentUser, HrUser,
};
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, ClientIp, Now};
use crate::state::AppState;
use anyhow::Context as _;
use axum::extract::State;
use axum::http::StatusCode;
use lanyard_wire::{
    AuditAction, Me, SetPasswordRequest, SignInLink, SignInLinkInfo, SignInLinkToken, Timestamp,
};
use tower_sessions::Session;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What a link that is not valid says: the same whatever the reason.
const NOT_VALID: &str =
    "This sign-in link is not valid: it was used, replaced by a newer one, or has expired. Ask HR for a new one.";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(check))
        .routes(routes!(set_password))
}

/// Makes a new sign-in link for a person (any earlier one stops working).
#[utoipa::path(
    post,
    path = "/hr/people/{id}/sign-in-link",
    operation_id = "create_sign_in_link",
    tag = "hr",
    params(("id" = i64, Path, description = "A person id")),
    responses(
        (status = 201, description = "The link, shown this once", body = SignInLink),
        crate::openapi::BadRequest,
        crate::openapi::HrOnly,
        crate::openapi::NotFound,
        crate::openapi::Conflict,
    ),
    security(("session" = [])),
)]
async fn create(
    State(state): State<AppState>,
    HrUser(hr): HrUser,
    ClientIp(ip): ClientIp,
    now: Now,
    AppPath(id): AppPath<String>,
) -> AppResult<(StatusCode, AppJson<SignInLink>)> {
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::bad_request("A person id is a whole number."))?;
    let person = crate::admin::people::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !person.active {
        return Err(AppError::Conflict(
            "This person has been deactivated; reactivate them first.".into(),
        ));
    }
    let at = now.timestamp();
    let ttl = i64::try_from(state.sign_in.link_ttl.as_millis()).unwrap_or(i64::MAX);
    let expires_at = at.0.saturating_add(ttl);
    let token = links::create(&state.db, id, hr.id.0, at.0, expires_at).await?;
    let entry = Entry {
        actor: Some(hr.id.0),
        action: AuditAction::SignInLinkCreated,
        subjects: vec![Subject {
            employee_id: id,
            photo_version_id: None,
        }],
        detail: format!(
            "A sign-in link for {} <{}>, valid until {}.",
            person.name,
            person.email,
            crate::audit::export::iso_8601(expires_at)
        ),
        ip,
    };
    state.audit.record(at, entry).await?;
    tracing::info!(actor = hr.id.0, employee = id, "sign-in link created");
    Ok((
        StatusCode::CREATED,
        AppJson(SignInLink {
            server_time: at,
            url: state.sign_in.link_url(&token),
            expires_at: Timestamp(expires_at),
        }),
    ))
}

/// Whose a sign-in link is, before they choose a password.
#[utoipa::path(
    post,
    path = "/sign-in-link",
    operation_id = "check_sign_in_link",
    tag = "session",
    request_body = SignInLinkToken,
    responses(
        (status = 200, description = "The link is valid: whose it is", body = SignInLinkInfo),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NotFound,
        crate::openapi::RateLimited,
    ),
)]
async fn check(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    now: Now,
    AppJson(request): AppJson<SignInLinkToken>,
) -> AppResult<AppJson<SignInLinkInfo>> {
    state.limits.sign_in_attempt("", ip.as_deref(), now).await?;
    let holder = valid_holder(&state, &request.token, ip, now).await?;
    Ok(AppJson(SignInLinkInfo {
        name: holder.name,
        email: holder.email,
        expires_at: Timestamp(holder.expires_at),
    }))
}

/// Sets a password with a sign-in link, and signs in.
#[utoipa::path(
    post,
    path = "/sign-in-link/password",
    operation_id = "set_password_with_sign_in_link",
    tag = "session",
    request_body = SetPasswordRequest,
    responses(
        (status = 200, description = "The password is set and the person signed in: the session cookie is set", body = Me),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NotFound,
        crate::openapi::RateLimited,
    ),
)]
async fn set_password(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    now: Now,
    AppJson(request): AppJson<SetPasswordRequest>,
) -> AppResult<AppJson<Me>> {
    state.limits.sign_in_attempt("", ip.as_deref(), now).await?;
    let holder = valid_holder(&state, &request.token, ip.clone(), now).await?;
    password_policy::check(&request.password, &holder.email).map_err(AppError::BadRequest)?;
    let password = request.password.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .context("hashing a password panicked")??;
    let Some(employee) = links::redeem(&state.db, &request.token, &hash, now.timestamp().0).await?
    else {
        // Used or expired between the check and now.
        return Err(AppError::NotFoundWith(NOT_VALID.to_owned()));
    };
    let account = auth::accounts::by_id(&state.db, employee)
        .await?
        .ok_or(AppError::NotFound)?;
    begin_session(&session, employee).await?;
    let user = CurrentUser::of(account);
    let at = now.timestamp();
    for (action, detail) in [
        (
            AuditAction::PasswordSet,
            "Password set with a sign-in link.".to_owned(),
        ),
        (AuditAction::SignIn, "With a sign-in link.".to_owned()),
    ] {
        let entry = Entry {
            actor: Some(employee),
            action,
            subjects: vec![Subject {
                employee_id: employee,
                photo_version_id: None,
            }],
            detail,
            ip: ip.clone(),
        };
        state.audit.record(at, entry).await?;
    }
    tracing::info!(employee, "password set with a sign-in link");
    let mut grants = crate::audit::Grants::new("the signed-in person's own card");
    let me = super::session::me_of(&state, &user, now, &mut grants);
    state.audit.urls_granted(at, employee, ip, grants).await?;
    Ok(AppJson(me))
}

/// The holder of a live link, or 404 with [`NOT_VALID`] (audited).
async fn valid_holder(
    state: &AppState,
    token: &str,
    ip: Option<String>,
    now: Now,
) -> AppResult<links::LinkHolder> {
    // Far longer than any token: refused without hashing.
    let found = if token.len() <= 100 {
        links::holder(&state.db, token, now.timestamp().0).await?
    } else {
        None
    };
    match found {
        Some(holder) => Ok(holder),
        None => {
            let entry = Entry {
                actor: None,
                action: AuditAction::SignInRefused,
                subjects: Vec::new(),
                detail: "A sign-in link that is not valid was opened.".to_owned(),
                ip,
            };
            state.audit.record(now.timestamp(), entry).await?;
            Err(AppError::NotFoundWith(NOT_VALID.to_owned()))
        }
    }
}
