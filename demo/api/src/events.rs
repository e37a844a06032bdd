//! The app's broadcast channels and events: the counterparts of Laravel's
//! `App\Broadcasting\BroadcastChannelNames` and `app/Events/*`. Clients must
//! use the same channel and event names, so keep them stable.

use serde_json::json;

use crate::broadcast::BroadcastEvent;

/// Channel names, the single source of truth on the server side.
pub mod channels {
    /// Public channel announcing changes to rooms.
    pub const ROOMS: &str = "rooms";
}

/// Rooms changed: clients refetch whatever rooms they show.
///
/// Broadcast on the public [`channels::ROOMS`] channel as `RoomsUpdated`
/// with the payload `{"room_ids": [..], "updated_at": "<RFC 3339>"}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomsUpdated {
    /// The rooms that changed.
    pub room_ids: Vec<i64>,
    /// When they changed.
    pub updated_at: String,
}

impl RoomsUpdated {
    /// The event name clients listen for (`.RoomsUpdated` in Echo).
    pub const NAME: &'static str = "RoomsUpdated";
}

impl From<RoomsUpdated> for BroadcastEvent {
    fn from(event: RoomsUpdated) -> Self {
        BroadcastEvent {
            channels: vec![channels::ROOMS.to_owned()],
            name: RoomsUpdated::NAME.to_owned(),
            payload: json!({ "room_ids": event.room_ids, "updated_at": event.updated_at }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rooms_updated_goes_to_the_rooms_channel() {
        let event = BroadcastEvent::from(RoomsUpdated {
            room_ids: vec![2],
            updated_at: "2026-01-31T09:15:00Z".into(),
        });
        assert_eq!(event.channels, ["rooms"]);
        assert_eq!(event.name, "RoomsUpdated");
        assert_eq!(event.payload.to_string(), r#"{"room_ids":[2],"updated_at":"2026-01-31T09:15:00Z"}"#);
    }
}
