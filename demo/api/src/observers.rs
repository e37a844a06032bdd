//! The one place that turns data changes into broadcasts, like the Laravel
//! app's model observers: every write path reports what it changed as a
//! [`Change`], which maps to an event name, its channel and a small, stable
//! payload (ids and timestamps, never whole records), and is queued on the
//! [`Broadcaster`]. Changes are reported only after their transaction
//! committed, so nothing is announced that did not happen.

use serde_json::{json, Value};

use crate::{
    bookings::Status,
    broadcast::{BroadcastEvent, Broadcaster},
    events::{channels, names},
};

/// Something that changed, with what clients need to react to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Rooms were edited.
    Rooms {
        /// The rooms that changed.
        ids: Vec<i64>,
        /// When.
        updated_at: String,
    },
    /// Venues were edited.
    Venues {
        /// The venues that changed.
        ids: Vec<i64>,
        /// When.
        updated_at: String,
    },
    /// Gallery items were added, edited or removed.
    Gallery {
        /// The items concerned.
        ids: Vec<i64>,
        /// When.
        updated_at: String,
    },
    /// Reviews were approved, hidden or removed (what the public sees changed).
    Reviews {
        /// The reviews concerned.
        ids: Vec<i64>,
        /// When.
        updated_at: String,
    },
    /// A blocked range was added or removed.
    BlockedDates {
        /// When.
        updated_at: String,
    },
    /// A guest made a booking.
    BookingCreated {
        /// Its reference.
        reference: String,
        /// When.
        created_at: String,
    },
    /// The admin side changed a booking's status.
    BookingStatus {
        /// Its reference.
        reference: String,
        /// The new status.
        status: Status,
        /// When.
        updated_at: String,
    },
    /// A guest submitted a review (not yet public).
    ReviewSubmitted {
        /// The new review.
        id: i64,
        /// When.
        created_at: String,
    },
    /// A contact form message arrived.
    ContactSubmitted {
        /// The stored message.
        id: i64,
        /// Its subject line.
        subject: String,
        /// When.
        created_at: String,
    },
}

fn event(channel: String, name: &str, payload: Value) -> BroadcastEvent {
    BroadcastEvent {
        channels: vec![channel],
        name: name.to_owned(),
        payload,
    }
}

impl Change {
    /// The broadcast this change causes.
    pub fn to_event(&self) -> BroadcastEvent {
        match self {
            Self::Rooms { ids, updated_at } => event(
                channels::ROOMS.into(),
                names::ROOMS_UPDATED,
                json!({ "room_ids": ids, "updated_at": updated_at }),
            ),
            Self::Venues { ids, updated_at } => event(
                channels::VENUES.into(),
                names::VENUES_UPDATED,
                json!({ "venue_ids": ids, "updated_at": updated_at }),
            ),
            Self::Gallery { ids, updated_at } => event(
                channels::GALLERY.into(),
                names::GALLERY_UPDATED,
                json!({ "gallery_item_ids": ids, "updated_at": updated_at }),
            ),
            Self::Reviews { ids, updated_at } => event(
                channels::REVIEWS.into(),
                names::REVIEWS_UPDATED,
                json!({ "review_ids": ids, "updated_at": updated_at }),
            ),
            Self::BlockedDates { updated_at } => event(
                channels::BLOCKED_DATES.into(),
                names::BLOCKED_DATES_UPDATED,
                json!({ "updated_at": updated_at }),
            ),
            Self::BookingCreated { reference, created_at } => event(
                channels::private(channels::ADMIN_DASHBOARD),
                names::ADMIN_DASHBOARD_NOTIFICATION,
                json!({ "kind": "booking_created", "booking_reference": reference, "created_at": created_at }),
            ),
            Self::BookingStatus {
                reference,
                status,
                updated_at,
            } => event(
                channels::booking(reference),
                names::BOOKING_STATUS_UPDATED,
                json!({ "reference": reference, "status": status, "updated_at": updated_at }),
            ),
            Self::ReviewSubmitted { id, created_at } => event(
                channels::private(channels::ADMIN_DASHBOARD),
                names::ADMIN_DASHBOARD_NOTIFICATION,
                json!({ "kind": "review_submitted", "review_id": id, "created_at": created_at }),
            ),
            Self::ContactSubmitted { id, subject, created_at } => event(
                channels::private(channels::ADMIN_DASHBOARD),
                names::CONTACT_FORM_SUBMITTED,
                json!({ "id": id, "subject": subject, "created_at": created_at }),
            ),
        }
    }
}

/// Queues the broadcast for `change`; never fails the request.
pub fn record(broadcaster: &Broadcaster, change: Change) {
    broadcaster.dispatch(change.to_event());
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: &str = "2026-01-31T09:15:00Z";

    #[test]
    fn rooms_updated_goes_to_the_rooms_channel() {
        let event = Change::Rooms {
            ids: vec![2],
            updated_at: AT.into(),
        }
        .to_event();
        assert_eq!(
            (event.channels.as_slice(), event.name.as_str()),
            (&["rooms".to_owned()][..], "RoomsUpdated")
        );
        assert_eq!(event.payload.to_string(), r#"{"room_ids":[2],"updated_at":"2026-01-31T09:15:00Z"}"#);
    }

    #[test]
    fn booking_events_use_the_reference_and_the_private_dashboard() {
        let status = Change::BookingStatus {
            reference: "CMR-7K3Q9".into(),
            status: Status::Confirmed,
            updated_at: AT.into(),
        }
        .to_event();
        assert_eq!(status.channels, ["booking.CMR-7K3Q9"]);
        assert_eq!(
            status.payload,
            json!({ "reference": "CMR-7K3Q9", "status": "confirmed", "updated_at": AT })
        );

        let created = Change::BookingCreated {
            reference: "CMR-7K3Q9".into(),
            created_at: AT.into(),
        }
        .to_event();
        assert_eq!(created.channels, ["private-admin.dashboard"]);
        assert_eq!(created.name, "AdminDashboardNotification");
        assert_eq!(created.payload["kind"], "booking_created");
    }
}
