//! Axum extractors for the caller's identity.

use axum::{
    extract::FromRequestParts,
    http::{header::AUTHORIZATION, request::Parts, HeaderMap, Method},
};

use super::{cookies, tokens, User};
use crate::{http::ApiError, state::AppState};

/// The token of an `Authorization: Bearer <token>` header, if any.
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

/// The token a request signs in with: its bearer token, or else its
/// session cookie (Sanctum's SPA sign-in), which for a request that changes
/// something (`checked`) needs the matching `X-XSRF-TOKEN` (419 otherwise).
fn request_token(headers: &HeaderMap, checked: bool) -> Result<Option<String>, ApiError> {
    match bearer_token(headers) {
        Some(token) => Ok(Some(token)),
        None => cookies::session_token(headers, checked),
    }
}

/// The user behind a request that changes something (`POST
/// /broadcasting/auth`): its bearer token or its session cookie with the
/// CSRF header, if either is live.
///
/// # Errors
/// 419 for a session cookie without a matching `X-XSRF-TOKEN`.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Option<User>, ApiError> {
    let Some(token) = request_token(headers, true)? else {
        return Ok(None);
    };
    Ok(state.db.call(move |conn| tokens::user_for(conn, &token)).await?)
}

/// A signed-in user and the token they used (bearer or session cookie);
/// answers 401 otherwise.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// The account.
    pub user: User,
    /// The bearer token of this request.
    pub token: String,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let checked = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        let token = request_token(&parts.headers, checked)?.ok_or(ApiError::Unauthenticated)?;
        let lookup = token.clone();
        let user = state
            .db
            .call(move |conn| tokens::user_for(conn, &lookup))
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        Ok(Self { user, token })
    }
}

/// A signed-in admin or staff member: 401 without a live token, 403 for
/// guests. Guards every `/api/admin/*` route.
#[derive(Clone, Debug)]
pub struct Staff(pub User);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SignedIn { user, .. } = SignedIn::from_request_parts(parts, state).await?;
        if user.role.is_staff() {
            Ok(Self(user))
        } else {
            Err(ApiError::Forbidden("This action is unauthorized.".into()))
        }
    }
}
