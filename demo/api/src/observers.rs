//! The one place that turns data changes into broadcasts, like the Laravel
//! app's model observers: every write path reports what it changed as a
//! [`Change`], which maps to one or more events, each an event name, its
//! channel and a small, stable payload (ids and timestamps, never whole
//! records), queued on the [`Broadcaster`] in order. Changes are reported
//! only after their transaction committed, so nothing is announced that did
//! not happen.
//!
//! Bookings also broadcast as Laravel's model broadcasting does for a model
//! using `BroadcastsEvents`: `BookingCreated` / `BookingUpdated` on the
//! private [`model`](channels::model) channel `App.Models.Booking.{id}`, with
//! the payload of `BroadcastableModelEventOccurred`, `{"model", "connection",
//! "queue", "afterCommit"}`. Its `model` is kept to [`BookingSnapshot`]'s
//! fields: in the Laravel app, the model's array limited to them (`$visible`
//! or `toArray()`). (A `broadcastWith()` override on the model would instead
//! replace the whole payload, dropping the `model` wrapper.) These come after
//! the booking's older events (`AdminDashboardNotification`,
//! `BookingStatusUpdated`), which are unchanged.

use serde_json::{json, Value};

use crate::{
    bookings::{Booking, Status},
    broadcast::{BroadcastEvent, Broadcaster},
    events::{channels, names},
};

/// A booking as its broadcasts describe it, after the change: the `model`
/// of its model events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookingSnapshot {
    /// Primary key: the key in its channel name.
    pub id: i64,
    /// The guest-facing reference.
    pub reference: String,
    /// Its status.
    pub status: Status,
    /// When the row last changed, RFC 3339 UTC.
    pub updated_at: String,
}

impl From<&Booking> for BookingSnapshot {
    fn from(booking: &Booking) -> Self {
        Self {
            id: booking.id,
            reference: booking.reference.clone(),
            status: booking.status,
            updated_at: booking.updated_at.clone(),
        }
    }
}

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
        /// The new booking.
        booking: BookingSnapshot,
        /// When.
        created_at: String,
    },
    /// The admin side changed a booking's status.
    BookingStatus {
        /// The booking, with its new status and `updated_at`.
        booking: BookingSnapshot,
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

/// A booking's model event `name` (`BookingCreated`, `BookingUpdated`) on
/// `private-App.Models.Booking.{id}`, shaped as Laravel serializes
/// `BroadcastableModelEventOccurred` (this app queues no broadcast on a
/// named connection or queue, and reports changes after commit itself).
fn booking_model_event(name: &str, booking: &BookingSnapshot) -> BroadcastEvent {
    event(
        channels::private(&channels::model(channels::BOOKING_MODEL, booking.id)),
        name,
        json!({
            "model": {
                "id": booking.id,
                "reference": booking.reference,
                "status": booking.status,
                "updated_at": booking.updated_at,
            },
            "connection": null,
            "queue": null,
            "afterCommit": false,
        }),
    )
}

impl Change {
    /// The broadcasts this change causes, in the order they are queued.
    pub fn to_events(&self) -> Vec<BroadcastEvent> {
        match self {
            Self::Rooms { ids, updated_at } => vec![event(
                channels::ROOMS.into(),
                names::ROOMS_UPDATED,
                json!({ "room_ids": ids, "updated_at": updated_at }),
            )],
            Self::Venues { ids, updated_at } => vec![event(
                channels::VENUES.into(),
                names::VENUES_UPDATED,
                json!({ "venue_ids": ids, "updated_at": updated_at }),
            )],
            Self::Gallery { ids, updated_at } => vec![event(
                channels::GALLERY.into(),
                names::GALLERY_UPDATED,
                json!({ "gallery_item_ids": ids, "updated_at": updated_at }),
            )],
            Self::Reviews { ids, updated_at } => vec![event(
                channels::REVIEWS.into(),
                names::REVIEWS_UPDATED,
                json!({ "review_ids": ids, "updated_at": updated_at }),
            )],
            Self::BlockedDates { updated_at } => vec![event(
                channels::BLOCKED_DATES.into(),
                names::BLOCKED_DATES_UPDATED,
                json!({ "updated_at": updated_at }),
            )],
            Self::BookingCreated { booking, created_at } => vec![
                event(
                    channels::private(channels::ADMIN_DASHBOARD),
                    names::ADMIN_DASHBOARD_NOTIFICATION,
                    json!({ "kind": "booking_created", "booking_reference": booking.reference, "created_at": created_at }),
                ),
                booking_model_event(names::BOOKING_CREATED, booking),
            ],
            Self::BookingStatus { booking } => vec![
                event(
                    channels::booking(&booking.reference),
                    names::BOOKING_STATUS_UPDATED,
                    json!({ "reference": booking.reference, "status": booking.status, "updated_at": booking.updated_at }),
                ),
                booking_model_event(names::BOOKING_UPDATED, booking),
            ],
            Self::ReviewSubmitted { id, created_at } => vec![event(
                channels::private(channels::ADMIN_DASHBOARD),
                names::ADMIN_DASHBOARD_NOTIFICATION,
                json!({ "kind": "review_submitted", "review_id": id, "created_at": created_at }),
            )],
            Self::ContactSubmitted { id, subject, created_at } => vec![event(
                channels::private(channels::ADMIN_DASHBOARD),
                names::CONTACT_FORM_SUBMITTED,
                json!({ "id": id, "subject": subject, "created_at": created_at }),
            )],
        }
    }
}

/// Queues the broadcasts for `change`, in order; never fails the request.
pub fn record(broadcaster: &Broadcaster, change: Change) {
    for event in change.to_events() {
        broadcaster.dispatch(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: &str = "2026-01-31T09:15:00Z";

    /// The events of `change`, which must be exactly `N`.
    fn events<const N: usize>(change: Change) -> [BroadcastEvent; N] {
        change.to_events().try_into().unwrap()
    }

    fn booking(status: Status) -> BookingSnapshot {
        BookingSnapshot {
            id: 42,
            reference: "CMR-7K3Q9".into(),
            status,
            updated_at: AT.into(),
        }
    }

    #[test]
    fn rooms_updated_goes_to_the_rooms_channel() {
        let [event] = events(Change::Rooms {
            ids: vec![2],
            updated_at: AT.into(),
        });
        assert_eq!(
            (event.channels.as_slice(), event.name.as_str()),
            (&["rooms".to_owned()][..], "RoomsUpdated")
        );
        assert_eq!(event.payload.to_string(), r#"{"room_ids":[2],"updated_at":"2026-01-31T09:15:00Z"}"#);
    }

    #[test]
    fn a_status_change_goes_to_the_reference_channel_then_the_private_model_channel() {
        let [status, model] = events(Change::BookingStatus {
            booking: booking(Status::Confirmed),
        });
        assert_eq!(status.channels, ["booking.CMR-7K3Q9"]);
        assert_eq!(status.name, "BookingStatusUpdated");
        assert_eq!(
            status.payload,
            json!({ "reference": "CMR-7K3Q9", "status": "confirmed", "updated_at": AT })
        );

        assert_eq!(model.channels, ["private-App.Models.Booking.42"]);
        assert_eq!(model.name, "BookingUpdated");
        assert_eq!(
            model.payload,
            json!({
                "model": { "id": 42, "reference": "CMR-7K3Q9", "status": "confirmed", "updated_at": AT },
                "connection": null,
                "queue": null,
                "afterCommit": false,
            })
        );
    }

    #[test]
    fn a_new_booking_goes_to_the_private_dashboard_then_the_private_model_channel() {
        let [dashboard, model] = events(Change::BookingCreated {
            booking: booking(Status::Pending),
            created_at: AT.into(),
        });
        assert_eq!(dashboard.channels, ["private-admin.dashboard"]);
        assert_eq!(dashboard.name, "AdminDashboardNotification");
        assert_eq!(
            dashboard.payload,
            json!({ "kind": "booking_created", "booking_reference": "CMR-7K3Q9", "created_at": AT })
        );

        assert_eq!(model.channels, ["private-App.Models.Booking.42"]);
        assert_eq!(model.name, "BookingCreated");
        assert_eq!(
            model.payload,
            json!({
                "model": { "id": 42, "reference": "CMR-7K3Q9", "status": "pending", "updated_at": AT },
                "connection": null,
                "queue": null,
                "afterCommit": false,
            })
        );
    }

    #[test]
    fn other_changes_cause_one_event_each() {
        let changes = [
            Change::Venues {
                ids: vec![1],
                updated_at: AT.into(),
            },
            Change::Gallery {
                ids: vec![1],
                updated_at: AT.into(),
            },
            Change::Reviews {
                ids: vec![1],
                updated_at: AT.into(),
            },
            Change::BlockedDates { updated_at: AT.into() },
            Change::ReviewSubmitted {
                id: 1,
                created_at: AT.into(),
            },
            Change::ContactSubmitted {
                id: 1,
                subject: "Hi".into(),
                created_at: AT.into(),
            },
        ];
        for change in changes {
            assert_eq!(change.to_events().len(), 1, "{change:?}");
        }
    }
}
