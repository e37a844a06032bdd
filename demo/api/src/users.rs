//! Who is calling, from an `Authorization: Bearer <token>` header.
//!
//! There are no accounts yet: any token of the form `demo-user-<id>`, with
//! `<id>` a positive integer, identifies demo user `<id>`. Real sign-in
//! (and with it the admin side's authentication) replaces this later.

use axum::{
    extract::FromRequestParts,
    http::{header::AUTHORIZATION, request::Parts},
};

use crate::http::ApiError;

/// The token prefix accepted by [`DemoUser::from_token`].
pub const TOKEN_PREFIX: &str = "demo-user-";

/// An authenticated demo user. As an extractor it answers 403 when the
/// request has no valid bearer token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoUser {
    /// The user's id, from the token.
    pub id: u64,
    /// A display name derived from the id.
    pub name: String,
}

impl DemoUser {
    /// The user a `demo-user-<id>` token stands for, if it is one.
    pub fn from_token(token: &str) -> Option<Self> {
        let id = token.strip_prefix(TOKEN_PREFIX)?;
        if id.is_empty() || !id.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        let id: u64 = id.parse().ok().filter(|id| *id > 0)?;
        Some(Self {
            id,
            name: format!("Demo User {id}"),
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for DemoUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(AUTHORIZATION).and_then(|value| value.to_str().ok());
        let Some(token) = header.and_then(|value| value.strip_prefix("Bearer ")) else {
            return Err(ApiError::Forbidden("A bearer token is required.".into()));
        };
        Self::from_token(token.trim()).ok_or_else(|| ApiError::Forbidden("The bearer token is not valid.".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_demo_tokens() {
        assert_eq!(DemoUser::from_token("demo-user-7").map(|user| user.id), Some(7));
        for bad in [
            "demo-user-",
            "demo-user-0",
            "demo-user-+7",
            "demo-user-x",
            "user-7",
            "demo-user-99999999999999999999",
        ] {
            assert_eq!(DemoUser::from_token(bad), None, "{bad}");
        }
    }
}
