//! Event venues (pavilion, function hall, ...), booked for a single day and
//! kept in sync with browsers through the `VenuesUpdated` broadcast event.

mod changes;
mod queries;

use serde::Serialize;

pub use changes::{ValidVenueChanges, VenueChanges};
pub use queries::{available, find, list, update};

/// A bookable event venue, serialized as the API's JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Venue {
    /// Primary key.
    pub id: i64,
    /// Display name, 1 to 80 characters.
    pub name: String,
    /// One or two sentences for the venue card.
    pub description: String,
    /// Maximum number of event guests, 1 to 1000.
    pub capacity: i64,
    /// Rate for one event day in whole Philippine pesos.
    pub price_per_event: i64,
    /// When the venue last changed, RFC 3339 UTC.
    pub updated_at: String,
}
