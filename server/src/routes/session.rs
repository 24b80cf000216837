//! Signing in and out, and who is signed in.
//!
//! `POST /api/session` answers the same 401 for a wrong password, an
//! unknown email and empty fields, so it never tells which was wrong.

use crate::auth::{self, CurrentUser};
use crate::error::AppResult;
use crate::extract::{AppJson, Now};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use lanyard_wire::{Me, PhotoSize, SignInRequest};
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(sign_in).delete(sign_out))
        .route("/me", get(me))
}

async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    now: Now,
    AppJson(request): AppJson<SignInRequest>,
) -> AppResult<AppJson<Me>> {
    let account = state
        .credentials
        .authenticate(&state.db, &request.email, &request.password)
        .await?;
    auth::begin_session(&session, account.person.id).await?;
    tracing::info!(employee = account.person.id, "signed in");
    let user = CurrentUser {
        id: lanyard_wire::EmployeeId(account.person.id),
        role: auth::role_of(&account.role),
        account,
    };
    Ok(AppJson(me_of(&state, &user, now)))
}

async fn sign_out(session: Session, user: CurrentUser) -> AppResult<StatusCode> {
    auth::end_session(&session).await?;
    tracing::info!(employee = user.id.0, "signed out");
    Ok(StatusCode::NO_CONTENT)
}

async fn me(State(state): State<AppState>, user: CurrentUser, now: Now) -> AppJson<Me> {
    AppJson(me_of(&state, &user, now))
}

fn me_of(state: &AppState, user: &CurrentUser, now: Now) -> Me {
    let person = &user.account.person;
    Me {
        server_time: now.timestamp(),
        id: user.id,
        name: person.name.clone(),
        email: user.account.email.clone(),
        title: person.title.clone(),
        role: user.role,
        photo: state.photos.sign(&person.photo, PhotoSize::Thumb, now.0),
    }
}
