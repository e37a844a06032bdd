//! `POST /broadcasting/auth`, Laravel's channel authorization endpoint: the
//! WebSocket client posts the `socket_id` it got from the server and the
//! `channel_name` it wants to join (form-encoded), and gets back the signed
//! `auth` string the server requires for `private-` and `presence-` channels.
//!
//! The caller must be a [`DemoUser`]; for now every demo user may join every
//! private and presence channel. Encrypted channels are not supported.

use axum::{
    extract::{rejection::FormRejection, State},
    Form, Json,
};
use serde::Deserialize;
use serde_json::{json, Value};

use super::ApiError;
use crate::{broadcast::signing, rooms::ValidationErrors, state::AppState, users::DemoUser};

/// The form fields pusher-js and Laravel Echo send.
#[derive(Debug, Default, Deserialize)]
pub struct AuthRequest {
    /// The connection's id, `digits.digits`.
    pub socket_id: Option<String>,
    /// The channel to authorize, with its prefix.
    pub channel_name: Option<String>,
}

/// Signs the subscription, or answers 403 (no/invalid token, channel that
/// needs no or unsupported authorization) or 422 (missing or malformed fields).
pub async fn authorize(
    State(state): State<AppState>,
    user: DemoUser,
    form: Result<Form<AuthRequest>, FormRejection>,
) -> Result<Json<Value>, ApiError> {
    let Form(request) = form?;
    let (socket_id, channel_name) = validate(request)?;
    let reverb = &state.config.reverb;

    if channel_name.starts_with("private-encrypted-") {
        return Err(ApiError::Forbidden("Encrypted channels are not supported.".into()));
    }
    if channel_name.starts_with("presence-") {
        let channel_data = json!({ "user_id": user.id, "user_info": { "name": user.name } }).to_string();
        let auth = signing::channel_auth(&reverb.key, &reverb.secret, &socket_id, &channel_name, Some(&channel_data));
        return Ok(Json(json!({ "auth": auth, "channel_data": channel_data })));
    }
    if channel_name.starts_with("private-") {
        let auth = signing::channel_auth(&reverb.key, &reverb.secret, &socket_id, &channel_name, None);
        return Ok(Json(json!({ "auth": auth })));
    }
    Err(ApiError::Forbidden(
        "Only private- and presence- channels need authorization.".into(),
    ))
}

/// Both fields present, and `socket_id` shaped like `123.456`.
fn validate(request: AuthRequest) -> Result<(String, String), ValidationErrors> {
    let mut errors = Vec::new();
    let socket_id = request.socket_id.unwrap_or_default();
    let channel_name = request.channel_name.unwrap_or_default();
    if socket_id.is_empty() {
        errors.push(("socket_id", "The socket id field is required.".to_owned()));
    } else if !is_socket_id(&socket_id) {
        errors.push(("socket_id", "The socket id field format is invalid.".to_owned()));
    }
    if channel_name.is_empty() {
        errors.push(("channel_name", "The channel name field is required.".to_owned()));
    }
    if errors.is_empty() {
        Ok((socket_id, channel_name))
    } else {
        Err(ValidationErrors(errors))
    }
}

fn is_socket_id(value: &str) -> bool {
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
    value
        .split_once('.')
        .is_some_and(|(left, right)| all_digits(left) && all_digits(right))
}

#[cfg(test)]
mod tests {
    use super::is_socket_id;

    #[test]
    fn socket_ids_are_two_digit_runs() {
        assert!(is_socket_id("1234.1234"));
        for bad in ["", "1234", "1234.", ".1234", "12a.34", "1.2.3", " 1.2"] {
            assert!(!is_socket_id(bad), "{bad}");
        }
    }
}
