use echo_rs::{EchoError, Value};
use leptos::prelude::*;

use crate::subscription::{full_name, use_channel_listeners};

/// Options for [`use_realtime_channel_with_options`].
#[derive(Clone, Copy)]
pub struct UseRealtimeChannelOptions {
    /// Subscribe only while this is `true`. Default: always `true`.
    pub enabled: Signal<bool>,
    /// Subscribe `private-{channel}`. Default `false`.
    pub private: bool,
}

impl Default for UseRealtimeChannelOptions {
    fn default() -> Self {
        Self {
            enabled: Signal::stored(true),
            private: false,
        }
    }
}

/// What [`use_realtime_channel`] returns.
#[derive(Clone, Copy)]
pub struct UseRealtimeChannelReturn {
    /// `true` once subscribed on the current connection; back to `false` when
    /// the connection is lost until the channel is subscribed again.
    pub subscribed: Signal<bool>,
    /// The last subscription error, cleared on the next success: match it
    /// to react ([`EchoError::needs_sign_in`](echo_rs::EchoError::needs_sign_in)
    /// for 401/419, [`EchoError::is_forbidden`](echo_rs::EchoError::is_forbidden)
    /// for 403, `SubscriptionTimeout`, `SubscriptionRefused` …); its
    /// `Display` is the message for people.
    pub error: Signal<Option<EchoError>>,
}

/// Subscribes to `channel` and listens for several `events` on it with one
/// handler, which gets the event name as given and the data (laravel/echo
/// #463 asks for the name); the demo app's admin dashboard listens for its
/// two private events this way.
pub fn use_realtime_channel(
    channel: impl Into<Signal<String>>,
    events: Vec<String>,
    on_event: impl Fn(&str, &Value) + 'static,
) -> UseRealtimeChannelReturn {
    use_realtime_channel_with_options(channel, events, on_event, UseRealtimeChannelOptions::default())
}

/// [`use_realtime_channel`] with [`UseRealtimeChannelOptions`].
pub fn use_realtime_channel_with_options(
    channel: impl Into<Signal<String>>,
    events: Vec<String>,
    on_event: impl Fn(&str, &Value) + 'static,
    options: UseRealtimeChannelOptions,
) -> UseRealtimeChannelReturn {
    let channel = channel.into();
    let subscribed = RwSignal::new(false);
    let error = RwSignal::new(None::<EchoError>);
    let handler = StoredValue::new_local(Box::new(on_event) as Box<dyn Fn(&str, &Value)>);
    let UseRealtimeChannelOptions { enabled, private } = options;
    use_channel_listeners(
        move || enabled.get().then(|| full_name(&channel.get(), private)),
        move |ch| {
            subscribed.set(ch.is_subscribed());
            let mut handles: Vec<_> = events
                .iter()
                .map(|event| {
                    let name = event.clone();
                    ch.listen(event, move |data| handler.with_value(|f| f(&name, data)))
                })
                .collect();
            handles.push(ch.subscribed(move |_| {
                subscribed.set(true);
                error.set(None);
            }));
            handles.push(ch.error(move |e| {
                subscribed.set(false);
                error.set(Some(e.clone()));
            }));
            handles.push(ch.echo().on_connection_change(move |state| {
                if state != echo_rs::ConnectionState::Connected {
                    subscribed.set(false);
                }
            }));
            handles
        },
    );
    UseRealtimeChannelReturn {
        subscribed: subscribed.into(),
        error: error.into(),
    }
}
