//! Who is asking: the extractors that handlers take to require a signed-in
//! person ([`CurrentUser`]) or HR ([`HrUser`]). They need only the
//! database from the state (axum's `FromRef`).

use super::accounts::{self, role_of, AccountRow};
use super::session::{outlived, SessionMaxAge, SIGNED_IN_AT_KEY, USER_ID_KEY};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use anyhow::Context as _;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use lanyard_wire::{EmployeeId, Role};
use std::time::SystemTime;
use tower_sessions::Session;

/// The signed-in user. Extracting it from a request without a live session
/// (or whose person has left) answers 401 `unauthenticated`.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: EmployeeId,
    pub role: Role,
    pub account: AccountRow,
}

impl CurrentUser {
    /// The user of a session that has just begun for `account`.
    pub fn of(account: AccountRow) -> Self {
        Self {
            id: EmployeeId(account.person.id),
            role: role_of(&account.role),
            account,
        }
    }
}

impl<S> FromRequestParts<S> for CurrentUser
where
    Db: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> AppResult<Self> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .context("the session layer is missing")?;
        let Some(id) = session.get::<i64>(USER_ID_KEY).await? else {
            return Err(AppError::Unauthenticated);
        };
        let max_age = parts
            .extensions
            .get::<SessionMaxAge>()
            .copied()
            .unwrap_or_default();
        let now = parts
            .extensions
            .get::<crate::extract::Now>()
            .map_or_else(SystemTime::now, |now| now.0);
        if outlived(session.get(SIGNED_IN_AT_KEY).await?, now, max_age) {
            session.flush().await?;
            return Err(AppError::Unauthenticated);
        }
        let db = Db::from_ref(state);
        let Some(account) = accounts::by_id(&db, id).await? else {
            // Deactivated since signing in: the session is over.
            session.flush().await?;
            return Err(AppError::Unauthenticated);
        };
        Ok(Self::of(account))
    }
}

/// A signed-in member of HR. Extracting it answers 401 without a session
/// and 403 `forbidden` for anyone else: every `/api/hr/...` handler takes
/// one, so the role is checked before the handler runs.
#[derive(Debug, Clone)]
pub struct HrUser(pub CurrentUser);

impl<S> FromRequestParts<S> for HrUser
where
    Db: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> AppResult<Self> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        match user.role {
            Role::Hr => Ok(Self(user)),
            Role::Employee => Err(AppError::Forbidden),
        }
    }
}
