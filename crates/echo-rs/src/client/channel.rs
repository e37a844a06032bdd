//! A channel handle: Laravel Echo's `PusherChannel` / `PusherPrivateChannel`
//! methods.

use std::rc::Rc;

use serde_json::Value;

use super::{Echo, ListenerHandle, ListenerKind};
use crate::listeners::ALL_EVENTS;
use echo_proto::{channel, format_event_name, unformat_event_name, EchoError, EventData};

/// The event Laravel broadcasts notifications as
/// (`Illuminate\Notifications\Events\BroadcastNotificationCreated`).
pub const NOTIFICATION_EVENT: &str = ".Illuminate\\Notifications\\Events\\BroadcastNotificationCreated";

/// Which subscription success a [`Channel::subscribed`] listener hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subscription {
    /// The channel's first subscription on this client (or the first since
    /// it was left and subscribed again).
    First,
    /// The channel was subscribed on an earlier connection, which was lost:
    /// events broadcast in between were not received (Pusher-protocol
    /// servers replay nothing), so data shown from them may be stale.
    Resubscription,
}

impl Subscription {
    /// `true` for [`Subscription::Resubscription`]: refetch what the channel's
    /// events keep up to date.
    pub fn is_resubscription(self) -> bool {
        self == Self::Resubscription
    }
}

/// A channel handle (Laravel Echo `PusherChannel`). Cheap to clone; listeners
/// stay registered until removed or the channel is left, across reconnects.
#[derive(Clone, Debug)]
pub struct Channel {
    pub(crate) echo: Echo,
    pub(crate) name: String,
}

impl Channel {
    /// The full channel name, prefix included.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The client this channel belongs to.
    pub fn echo(&self) -> &Echo {
        &self.echo
    }

    /// Whether the channel is subscribed on the current connection.
    pub fn is_subscribed(&self) -> bool {
        self.echo.shared.borrow().conn.is_subscribed(&self.name)
    }

    /// Adds a listener for the wire event name `wire_event` that gets the
    /// event's data undecoded ([`EventData`] parses on first use).
    pub(crate) fn add(&self, wire_event: &str, callback: impl Fn(&str, &EventData) + 'static) -> ListenerHandle {
        let id = self.echo.shared.borrow_mut().events.add(&self.name, wire_event, Rc::new(callback));
        ListenerHandle {
            id,
            kind: ListenerKind::Event,
        }
    }

    fn wire_name(&self, event: &str) -> String {
        format_event_name(self.echo.shared.borrow().conn.options().namespace.as_deref(), event)
    }

    /// Listens for `event`, formatted by Echo's rules (a leading `.` means
    /// verbatim, otherwise the namespace is prefixed). The callback gets the
    /// decoded `data`: JSON as a [`Value`], a non-JSON string as
    /// [`Value::String`] (Echo `listen`). The `Value` is built once per event
    /// and shared by its listeners; a listener that reads a few fields is
    /// faster as [`listen_typed`](Self::listen_typed) (only the named fields
    /// are decoded) or [`listen_data`](Self::listen_data).
    pub fn listen(&self, event: &str, callback: impl Fn(&Value) + 'static) -> ListenerHandle {
        self.add(&self.wire_name(event), move |_, data| callback(data))
    }

    /// Like [`listen`](Self::listen), with the data undecoded: an
    /// [`EventData`] parses the payload only if the callback reads it (and
    /// once for all listeners of the event). For listeners that only need to
    /// know an event happened, such as a query invalidation, and for reading
    /// the payload into a type of your own with [`EventData::decode`], whose
    /// errors are the callback's to handle (unlike
    /// [`listen_typed`](Self::listen_typed), nothing reports them to the
    /// `error` callbacks).
    ///
    /// ```
    /// # let fake = echo_rs::testing::FakeEcho::with_options(echo_rs::EchoOptions::reverb("key", "localhost", 6001, "http")).unwrap();
    /// # let echo = fake.echo();
    /// echo.channel("rooms").listen_data(".RoomsUpdated", |data| {
    ///     // Nothing here reads `data`: it is never parsed.
    ///     println!("rooms changed; refetch");
    /// });
    /// ```
    pub fn listen_data(&self, event: &str, callback: impl Fn(&EventData) + 'static) -> ListenerHandle {
        self.add(&self.wire_name(event), move |_, data| callback(data))
    }

    /// Listens for every event of this channel except `pusher:*` ones; the
    /// callback gets the event name the way `listen` takes it (namespace
    /// stripped, or a leading `.`) and the data (Echo `listenToAll`).
    pub fn listen_to_all(&self, callback: impl Fn(&str, &Value) + 'static) -> ListenerHandle {
        let namespace = self.echo.shared.borrow().conn.options().namespace.clone();
        self.add(ALL_EVENTS, move |event, data| {
            if !echo_proto::is_protocol_event(event) {
                callback(&unformat_event_name(namespace.as_deref(), event), data);
            }
        })
    }

    /// Removes exactly the listener behind `handle` if it listens on this
    /// channel (Echo `stopListening`); returns whether it did. A handle of
    /// another channel or another client removes nothing.
    pub fn stop_listening(&self, handle: ListenerHandle) -> bool {
        self.echo.remove_listener(handle, Some(&self.name))
    }

    /// Removes every listener of `event` on this channel (Echo
    /// `stopListening(event)` without a callback).
    pub fn stop_listening_event(&self, event: &str) {
        let wire = self.wire_name(event);
        let mut shared = self.echo.shared.borrow_mut();
        shared.events.remove_event(&self.name, &wire);
        shared.metadata.remove_event(&self.name, &wire);
    }

    /// Calls `callback` after every successful subscription, including each
    /// one after a reconnect (Echo `subscribed`), telling which it is: the
    /// [`Subscription::First`], or a [`Subscription::Resubscription`] after
    /// a connection loss, when events may have been missed (Echo's callback
    /// cannot tell them apart).
    ///
    /// ```
    /// # let fake = echo_rs::testing::FakeEcho::new("app-key").unwrap();
    /// # let channel = fake.echo().channel("rooms");
    /// channel.subscribed(|subscription| {
    ///     if subscription.is_resubscription() {
    ///         // refetch what this channel's events keep up to date
    ///     }
    /// });
    /// ```
    pub fn subscribed(&self, callback: impl Fn(Subscription) + 'static) -> ListenerHandle {
        let id = self
            .echo
            .shared
            .borrow_mut()
            .subscribed
            .add(&self.name, ALL_EVENTS, Rc::new(callback));
        ListenerHandle {
            id,
            kind: ListenerKind::Subscribed,
        }
    }

    /// Calls `callback` with this channel's errors (Echo `error`): its
    /// subscription failed ([`EchoError::Auth`], [`EchoError::SubscriptionRefused`]
    /// for a bad signature or a `pusher:subscription_error`,
    /// [`EchoError::SubscriptionTimeout`]), an event did not decrypt
    /// ([`EchoError::Decrypt`], encrypted channels) or did not decode into a
    /// typed listener's type ([`EchoError::Decode`]). `Echo::on_error`
    /// listeners get them too, after these.
    pub fn error(&self, callback: impl Fn(&EchoError) + 'static) -> ListenerHandle {
        let id = self.echo.shared.borrow_mut().errors.add(&self.name, ALL_EVENTS, Rc::new(callback));
        ListenerHandle {
            id,
            kind: ListenerKind::Error,
        }
    }

    /// Listens for Laravel notifications broadcast to this channel (Echo
    /// `notification`); the callback gets the notification's data (its
    /// fields, plus `id` and `type`, the notification's class name with
    /// backslashes).
    pub fn notification(&self, callback: impl Fn(&Value) + 'static) -> ListenerHandle {
        self.listen(NOTIFICATION_EVENT, callback)
    }

    /// Removes the notification listener behind `handle` (Echo
    /// `stopListeningForNotification(callback)`, which takes the callback
    /// where echo-rs takes the handle [`notification`](Self::notification)
    /// returned); returns whether it removed one. A handle of another kind
    /// of listener, or of another channel, removes nothing. Other
    /// notification listeners keep listening.
    pub fn stop_listening_for_notification(&self, handle: ListenerHandle) -> bool {
        let wire = self.wire_name(NOTIFICATION_EVENT);
        let is_notification =
            handle.kind == ListenerKind::Event && self.echo.shared.borrow().events.listens_for(&self.name, &wire, handle.id);
        is_notification && self.stop_listening(handle)
    }

    /// Sends the client event `client-{event}` to the other members of this
    /// channel (Echo `whisper`); `event` may carry the `client-` prefix.
    ///
    /// # Errors
    /// [`EchoError::ClientEvent`], nothing sent or queued
    /// ([`Connection::send_client_event`](crate::proto::Connection::send_client_event)),
    /// with its [`ClientEventRefusal`](crate::ClientEventRefusal) cause:
    /// `ChannelKind` on public and encrypted channels (the protocol allows
    /// client events on private and presence channels only), `NotSubscribed`
    /// while the channel is not subscribed, `TooLarge` for a frame over
    /// `EchoOptions::client_event_max_bytes` (10,000 bytes), `RateLimited`
    /// past `EchoOptions::client_events_per_second` (10) in one second.
    pub fn whisper(&self, event: &str, data: &Value) -> Result<(), EchoError> {
        self.echo
            .with_conn(|conn, now| conn.send_client_event(&self.name, event, data, now))
    }

    /// Listens for whispers `client-{event}` (Echo `listenForWhisper`).
    pub fn listen_for_whisper(&self, event: &str, callback: impl Fn(&Value) + 'static) -> ListenerHandle {
        self.listen(&format!(".{}", channel::client_event_name(event)), callback)
    }

    /// Removes every whisper listener for `event` (Echo
    /// `stopListeningForWhisper`); use [`stop_listening`](Self::stop_listening)
    /// with a handle to remove one.
    pub fn stop_listening_for_whisper(&self, event: &str) {
        self.stop_listening_event(&format!(".{}", channel::client_event_name(event)));
    }

    /// Calls `callback` when the server has no cached event for this cache
    /// channel (`cache-*`, `private-cache-*`, `presence-cache-*`): it sends
    /// `pusher:cache_miss` right after `subscription_succeeded` instead of
    /// replaying the last event. Same as `listen(".pusher:cache_miss", ..)`.
    pub fn listen_for_cache_miss(&self, callback: impl Fn() + 'static) -> ListenerHandle {
        self.add("pusher:cache_miss", move |_, _| callback())
    }

    /// Leaves this channel (Echo `leaveChannel`).
    pub fn leave(&self) {
        self.echo.leave_channel(&self.name);
    }
}
