//! The app's broadcast channel and event names: the counterpart of Laravel's
//! `App\Broadcasting\BroadcastChannelNames` and the `app/Events/*` class
//! names. Clients subscribe and listen with exactly these strings, so keep
//! them stable. Which change broadcasts what lives in
//! [`observers`](crate::observers).

/// Channel names, without the `private-` prefix private channels get on the wire.
pub mod channels {
    /// Public: rooms changed (`RoomsUpdated`).
    pub const ROOMS: &str = "rooms";
    /// Public: venues changed (`VenuesUpdated`).
    pub const VENUES: &str = "venues";
    /// Public: gallery changed (`GalleryUpdated`).
    pub const GALLERY: &str = "gallery";
    /// Public: approved reviews changed (`ReviewsUpdated`).
    pub const REVIEWS: &str = "reviews";
    /// Public: blocked date ranges changed (`BlockedDatesUpdated`).
    pub const BLOCKED_DATES: &str = "blocked-dates";
    /// Private (admin and staff only): new bookings, contact messages and reviews.
    pub const ADMIN_DASHBOARD: &str = "admin.dashboard";

    /// The model class of bookings as it appears in channel names: Laravel's
    /// `App\Models\Booking` with its backslashes turned into dots.
    pub const BOOKING_MODEL: &str = "App.Models.Booking";

    /// Public: one booking's status (`BookingStatusUpdated`), for its receipt page.
    pub fn booking(reference: &str) -> String {
        format!("booking.{reference}")
    }

    /// Private: one model's own channel, as Laravel's model broadcasting
    /// (`BroadcastsEvents`) names it: the class with dots and the key, e.g.
    /// `model(BOOKING_MODEL, 42)` is `App.Models.Booking.42`
    /// (`private-App.Models.Booking.42` on the wire). Only
    /// [`BOOKING_MODEL`]'s are used, joined by admin and staff only
    /// (`BookingCreated`, `BookingUpdated`).
    pub fn model(class: &str, id: i64) -> String {
        format!("{class}.{id}")
    }

    /// The key in a [`model`] channel name of `class` (without the `private-`
    /// prefix): `Some(42)` for `App.Models.Booking.42`; `None` unless what
    /// follows `{class}.` is a positive integer written the way [`model`]
    /// writes it (no sign, no leading zero, nothing after it).
    pub fn model_key(class: &str, name: &str) -> Option<i64> {
        let key = name.strip_prefix(class)?.strip_prefix('.')?;
        let canonical = key.bytes().all(|byte| byte.is_ascii_digit()) && !key.starts_with('0');
        key.parse().ok().filter(|_| canonical)
    }

    /// A private channel's name on the wire, e.g. `private-admin.dashboard`.
    pub fn private(name: &str) -> String {
        format!("private-{name}")
    }
}

/// Event names: what Echo listens for as `.listen('.RoomsUpdated', ...)`.
pub mod names {
    /// On [`ROOMS`](super::channels::ROOMS): `{"room_ids": [..], "updated_at"}`.
    pub const ROOMS_UPDATED: &str = "RoomsUpdated";
    /// On [`VENUES`](super::channels::VENUES): `{"venue_ids": [..], "updated_at"}`.
    pub const VENUES_UPDATED: &str = "VenuesUpdated";
    /// On [`GALLERY`](super::channels::GALLERY): `{"gallery_item_ids": [..], "updated_at"}`.
    pub const GALLERY_UPDATED: &str = "GalleryUpdated";
    /// On [`REVIEWS`](super::channels::REVIEWS): `{"review_ids": [..], "updated_at"}`.
    pub const REVIEWS_UPDATED: &str = "ReviewsUpdated";
    /// On [`BLOCKED_DATES`](super::channels::BLOCKED_DATES): `{"updated_at"}`.
    pub const BLOCKED_DATES_UPDATED: &str = "BlockedDatesUpdated";
    /// On private [`model`](super::channels::model) of
    /// [`BOOKING_MODEL`](super::channels::BOOKING_MODEL): a booking was made.
    /// Payload: `{"model": {"id", "reference", "status", "updated_at"},
    /// "connection": null, "queue": null, "afterCommit": false}`.
    pub const BOOKING_CREATED: &str = "BookingCreated";
    /// On private [`model`](super::channels::model) of
    /// [`BOOKING_MODEL`](super::channels::BOOKING_MODEL): a booking changed
    /// (its status). Payload as [`BOOKING_CREATED`].
    pub const BOOKING_UPDATED: &str = "BookingUpdated";
    /// On [`booking`](super::channels::booking): `{"reference", "status", "updated_at"}`.
    pub const BOOKING_STATUS_UPDATED: &str = "BookingStatusUpdated";
    /// On private [`ADMIN_DASHBOARD`](super::channels::ADMIN_DASHBOARD):
    /// `{"kind": "booking_created", "booking_reference", "created_at"}` or
    /// `{"kind": "review_submitted", "review_id", "created_at"}`.
    pub const ADMIN_DASHBOARD_NOTIFICATION: &str = "AdminDashboardNotification";
    /// On private [`ADMIN_DASHBOARD`](super::channels::ADMIN_DASHBOARD): `{"id", "subject", "created_at"}`.
    pub const CONTACT_FORM_SUBMITTED: &str = "ContactFormSubmitted";
}

#[cfg(test)]
mod tests {
    use super::channels::{model, model_key, BOOKING_MODEL};

    #[test]
    fn model_channels_are_the_dotted_class_and_the_key() {
        assert_eq!(model(BOOKING_MODEL, 42), "App.Models.Booking.42");
        assert_eq!(model_key(BOOKING_MODEL, "App.Models.Booking.42"), Some(42));
        assert_eq!(model_key(BOOKING_MODEL, &model(BOOKING_MODEL, i64::MAX)), Some(i64::MAX));
    }

    #[test]
    fn model_keys_are_refused_unless_written_as_model_writes_them() {
        for name in [
            "App.Models.Booking.",
            "App.Models.Booking",
            "App.Models.Booking.abc",
            "App.Models.Booking.4a",
            "App.Models.Booking.42.",
            "App.Models.Booking.42.7",
            "App.Models.Booking..42",
            "App.Models.Booking.042",
            "App.Models.Booking.0",
            "App.Models.Booking.-1",
            "App.Models.Booking.+1",
            "App.Models.Booking. 1",
            "App.Models.Booking.99999999999999999999",
            "App.Models.Bookings.1",
            "App.Models.User.1",
            "private-App.Models.Booking.1",
        ] {
            assert_eq!(model_key(BOOKING_MODEL, name), None, "{name}");
        }
    }
}
