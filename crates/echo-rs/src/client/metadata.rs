//! Listeners that also get an event's metadata: pusher-js passes
//! `(data, metadata)` to every binding (`channels/presence_channel.ts`
//! `handleEvent`), where `metadata.user_id` names the sender of a client
//! event (whisper) on a presence channel. Echo's `listen` callbacks receive it
//! as their second argument.

use std::rc::Rc;

use serde_json::Value;

use super::{Channel, ListenerHandle, ListenerKind};
use echo_proto::{user_id_string, EventData, Frame};

/// What pusher-js passes next to an event's data (its `Metadata`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EventMetadata {
    /// The sender's user id on presence-channel client events (the frame's
    /// `user_id`, normalised to a string); `None` on other events.
    pub user_id: Option<String>,
}

impl EventMetadata {
    pub(crate) fn of(frame: &Frame) -> Self {
        Self {
            user_id: frame.user_id.as_ref().and_then(user_id_string),
        }
    }
}

impl Channel {
    /// Like [`listen`](Self::listen), with the event's [`EventMetadata`] as
    /// well: on a presence channel, `listen_with_metadata(".client-typing", ..)`
    /// tells who whispered (Echo `listen` / `listenForWhisper` callbacks'
    /// second argument).
    pub fn listen_with_metadata(&self, event: &str, callback: impl Fn(&Value, &EventMetadata) + 'static) -> ListenerHandle {
        let wire = echo_proto::format_event_name(self.echo.shared.borrow().conn.options().namespace.as_deref(), event);
        let callback = move |data: &EventData, metadata: &EventMetadata| callback(data, metadata);
        let id = self.echo.shared.borrow_mut().metadata.add(&self.name, &wire, Rc::new(callback));
        ListenerHandle {
            id,
            kind: ListenerKind::Metadata,
        }
    }
}
