//! The channel names, event names and query keys of the demo, in one place
//! for both apps (the seed's convention), and the global subscriber's table:
//! which public event invalidates which query-key prefix.

use echo_rs::hooks::GlobalSubscription;

/// Channel names: the same strings the backend broadcasts on.
pub mod channels {
    /// Room changes (public).
    pub const ROOMS: &str = "rooms";
    /// Venue changes (public).
    pub const VENUES: &str = "venues";
    /// Gallery changes (public).
    pub const GALLERY: &str = "gallery";
    /// Review changes (public).
    pub const REVIEWS: &str = "reviews";
    /// Blocked-date changes (public).
    pub const BLOCKED_DATES: &str = "blocked-dates";
    /// Admin notifications (private: `private-admin.dashboard`).
    pub const ADMIN_DASHBOARD: &str = "admin.dashboard";

    /// One booking's status (public): `booking.{reference}`.
    pub fn booking(reference: &str) -> String {
        format!("booking.{reference}")
    }
}

/// Event names: the backend's class short names, listened with a leading dot.
pub mod events {
    pub const ROOMS_UPDATED: &str = ".RoomsUpdated";
    pub const VENUES_UPDATED: &str = ".VenuesUpdated";
    pub const GALLERY_UPDATED: &str = ".GalleryUpdated";
    pub const REVIEWS_UPDATED: &str = ".ReviewsUpdated";
    pub const BLOCKED_DATES_UPDATED: &str = ".BlockedDatesUpdated";
    pub const BOOKING_STATUS_UPDATED: &str = ".BookingStatusUpdated";
    pub const ADMIN_DASHBOARD_NOTIFICATION: &str = ".AdminDashboardNotification";
    pub const CONTACT_FORM_SUBMITTED: &str = ".ContactFormSubmitted";
}

/// Laravel model broadcasting (`BroadcastsEvents`, echo-leptos
/// `use_echo_model`): each model broadcasts on its own private channel
/// `private-{Class}.{id}` (the class with dots), as `.{BaseName}{Event}`,
/// with the payload `{"model": {...}, "connection", "queue", "afterCommit"}`.
pub mod models {
    use echo_rs::ModelEvent;
    use serde::Deserialize;

    /// Bookings, `App\Models\Booking`: `private-App.Models.Booking.{id}`,
    /// authorized for admin and staff only.
    pub const BOOKING: &str = "App.Models.Booking";

    /// What a booking's admin page listens for: `.BookingUpdated` (its
    /// status changed). The API also sends `.BookingCreated` there, before
    /// anyone can have the booking open.
    pub const BOOKING_PAGE_EVENTS: [ModelEvent; 1] = [ModelEvent::Updated];

    /// A booking as its model events carry it (the payload's `model`).
    #[derive(Debug, Clone, PartialEq, Deserialize)]
    pub struct BookingModel {
        pub id: i64,
        pub reference: String,
        pub status: String,
        /// When it changed, RFC 3339 UTC.
        pub updated_at: String,
    }
}

/// Query-key prefixes: every query of a resource starts with its `*_ALL` key.
pub mod keys {
    pub use super::path;

    pub const ROOMS_ALL: &[&str] = &["rooms"];
    pub const VENUES_ALL: &[&str] = &["venues"];
    pub const GALLERY_ALL: &[&str] = &["gallery"];
    pub const REVIEWS_ALL: &[&str] = &["reviews"];
    pub const BLOCKED_DATES_ALL: &[&str] = &["blocked-dates"];
    pub const ADMIN_ALL: &[&str] = &["admin"];
    pub const BOOKINGS_ALL: &[&str] = &["bookings"];
    /// The admin's booking list.
    pub const ADMIN_BOOKINGS: &[&str] = &["admin", "bookings"];

    /// One booking's receipt: `["bookings", reference]`.
    pub fn booking(reference: &str) -> Vec<String> {
        vec!["bookings".into(), reference.into()]
    }

    /// The home page's rooms: `["rooms", "home"]`.
    pub fn home_rooms() -> Vec<String> {
        super::path(&["rooms", "home"])
    }

    /// The signed-in user: `["me"]`.
    pub fn me() -> Vec<String> {
        super::path(&["me"])
    }
}

/// A key or prefix as the query caches take it (echo-leptos's
/// `RealtimeQueries`, echo-yew's `use_query` and `invalidate_prefix`).
pub fn path(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|p| p.to_string()).collect()
}

/// Which public event invalidates which query-key prefix (the table
/// [`use_realtime_global_subscriber`](echo_leptos::use_realtime_global_subscriber) mounts in `app.rs`).
pub fn global_subscriptions() -> Vec<GlobalSubscription> {
    vec![
        GlobalSubscription::new(channels::ROOMS, events::ROOMS_UPDATED, keys::ROOMS_ALL),
        GlobalSubscription::new(channels::VENUES, events::VENUES_UPDATED, keys::VENUES_ALL),
        // Receipts and the admin's booking list show room and venue names.
        GlobalSubscription::new(channels::ROOMS, events::ROOMS_UPDATED, keys::BOOKINGS_ALL),
        GlobalSubscription::new(channels::VENUES, events::VENUES_UPDATED, keys::BOOKINGS_ALL),
        GlobalSubscription::new(channels::ROOMS, events::ROOMS_UPDATED, keys::ADMIN_BOOKINGS),
        GlobalSubscription::new(channels::VENUES, events::VENUES_UPDATED, keys::ADMIN_BOOKINGS),
        GlobalSubscription::new(channels::GALLERY, events::GALLERY_UPDATED, keys::GALLERY_ALL),
        GlobalSubscription::new(channels::REVIEWS, events::REVIEWS_UPDATED, keys::REVIEWS_ALL),
        GlobalSubscription::new(channels::REVIEWS, events::REVIEWS_UPDATED, &["admin", "reviews"]),
        GlobalSubscription::new(channels::BLOCKED_DATES, events::BLOCKED_DATES_UPDATED, keys::BLOCKED_DATES_ALL),
    ]
}

/// The line the staff dashboard shows for a private `admin.dashboard`
/// event (`.ContactFormSubmitted` or `.AdminDashboardNotification`), from
/// its small payload; rendered as text by both apps.
pub fn describe_dashboard_event(event: &str, data: &serde_json::Value) -> String {
    let text = |key: &str| data.get(key).and_then(serde_json::Value::as_str).unwrap_or("").to_owned();
    match event {
        events::CONTACT_FORM_SUBMITTED => format!("New contact message: “{}”", text("subject")),
        _ => match text("kind").as_str() {
            "booking_created" => format!("New booking {}", text("booking_reference")),
            "" => "Dashboard notification".to_owned(),
            other => format!("{} {}", other.replace('_', " "), text("booking_reference"))
                .trim()
                .to_owned(),
        },
    }
}
