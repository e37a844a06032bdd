use echo_rs::hooks::HoldSpec;
use echo_rs::Value;
use leptos::prelude::*;

use crate::subscription::{full_name, use_channel_hook, UseChannelReturn};

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

/// Subscribes to `channel` and listens for several `events` on it with one
/// handler, which gets the event name as given and the data (laravel/echo
/// #463 asks for the name); the demo app's admin dashboard listens for its
/// two private events this way. The returned [`UseChannelReturn`] has
/// `subscribed` and `error` for a status line, and the controls.
pub fn use_realtime_channel(
    channel: impl Into<Signal<String>>,
    events: Vec<String>,
    on_event: impl Fn(&str, &Value) + 'static,
) -> UseChannelReturn {
    use_realtime_channel_with_options(channel, events, on_event, UseRealtimeChannelOptions::default())
}

/// [`use_realtime_channel`] with [`UseRealtimeChannelOptions`].
pub fn use_realtime_channel_with_options(
    channel: impl Into<Signal<String>>,
    events: Vec<String>,
    on_event: impl Fn(&str, &Value) + 'static,
    options: UseRealtimeChannelOptions,
) -> UseChannelReturn {
    let channel = channel.into();
    let handler = StoredValue::new_local(Box::new(on_event) as Box<dyn Fn(&str, &Value)>);
    let UseRealtimeChannelOptions { enabled, private } = options;
    use_channel_hook(
        move || enabled.get().then(|| full_name(&channel.get(), private)),
        HoldSpec::listening(move |ch, _| {
            events
                .iter()
                .map(|event| {
                    let name = event.clone();
                    ch.listen(event, move |data| handler.with_value(|f| f(&name, data)))
                })
                .collect()
        }),
    )
}
