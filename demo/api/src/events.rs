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

    /// Public: one booking's status (`BookingStatusUpdated`), for its receipt page.
    pub fn booking(reference: &str) -> String {
        format!("booking.{reference}")
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
    /// On [`booking`](super::channels::booking): `{"reference", "status", "updated_at"}`.
    pub const BOOKING_STATUS_UPDATED: &str = "BookingStatusUpdated";
    /// On private [`ADMIN_DASHBOARD`](super::channels::ADMIN_DASHBOARD):
    /// `{"kind": "booking_created", "booking_reference", "created_at"}` or
    /// `{"kind": "review_submitted", "review_id", "created_at"}`.
    pub const ADMIN_DASHBOARD_NOTIFICATION: &str = "AdminDashboardNotification";
    /// On private [`ADMIN_DASHBOARD`](super::channels::ADMIN_DASHBOARD): `{"id", "subject", "created_at"}`.
    pub const CONTACT_FORM_SUBMITTED: &str = "ContactFormSubmitted";
}
