//! JSON over `fetch`, with the bearer token and, for writes to our own
//! origin, `X-Socket-ID` (Laravel `toOthers()`).

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// A failed API call, ready to show: the server's `message` and per-field
/// `errors` (Laravel's 422 shape) when it sent them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ApiError {
    /// HTTP status, 0 for a network failure.
    pub status: u16,
    /// What went wrong, in words.
    pub message: String,
    /// Validation messages by field.
    pub errors: Vec<(String, String)>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl ApiError {
    /// The first message for `field`, if any.
    pub fn field(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone())
    }
}

/// The signed-in user's token (`localStorage["token"]`, where echo-rs's
/// default token getter reads it too).
pub fn token() -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item("token")
        .ok()?
        .filter(|t| !t.is_empty())
}

fn with_headers(mut request: RequestBuilder, url: &str) -> RequestBuilder {
    request = request.header("Accept", "application/json");
    if let Some(token) = token() {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    if let Some(echo) = crate::realtime::current_echo() {
        if let Some((name, value)) = echo.socket_id_header(url, &origin) {
            request = request.header(name, &value);
        }
    }
    request
}

async fn read<T: DeserializeOwned>(response: Result<Response, gloo_net::Error>, url: &str) -> Result<T, ApiError> {
    let response = response.map_err(|e| ApiError {
        status: 0,
        message: format!("Cannot reach the server ({e})."),
        errors: vec![],
    })?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if !response.ok() {
        let message = body
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{url} answered HTTP {status}."));
        let errors = body
            .get("errors")
            .and_then(Value::as_object)
            .map(|map| {
                map.iter()
                    .filter_map(|(field, messages)| {
                        let first = messages
                            .as_array()
                            .and_then(|m| m.first())
                            .and_then(Value::as_str)
                            .or(messages.as_str())?;
                        Some((field.clone(), first.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        return Err(ApiError { status, message, errors });
    }
    serde_json::from_value(body).map_err(|e| ApiError {
        status,
        message: format!("Unexpected answer from {url}: {e}"),
        errors: vec![],
    })
}

/// `GET url` → `T`.
pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    read(with_headers(Request::get(url), url).send().await, url).await
}

async fn send<T: DeserializeOwned>(request: RequestBuilder, url: &str, body: &impl Serialize) -> Result<T, ApiError> {
    let request = with_headers(request, url).json(body).map_err(|e| ApiError {
        status: 0,
        message: e.to_string(),
        errors: vec![],
    })?;
    read(request.send().await, url).await
}

/// `POST url` with a JSON body → `T`.
pub async fn post_json<T: DeserializeOwned>(url: &str, body: &impl Serialize) -> Result<T, ApiError> {
    send(Request::post(url), url, body).await
}

/// `PATCH url` with a JSON body → `T`.
pub async fn patch_json<T: DeserializeOwned>(url: &str, body: &impl Serialize) -> Result<T, ApiError> {
    send(Request::patch(url), url, body).await
}

/// `DELETE url`.
pub async fn delete(url: &str) -> Result<(), ApiError> {
    read::<Value>(with_headers(Request::delete(url), url).send().await, url)
        .await
        .map(|_| ())
}
