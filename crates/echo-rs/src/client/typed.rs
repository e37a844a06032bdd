//! Typed events: an event's data decoded into the application's own type,
//! with decoding failures reported rather than dropped.

use std::rc::Rc;

use serde::de::DeserializeOwned;

use super::{Channel, Echo, ListenerHandle};
use echo_proto::{format_event_name, model_channel_name, model_event_name, EchoError, ModelEvent, ModelPayload};

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
        self.listen_decoded(E::NAME, callback)
    }

    /// [`listen_typed`](Self::listen_typed) for an event name known at run
    /// time: listens for `event` (Echo's naming rules) and calls `callback`
    /// with the data decoded into `T`, reporting data that does not decode
    /// as [`EchoError::Decode`] on the channel's `error` listeners.
    pub fn listen_decoded<T: DeserializeOwned + 'static>(&self, event: &str, callback: impl Fn(T) + 'static) -> ListenerHandle {
        let weak = Rc::downgrade(&self.echo.shared);
        let channel = self.name.clone();
        let wire = format_event_name(self.echo.shared.borrow().conn.options().namespace.as_deref(), event);
        // Decoded straight from the received text: the fields `T` does not
        // name are skipped, not built into a `Value`.
        let event = wire.clone();
        self.add(&wire, move |_, data| match data.decode::<T>() {
            Ok(value) => callback(value),
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

    /// Listens for the model broadcasting event `event` of `model` (Laravel's
    /// `BroadcastsEvents`; echo-react `useEchoModel`): `.{BaseName}{Event}`,
    /// e.g. `.BookingUpdated` for `App.Models.Booking`, with its data decoded
    /// into [`ModelPayload<T>`] (`T` is the app's type for the model). Use it
    /// on the model's private channel, [`Echo::model`]. Data that does not
    /// decode is an [`EchoError::Decode`] on the channel's `error` listeners.
    pub fn listen_model<T: DeserializeOwned + 'static>(
        &self,
        model: &str,
        event: ModelEvent,
        callback: impl Fn(ModelEvent, ModelPayload<T>) + 'static,
    ) -> ListenerHandle {
        self.listen_decoded(&model_event_name(model, event), move |payload| callback(event, payload))
    }
}

impl Echo {
    /// The private channel a model broadcasts on (Laravel's model
    /// broadcasting): `echo.model("App.Models.Booking", 42)` is
    /// `echo.private("App.Models.Booking.42")`, i.e. `private-App.Models.Booking.42`;
    /// a backslashed class name (`App\Models\Booking`) works too. Listen
    /// with [`Channel::listen_model`].
    pub fn model(&self, model: &str, id: impl std::fmt::Display) -> Channel {
        self.private(&model_channel_name(model, id))
    }
}
