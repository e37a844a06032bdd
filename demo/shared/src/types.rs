//! What the API answers. Unknown fields are ignored and optional ones
//! default, so the frontend keeps working when the backend adds keys
//! (payloads grow, never break).

use serde::{Deserialize, Serialize};

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
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub approved: Option<bool>,
}

/// A blocked range of dates, both ends included (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BlockedRange {
    pub id: i64,
    pub start_date: String,
    pub end_date: String,
    #[serde(default)]
    pub reason: String,
}

impl BlockedRange {
    /// Whether `date` (`YYYY-MM-DD`) falls in this range.
    pub fn contains(&self, date: &str) -> bool {
        self.start_date.as_str() <= date && date <= self.end_date.as_str()
    }
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
    pub guests: Option<i64>,
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

/// A booking as the admin sees it (`GET /api/admin/bookings`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AdminBooking {
    /// The key of its model channel, `private-App.Models.Booking.{id}`.
    pub id: i64,
    pub reference: String,
    pub status: String,
    #[serde(default)]
    pub guest_name: String,
    #[serde(default)]
    pub guest_email: String,
    #[serde(default)]
    pub check_in: String,
    #[serde(default)]
    pub check_out: Option<String>,
    #[serde(default)]
    pub room: Option<Named>,
    #[serde(default)]
    pub venue: Option<Named>,
    #[serde(default)]
    pub created_at: String,
    /// When it last changed, RFC 3339 UTC.
    #[serde(default)]
    pub updated_at: String,
}

/// A contact-form message as the admin sees it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ContactMessage {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub subject: String,
    pub message: String,
    #[serde(default)]
    pub created_at: String,
}

/// A signed-in user.
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

/// `POST /api/bookings`'s body.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct NewBooking {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue_id: Option<i64>,
    pub check_in: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_out: Option<String>,
    pub guests: i64,
    pub guest_name: String,
    pub guest_email: String,
    pub guest_phone: String,
}

/// `POST /api/bookings`'s answer (the fields the form needs).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CreatedBooking {
    pub reference: String,
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
