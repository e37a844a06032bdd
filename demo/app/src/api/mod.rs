//! The stand-in Laravel API: typed fetchers used as leptos-fetch query
//! scopes, and the write calls of the forms and the admin side.

mod http;
mod types;

pub use http::{delete, get_json, patch_json, post_json, token, ApiError};
pub use types::*;

/// Home page and step 1 room list: query key `["rooms", "home"]`.
pub async fn fetch_rooms() -> Result<Vec<Room>, ApiError> {
    get_json("/api/rooms").await
}

/// Rooms free for a stay: query key `["rooms", check_in, check_out]`.
pub async fn fetch_available_rooms(stay: (String, String)) -> Result<Vec<Room>, ApiError> {
    if stay.0.is_empty() || stay.1.is_empty() {
        return Ok(Vec::new()); // no stay picked yet: nothing to ask
    }
    get_json(&format!("/api/rooms/availability?check_in={}&check_out={}", stay.0, stay.1)).await
}

/// The venues free on `day` (`YYYY-MM-DD`): query key `["venues", day]`.
pub async fn fetch_available_venues(day: String) -> Result<Vec<Venue>, ApiError> {
    if day.is_empty() {
        return Ok(Vec::new()); // no day picked yet: nothing to ask
    }
    get_json(&format!("/api/venues/availability?date={day}")).await
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

/// Blocked date ranges: query key `["blocked-dates"]`.
pub async fn fetch_blocked_dates() -> Result<Vec<BlockedRange>, ApiError> {
    get_json("/api/blocked-dates").await
}

/// A booking receipt: query key `["bookings", reference]`.
pub async fn fetch_receipt(reference: String) -> Result<Receipt, ApiError> {
    get_json(&format!("/api/bookings/{reference}")).await
}

/// The signed-in user: query key `["me"]`.
pub async fn fetch_me() -> Result<User, ApiError> {
    get_json("/api/me").await
}

/// Admin booking list: query key `["admin", "bookings"]`.
pub async fn fetch_admin_bookings() -> Result<Vec<AdminBooking>, ApiError> {
    get_json("/api/admin/bookings").await
}

/// Every review, approved or not: query key `["admin", "reviews"]`.
pub async fn fetch_admin_reviews() -> Result<Vec<Review>, ApiError> {
    get_json("/api/admin/reviews").await
}

/// Admin contact messages: query key `["admin", "contact-messages"]`.
pub async fn fetch_contact_messages() -> Result<Vec<ContactMessage>, ApiError> {
    get_json("/api/admin/contact-messages").await
}
