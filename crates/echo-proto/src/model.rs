//! Laravel's model broadcasting (an Eloquent model using the
//! `BroadcastsEvents` trait; echo-react `useEchoModel`): the channel a model
//! broadcasts on, its event names and the payload.
//!
//! Laravel broadcasts a model's `created`, `updated`, `deleted`, `trashed`
//! and `restored` events on the private channel named after the model's
//! class with dots for backslashes plus its key (`App\Models\Booking` 42 →
//! `private-App.Models.Booking.42`), as the event `{BaseName}{Event}`
//! (`BookingUpdated`, listened as `.BookingUpdated`), with the payload
//! [`ModelPayload`]: the model's `broadcastWith` array (by default its
//! `toArray()`) under `model`, and the queue settings of the broadcast.

use std::fmt;

use serde::Deserialize;

/// A model event Laravel broadcasts (`BroadcastsEvents`: `created`,
/// `updated`, `deleted`, `trashed` for soft deletes, `restored`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModelEvent {
    /// The model was inserted.
    Created,
    /// The model was saved with changes.
    Updated,
    /// The model was deleted (force-deleted, for a soft-deleting model).
    Deleted,
    /// A soft-deleting model was deleted (`SoftDeletes`).
    Trashed,
    /// A soft-deleted model was restored.
    Restored,
}

impl ModelEvent {
    /// Every model event Laravel broadcasts, in this order.
    pub const ALL: [ModelEvent; 5] = [Self::Created, Self::Updated, Self::Deleted, Self::Trashed, Self::Restored];

    /// The suffix of the event name: `"Created"` …
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "Created",
            Self::Updated => "Updated",
            Self::Deleted => "Deleted",
            Self::Trashed => "Trashed",
            Self::Restored => "Restored",
        }
    }

    /// The event named by `wire` (as the server sends it, `BookingUpdated`,
    /// with or without the leading `.`) for the model `model`, if any.
    pub fn of_event_name(model: &str, wire: &str) -> Option<ModelEvent> {
        let rest = wire.strip_prefix('.').unwrap_or(wire).strip_prefix(model_base_name(model))?;
        Self::ALL.into_iter().find(|event| event.as_str() == rest)
    }
}

impl fmt::Display for ModelEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The model's class name with dots: `App\Models\Booking` and
/// `App.Models.Booking` both give `App.Models.Booking`.
fn dotted(model: &str) -> String {
    model.trim_matches(['\\', '.']).replace('\\', ".")
}

/// The class base name: `Booking` for `App.Models.Booking` or
/// `App\Models\Booking` (Laravel's `class_basename`).
pub fn model_base_name(model: &str) -> &str {
    let model = model.trim_end_matches(['\\', '.']);
    model.rsplit(['.', '\\']).next().unwrap_or(model)
}

/// The channel a model broadcasts on, without the `private-` prefix
/// (Laravel's `broadcastChannel()`): `model_channel_name("App.Models.Booking", 42)`
/// is `App.Models.Booking.42`; a backslashed class name works too.
pub fn model_channel_name(model: &str, id: impl fmt::Display) -> String {
    format!("{}.{id}", dotted(model))
}

/// The Echo event name of `event` on `model`, with the leading dot that
/// makes Echo use it verbatim: `.BookingUpdated` (Laravel's default
/// `broadcastAs`: the class base name and the event).
pub fn model_event_name(model: &str, event: ModelEvent) -> String {
    format!(".{}{}", model_base_name(model), event.as_str())
}

/// The data of a model broadcast (echo-react `ModelPayload<T>`; Laravel's
/// `BroadcastableModelEventOccurred` serialized): `model` is the model as
/// the app's own serde type `T` (what the model's `broadcastWith` returns,
/// by default every attribute), with the queue settings the event was
/// broadcast with.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ModelPayload<T> {
    /// The model's broadcast data.
    pub model: T,
    /// The queue connection the broadcast ran on, if one was set.
    #[serde(default)]
    pub connection: Option<String>,
    /// The queue the broadcast ran on, if one was set.
    #[serde(default)]
    pub queue: Option<String>,
    /// Whether the broadcast waited for the database transaction to commit.
    #[serde(default, rename = "afterCommit")]
    pub after_commit: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_laravels_model_broadcasting() {
        for model in ["App.Models.Booking", "App\\Models\\Booking", "\\App\\Models\\Booking"] {
            assert_eq!(model_channel_name(model, 42), "App.Models.Booking.42");
            assert_eq!(model_event_name(model, ModelEvent::Updated), ".BookingUpdated");
        }
        assert_eq!(model_channel_name("Booking", "9f1c"), "Booking.9f1c");
        assert_eq!(model_event_name("Booking", ModelEvent::Trashed), ".BookingTrashed");
        assert_eq!(
            ModelEvent::of_event_name("App.Models.Booking", "BookingRestored"),
            Some(ModelEvent::Restored)
        );
        assert_eq!(
            ModelEvent::of_event_name("App.Models.Booking", ".BookingCreated"),
            Some(ModelEvent::Created)
        );
        assert_eq!(ModelEvent::of_event_name("App.Models.Booking", ".RoomCreated"), None);
        assert_eq!(ModelEvent::of_event_name("App.Models.Booking", ".BookingSaved"), None);
    }

    #[test]
    fn the_payload_reads_laravels_fields() {
        #[derive(Debug, Deserialize, PartialEq)]
        struct Booking {
            id: u64,
            status: String,
        }
        let payload: ModelPayload<Booking> = serde_json::from_str(
            r#"{"model":{"id":42,"status":"confirmed","extra":1},"connection":"redis","queue":null,"afterCommit":true}"#,
        )
        .unwrap();
        assert_eq!(
            payload.model,
            Booking {
                id: 42,
                status: "confirmed".into()
            }
        );
        assert_eq!(payload.connection.as_deref(), Some("redis"));
        assert_eq!(payload.queue, None);
        assert!(payload.after_commit);
        // Older payloads without the queue settings still read.
        let bare: ModelPayload<Booking> = serde_json::from_str(r#"{"model":{"id":1,"status":"pending"}}"#).unwrap();
        assert!(!bare.after_commit);
    }
}
