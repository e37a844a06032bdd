//! The stand-in Laravel API, fetched through leptos-fetch query scopes.

use serde::Deserialize;

/// A room as `GET /api/rooms` returns it.
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

/// The result of a fetch: the data or a message to show.
pub type ApiResult<T> = Result<T, String>;

async fn get_json<T: for<'de> Deserialize<'de>>(path: &str) -> ApiResult<T> {
    let response = gloo_net::http::Request::get(path)
        .send()
        .await
        .map_err(|e| format!("network error: {e}"))?;
    if !response.ok() {
        return Err(format!("{path} answered HTTP {}", response.status()));
    }
    response.json::<T>().await.map_err(|e| format!("{path}: unexpected response: {e}"))
}

/// The query behind every room list (query key prefix `rooms`).
pub async fn fetch_rooms() -> ApiResult<Vec<Room>> {
    get_json("/api/rooms").await
}
