//! Sign-in: `POST /api/login`, `POST /api/logout` and `GET /api/me` with
//! bearer tokens; `GET /sanctum/csrf-cookie`, `POST /login` and `POST
//! /logout` with Sanctum-style session cookies (`auth::cookies`).

use axum::{
    extract::{rejection::JsonRejection, State},
    http::{header::SET_COOKIE, HeaderMap, StatusCode},
    response::{AppendHeaders, IntoResponse},
    Json,
};
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::{
    auth::{self, cookies, tokens, SignedIn, User},
    clock,
    state::AppState,
    validation::{ValidationErrors, Validator},
};

/// The JSON body of `POST /api/login`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The account's e-mail address.
    pub email: Option<String>,
    /// Its password.
    pub password: Option<String>,
}

/// The answer to a successful login.
#[derive(Debug, Serialize)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Who signed in.
    pub user: User,
}

/// `POST /api/login`: a new token for the account, or 422 with Laravel's
/// "These credentials do not match our records." on `email`.
pub async fn login(
    State(state): State<AppState>,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Json<LoginResponse>, ApiError> {
    let Json(request) = body?;
    sign_in(&state, request).await.map(Json)
}

/// Checks the credentials and issues a token.
async fn sign_in(state: &AppState, request: LoginRequest) -> Result<LoginResponse, ApiError> {
    let mut v = Validator::new();
    let email = v.required_text("email", request.email, 254);
    let password = request.password.filter(|password| !password.is_empty());
    if password.is_none() {
        v.fail("password", "The password field is required.");
    }
    let (email, password) = v.finish(|| (email.unwrap_or_default(), password.unwrap_or_default()))?;
    let now = clock::now_rfc3339();
    let signed_in = state
        .db
        .call(move |conn| {
            let Some(user) = auth::find_by_credentials(conn, &email, &password)? else {
                return Ok(None);
            };
            let token = tokens::issue(conn, user.id, &now)?;
            Ok(Some(LoginResponse { token, user }))
        })
        .await?;
    signed_in.ok_or_else(|| ValidationErrors::one("email", "These credentials do not match our records.").into())
}

/// `GET /sanctum/csrf-cookie`: 204 with a fresh readable `XSRF-TOKEN`
/// cookie, which the SPA sends back as `X-XSRF-TOKEN`.
pub async fn csrf_cookie() -> impl IntoResponse {
    let token = tokens::generate();
    (
        StatusCode::NO_CONTENT,
        AppendHeaders([(SET_COOKIE, cookies::set(cookies::XSRF, &token, false))]),
    )
}

/// `POST /login` (Sanctum SPA sign-in; needs the CSRF header): signs in like
/// `/api/login`, but keeps the token in the `HttpOnly` session cookie and
/// answers only the user.
pub async fn cookie_login(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    if !cookies::csrf_matches(&headers) {
        return Err(ApiError::CsrfMismatch);
    }
    let Json(request) = body?;
    let LoginResponse { token, user } = sign_in(&state, request).await?;
    Ok((
        AppendHeaders([(SET_COOKIE, cookies::set(cookies::SESSION, &token, true))]),
        Json(user),
    ))
}

/// `POST /logout` (needs the CSRF header): ends the cookie session; 204.
pub async fn cookie_logout(State(state): State<AppState>, signed_in: SignedIn) -> Result<impl IntoResponse, ApiError> {
    let token = signed_in.token;
    state.db.call(move |conn| tokens::revoke(conn, &token)).await?;
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(SET_COOKIE, cookies::set(cookies::SESSION, "", true))]),
    ))
}

/// `POST /api/logout`: revokes the token of this request; 204.
pub async fn logout(State(state): State<AppState>, signed_in: SignedIn) -> Result<StatusCode, ApiError> {
    let token = signed_in.token;
    state.db.call(move |conn| tokens::revoke(conn, &token)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/me`: the signed-in user.
pub async fn me(signed_in: SignedIn) -> Json<User> {
    Json(signed_in.user)
}
