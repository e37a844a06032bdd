//! `POST /broadcasting/auth`, Laravel's channel authorization endpoint: the
//! WebSocket client posts the `socket_id` it got from the server and the
//! `channel_name` it wants to join (form-encoded), with the user's API token
//! as `Authorization: Bearer <token>` or the session cookie and its
//! `X-XSRF-TOKEN` (Sanctum's SPA sign-in), and gets back the signed `auth`
//! string the server requires for `private-` and `presence-` channels.
//!
//! The rules, the counterpart of `routes/channels.php` (anything else, and
//! any request without a live token, is 403):
//!
//! | Channel | Who | Answer |
//! | --- | --- | --- |
//! | `private-admin.dashboard` | admin, staff | `{"auth"}` |
//! | `private-App.Models.Booking.{id}` | admin, staff; an existing booking | `{"auth"}` |
//! | `presence-*` | any signed-in user | `{"auth", "channel_data"}`, `channel_data` = `{"user_id", "user_info": {"name"}}` |
//! | `private-encrypted-*` | any signed-in user | `{"auth", "shared_secret"}` |
//!
//! `App.Models.Booking.{id}` is a booking's model channel (Laravel's
//! `Broadcast::channel('App.Models.Booking.{booking}', fn (User $user, Booking
//! $booking) => $user->isStaff())`): `{id}` must be written as the server
//! writes it, a positive integer with no sign or leading zero and nothing
//! after it, and name an existing booking. A malformed or unknown id is 403,
//! as Laravel's implicit binding of `{booking}` answers for a missing model;
//! whether a booking exists is looked up only for admin and staff, so
//! no one else can probe for ids.
//!
//! For encrypted channels, `shared_secret` is what Pusher's server libraries
//! (`pusher-http-php`'s `encryption_master_key`) derive: base64 of
//! SHA-256(channel name bytes ‖ master key bytes). This server uses the
//! app secret (`REVERB_APP_SECRET`) as the master key; the client decrypts
//! the channel's events with it (NaCl secretbox). No event of this app is
//! sent encrypted yet.

use axum::{
    extract::{rejection::FormRejection, State},
    http::HeaderMap,
    Form, Json,
};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::ApiError;
use crate::{auth, bookings, broadcast::signing, events::channels, state::AppState, validation::ValidationErrors};

/// The form fields pusher-js and Laravel Echo send.
#[derive(Debug, Default, Deserialize)]
pub struct AuthRequest {
    /// The connection's id, `digits.digits`.
    pub socket_id: Option<String>,
    /// The channel to authorize, with its prefix.
    pub channel_name: Option<String>,
}

/// The shared secret of an encrypted channel: base64 of
/// SHA-256(`channel_name` ‖ `master_key`).
pub fn encrypted_channel_secret(channel_name: &str, master_key: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(channel_name.as_bytes());
    hasher.update(master_key);
    base64::engine::general_purpose::STANDARD.encode(hasher.finalize())
}

/// Signs the subscription, or answers 403 (no live token, a channel the
/// user may not join, a public or unknown channel, a booking channel of a
/// booking that does not exist) or 422 (missing or malformed fields).
pub async fn authorize(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<AuthRequest>, FormRejection>,
) -> Result<Json<Value>, ApiError> {
    let Some(user) = auth::authenticate(&state, &headers).await? else {
        return Err(ApiError::Forbidden(
            "Sign in first: a bearer token or a session cookie is required.".into(),
        ));
    };
    let Form(request) = form?;
    let (socket_id, channel_name) = validate(request)?;
    let reverb = &state.config.reverb;
    let sign = |data: Option<&str>| signing::channel_auth(&reverb.key, &reverb.secret, &socket_id, &channel_name, data);

    if channel_name.starts_with("private-encrypted-") {
        let shared_secret = encrypted_channel_secret(&channel_name, reverb.secret.as_bytes());
        return Ok(Json(json!({ "auth": sign(None), "shared_secret": shared_secret })));
    }
    if channel_name.starts_with("presence-") {
        // The Pusher protocol's user_id is a string; Sockudo 5.2 refuses a
        // number with 4300 "Missing user_id in channel_data" (Laravel sends
        // whatever the channel callback returns; echo-rs accepts both).
        let channel_data = json!({ "user_id": user.id.to_string(), "user_info": { "name": user.name } }).to_string();
        return Ok(Json(json!({ "auth": sign(Some(&channel_data)), "channel_data": channel_data })));
    }
    if channel_name == channels::private(channels::ADMIN_DASHBOARD) {
        if !user.role.is_staff() {
            return Err(ApiError::Forbidden(
                "Only admin and staff may join the admin dashboard channel.".into(),
            ));
        }
        return Ok(Json(json!({ "auth": sign(None) })));
    }
    if let Some(id) = channel_name
        .strip_prefix("private-")
        .and_then(|name| channels::model_key(channels::BOOKING_MODEL, name))
    {
        if !user.role.is_staff() {
            return Err(ApiError::Forbidden("Only admin and staff may join a booking's channel.".into()));
        }
        if !state.db.call(move |conn| bookings::exists(conn, id)).await? {
            return Err(ApiError::Forbidden(format!("There is no booking {id}.")));
        }
        return Ok(Json(json!({ "auth": sign(None) })));
    }
    Err(ApiError::Forbidden(format!("There is no private channel named {channel_name}.")))
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
