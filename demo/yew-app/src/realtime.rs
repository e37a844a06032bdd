//! Channel names, event names and query keys in one place (the Yew
//! counterpart of `demo/app/src/realtime.rs`), and the global subscriber's
//! table: which public event invalidates which query-key prefix.

use echo_yew::GlobalSubscription;

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
    pub const BOOKING_STATUS_UPDATED: &str = ".BookingStatusUpdated";
    pub const ADMIN_DASHBOARD_NOTIFICATION: &str = ".AdminDashboardNotification";
    pub const CONTACT_FORM_SUBMITTED: &str = ".ContactFormSubmitted";
}

/// Query keys: every query of a resource starts with its `*_ALL` prefix.
pub mod keys {
    pub const ROOMS_ALL: &[&str] = &["rooms"];
    pub const VENUES_ALL: &[&str] = &["venues"];
    pub const GALLERY_ALL: &[&str] = &["gallery"];
    pub const REVIEWS_ALL: &[&str] = &["reviews"];
    pub const BOOKINGS_ALL: &[&str] = &["bookings"];

    /// A key or prefix as `use_query` and `invalidate_prefix` take it.
    pub fn path(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|p| p.to_string()).collect()
    }

    /// The home page's rooms: `["rooms", "home"]`.
    pub fn home_rooms() -> Vec<String> {
        path(&["rooms", "home"])
    }

    /// One booking's receipt: `["bookings", reference]`.
    pub fn booking(reference: &str) -> Vec<String> {
        vec!["bookings".into(), reference.into()]
    }

    /// The signed-in user: `["me"]`.
    pub fn me() -> Vec<String> {
        path(&["me"])
    }
}

/// The table `use_realtime_global_subscriber` mounts in `app.rs`.
pub fn global_subscriptions() -> Vec<GlobalSubscription> {
    vec![
        GlobalSubscription::new(channels::ROOMS, events::ROOMS_UPDATED, keys::ROOMS_ALL),
        GlobalSubscription::new(channels::VENUES, events::VENUES_UPDATED, keys::VENUES_ALL),
        // Receipts show room and venue names.
        GlobalSubscription::new(channels::ROOMS, events::ROOMS_UPDATED, keys::BOOKINGS_ALL),
        GlobalSubscription::new(channels::VENUES, events::VENUES_UPDATED, keys::BOOKINGS_ALL),
        GlobalSubscription::new(channels::GALLERY, events::GALLERY_UPDATED, keys::GALLERY_ALL),
        GlobalSubscription::new(channels::REVIEWS, events::REVIEWS_UPDATED, keys::REVIEWS_ALL),
    ]
}
