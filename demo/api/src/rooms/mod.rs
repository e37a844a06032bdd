//! Resort rooms, kept in sync with browsers through the `RoomsUpdated`
//! broadcast event.

mod changes;
mod queries;

use serde::Serialize;

pub use changes::{RoomChanges, ValidChanges};
pub use queries::{available, find, list, update};

/// A bookable room, serialized as the API's JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Room {
    /// Primary key.
    pub id: i64,
    /// Display name, 1 to 80 characters.
    pub name: String,
    /// One or two sentences for the room card.
    pub description: String,
    /// Maximum number of guests, 1 to 20.
    pub capacity: i64,
    /// Nightly rate in whole Philippine pesos (PHP, no centavos).
    pub price_per_night: i64,
    /// When the room last changed, RFC 3339 in UTC with second precision
    /// (like Laravel's `toIso8601String()`).
    pub updated_at: String,
}
