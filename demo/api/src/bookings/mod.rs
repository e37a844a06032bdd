//! Room stays and venue events. A guest books without an account and gets a
//! reference (`CMR-7K3Q9`) for the receipt page; the admin side moves the
//! booking through its [`Status`] values, each change broadcast on
//! `booking.{reference}`. Creation and each change are also broadcast as
//! Laravel model events on the staff-only `private-App.Models.Booking.{id}`
//! (see [`observers`](crate::observers)).
//!
//! A room booking occupies the nights from `check_in` up to, not including,
//! `check_out`; a venue booking occupies the single day `check_in`. Pending
//! and confirmed bookings hold their dates; cancelled and completed ones don't.

mod input;
mod queries;
pub mod reference;
mod status;

use serde::Serialize;

pub use input::{BookingInput, Target, ValidBooking, MAX_NIGHTS};
pub use queries::{create, exists, find, list, overlaps_active, update_status, WriteError};
pub use status::{Status, StatusInput};

/// What was booked: a room or a venue, by id and current name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Booked {
    /// The room's or venue's id.
    pub id: i64,
    /// Its display name.
    pub name: String,
}

/// A booking as the admin side sees it, serialized as the API's JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Booking {
    /// Primary key.
    pub id: i64,
    /// The guest-facing reference, `CMR-` and five characters.
    pub reference: String,
    /// Guest's full name.
    pub guest_name: String,
    /// Guest's e-mail address, lower-case.
    pub guest_email: String,
    /// Guest's phone number as entered.
    pub guest_phone: String,
    /// The room, for a stay (else `null`).
    pub room: Option<Booked>,
    /// The venue, for an event (else `null`).
    pub venue: Option<Booked>,
    /// Arrival day, or the event day, `YYYY-MM-DD`.
    pub check_in: String,
    /// Departure day for a stay; `null` for an event.
    pub check_out: Option<String>,
    /// Number of guests.
    pub guests: i64,
    /// Price in whole PHP, fixed when the booking was made.
    pub total_price: i64,
    /// `pending`, `confirmed`, `cancelled` or `completed`.
    pub status: Status,
    /// When it was made, RFC 3339 UTC.
    pub created_at: String,
    /// When it last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// The public receipt of `GET /api/bookings/{reference}`: a [`Booking`]
/// without its id and the guest's contact details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// The reference.
    pub reference: String,
    /// Current status.
    pub status: Status,
    /// Guest's full name.
    pub guest_name: String,
    /// The room, for a stay.
    pub room: Option<Booked>,
    /// The venue, for an event.
    pub venue: Option<Booked>,
    /// Arrival or event day.
    pub check_in: String,
    /// Departure day, stays only.
    pub check_out: Option<String>,
    /// Number of guests.
    pub guests: i64,
    /// Price in whole PHP.
    pub total_price: i64,
    /// When it was made.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

impl From<Booking> for Receipt {
    fn from(booking: Booking) -> Self {
        Self {
            reference: booking.reference,
            status: booking.status,
            guest_name: booking.guest_name,
            room: booking.room,
            venue: booking.venue,
            check_in: booking.check_in,
            check_out: booking.check_out,
            guests: booking.guests,
            total_price: booking.total_price,
            created_at: booking.created_at,
            updated_at: booking.updated_at,
        }
    }
}
