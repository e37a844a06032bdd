//! The stand-in Laravel API (`demo/api`): JSON over `fetch` with the bearer
//! token, and the types the pages show (the fields they need; unknown ones
//! are ignored, optional ones default, as in `demo/app/src/api`).

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// A failed API call, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status, 0 for a network failure.
    pub status: u16,
    /// What went wrong, in words (the server's `message` when it sent one).
    pub message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The signed-in user's token (`localStorage["token"]`).
pub fn token() -> Option<String> {
    storage()?.get_item("token").ok()?.filter(|t| !t.is_empty())
}

/// Stores the token after a sign-in, or forgets it.
pub fn store_token(token: Option<&str>) {
    if let Some(storage) = storage() {
        let _ = match token {
            Some(token) => storage.set_item("token", token),
            None => storage.remove_item("token"),
        };
    }
}

fn with_headers(mut request: RequestBuilder) -> RequestBuilder {
    request = request.header("Accept", "application/json");
    if let Some(token) = token() {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    request
}

async fn read<T: DeserializeOwned>(response: Result<Response, gloo_net::Error>, url: &str) -> Result<T, ApiError> {
    let response = response.map_err(|e| ApiError {
        status: 0,
        message: format!("Cannot reach the server ({e})."),
    })?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if !response.ok() {
        let message = body
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{url} answered HTTP {status}."));
        return Err(ApiError { status, message });
    }
    serde_json::from_value(body).map_err(|e| ApiError {
        status,
        message: format!("Unexpected answer from {url}: {e}"),
    })
}

/// `GET url` → `T`.
pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    read(with_headers(Request::get(url)).send().await, url).await
}

/// `POST url` with a JSON body → `T`.
pub async fn post_json<T: DeserializeOwned>(url: &str, body: &impl Serialize) -> Result<T, ApiError> {
    let request = with_headers(Request::post(url)).json(body).map_err(|e| ApiError {
        status: 0,
        message: e.to_string(),
    })?;
    read(request.send().await, url).await
}

/// Home page rooms: query key `["rooms", "home"]`.
pub async fn fetch_rooms() -> Result<Vec<Room>, ApiError> {
    get_json("/api/rooms").await
}

/// Event venues: query key `["venues"]`.
pub async fn fetch_venues() -> Result<Vec<Venue>, ApiError> {
    get_json("/api/venues").await
}

/// Gallery tiles: query key `["gallery"]`.
pub async fn fetch_gallery() -> Result<Vec<GalleryItem>, ApiError> {
    get_json("/api/gallery").await
}

/// Approved reviews: query key `["reviews"]`.
pub async fn fetch_reviews() -> Result<Vec<Review>, ApiError> {
    get_json("/api/reviews").await
}

/// A booking receipt: query key `["bookings", reference]`.
pub async fn fetch_receipt(reference: String) -> Result<Receipt, ApiError> {
    get_json(&format!("/api/bookings/{reference}")).await
}

/// The signed-in user: query key `["me"]`.
pub async fn fetch_me() -> Result<User, ApiError> {
    get_json("/api/me").await
}

pub use echo_demo_shared::types::*;
