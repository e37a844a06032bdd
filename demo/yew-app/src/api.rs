//! The stand-in Laravel API (`demo/api`): JSON over `fetch` with the bearer
//! token, and the types the pages show (the fields they need; unknown ones
//! are ignored, optional ones default, as in `demo/app/src/api`).

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
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

/// A room (`GET /api/rooms`). Prices are whole pesos.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Room {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub capacity: i64,
    #[serde(default)]
    pub price_per_night: i64,
}

/// An event venue (`GET /api/venues`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Venue {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub capacity: i64,
    #[serde(default)]
    pub price_per_event: i64,
}

/// A gallery tile (`GET /api/gallery`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GalleryItem {
    pub id: i64,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub caption: String,
    #[serde(default)]
    pub color: String,
}

/// A guest review (`GET /api/reviews`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Review {
    pub id: i64,
    pub guest_name: String,
    pub rating: i64,
    pub body: String,
}

/// A room or venue as a booking names it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// A booking receipt (`GET /api/bookings/{reference}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Receipt {
    pub reference: String,
    pub status: String,
    #[serde(default)]
    pub check_in: String,
    #[serde(default)]
    pub check_out: Option<String>,
    #[serde(default)]
    pub room: Option<Named>,
    #[serde(default)]
    pub venue: Option<Named>,
    #[serde(default)]
    pub guest_name: String,
    #[serde(default)]
    pub total_price: Option<i64>,
}

impl Receipt {
    /// The room's or venue's name.
    pub fn place(&self) -> String {
        self.room
            .as_ref()
            .or(self.venue.as_ref())
            .map(|n| n.name.clone())
            .unwrap_or_default()
    }
}

/// A signed-in user (`GET /api/me`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
}

impl User {
    /// Whether the dashboard is for this account (the API's roles).
    pub fn is_staff(&self) -> bool {
        self.role == "admin" || self.role == "staff"
    }
}

/// `POST /api/login`'s answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Login {
    pub token: String,
    pub user: User,
}

/// `4500` → `"₱4,500"`.
pub fn pesos(amount: i64) -> String {
    let digits = amount.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}₱{out}", if amount < 0 { "-" } else { "" })
}
