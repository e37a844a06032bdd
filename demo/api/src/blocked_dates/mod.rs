//! Date ranges the resort takes no bookings for (buyouts, maintenance,
//! holidays), kept in sync with booking calendars through the
//! `BlockedDatesUpdated` broadcast event.

mod input;
mod queries;

use serde::Serialize;

pub use input::{BlockedDateInput, ValidBlockedDate};
pub use queries::{delete, first_overlapping, insert, list};

/// A blocked range, serialized as the API's JSON. Both ends are included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockedDate {
    /// Primary key.
    pub id: i64,
    /// First blocked day, `YYYY-MM-DD`.
    pub start_date: String,
    /// Last blocked day (inclusive), `YYYY-MM-DD`.
    pub end_date: String,
    /// Why, shown to guests (e.g. "Private wedding buyout").
    pub reason: String,
    /// When the range was added, RFC 3339 UTC.
    pub created_at: String,
}
