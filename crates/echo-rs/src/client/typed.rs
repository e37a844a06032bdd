//! Typed events: an event's data decoded into the application's own type,
//! with decoding failures reported rather than dropped.

use std::rc::Rc;

use serde::de::DeserializeOwned;

use super::{Channel, Echo, ListenerHandle};
use echo_proto::{format_event_name, EchoError};

/// An event the backend broadcasts, with the type its data decodes into.
///
/// `NAME` is the name as [`Channel::listen`] takes it: `.RoomsUpdated` for
/// an event with `broadcastAs() = 'RoomsUpdated'`, `OrderShipped` for
/// `App\Events\OrderShipped` under the default namespace.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct RoomsUpdated {
///     room_ids: Vec<u64>,
/// }
///
/// impl echo_rs::BroadcastEvent for RoomsUpdated {
///     const NAME: &'static str = ".RoomsUpdated";
/// }
/// ```
pub trait BroadcastEvent: DeserializeOwned + 'static {
    /// The Echo-style event name (see the trait docs).
    const NAME: &'static str;
}

impl Channel {
    /// Listens for `E::NAME` and calls `callback` with the data decoded into
    /// `E` (Echo `listen`, typed). Data that does not decode is not dropped
    /// silently: [`EchoError::Decode`], with the channel, the event name as
    /// the server sent it and serde's message, goes to this channel's
    /// [`error`](Self::error) callbacks and to the connection's
    /// ([`Echo::on_error`]). Remove with [`stop_listening`](Self::stop_listening).
    pub fn listen_typed<E: BroadcastEvent>(&self, callback: impl Fn(E) + 'static) -> ListenerHandle {
        let weak = Rc::downgrade(&self.echo.shared);
        let channel = self.name.clone();
        let wire = format_event_name(self.echo.shared.borrow().conn.options().namespace.as_deref(), E::NAME);
        // Decoded straight from the received text: the fields `E` does not
        // name are skipped, not built into a `Value`.
        let event = wire.clone();
        self.add(&wire, move |_, data| match data.decode::<E>() {
            Ok(event) => callback(event),
            Err(error) => {
                if let Some(echo) = Echo::upgrade(&weak) {
                    let error = EchoError::Decode {
                        channel: channel.clone(),
                        event: event.clone(),
                        reason: error.to_string(),
                    };
                    echo.report_error(&channel, &error);
                }
            }
        })
    }
}
