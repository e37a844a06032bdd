use echo_rs::hooks::HoldSpec;
use echo_rs::Value;
use leptos::prelude::*;

use crate::subscription::{full_name, use_channel_hook, UseChannelReturn};

/// Options for [`use_realtime_event_with_options`].
#[derive(Clone, Copy)]
pub struct UseRealtimeEventOptions {
    /// Listen only while this is `true`; switching it off leaves the channel
    /// (when no other hook holds it). Default: always `true`.
    pub enabled: Signal<bool>,
    /// Subscribe `private-{channel}` (authorized through `/broadcasting/auth`).
    /// Default `false`.
    pub private: bool,
}

impl Default for UseRealtimeEventOptions {
    fn default() -> Self {
        Self {
            enabled: Signal::stored(true),
            private: false,
        }
    }
}

/// Listens for `event` on the public `channel` while the component is
/// mounted; the demo app's receipt page listens for its booking's status
/// updates this way.
///
/// `event` follows Laravel Echo's rules: `.RoomsUpdated` is the class short
/// name verbatim. The handler is kept in a stored value: re-rendering, or a
/// handler capturing new state, never resubscribes; changing `channel` does.
/// Components on one channel share one subscription. A no-op when realtime is
/// disabled or under SSR. Returns the hook's [`UseChannelReturn`]
/// (`subscribed`, `subscription`, `stop_listening`, `leave_channel` …),
/// which callers that need none of it ignore.
///
/// ```no_run
/// # use echo_leptos::*; use leptos::prelude::*; use leptos_fetch::{QueryClient, QueryScopeLocal};
/// # async fn fetch_rooms(_: ()) -> Vec<String> { Vec::new() }
/// # fn rooms(client: QueryClient) {
/// use_realtime_event("rooms", ".RoomsUpdated", move |_| client.invalidate_query_scope(QueryScopeLocal::new(fetch_rooms)));
/// # }
/// ```
pub fn use_realtime_event(
    channel: impl Into<Signal<String>>,
    event: impl Into<String>,
    on_event: impl Fn(&Value) + 'static,
) -> UseChannelReturn {
    use_realtime_event_with_options(channel, event, on_event, UseRealtimeEventOptions::default())
}

/// [`use_realtime_event`] with [`UseRealtimeEventOptions`] (`enabled`,
/// `private`).
pub fn use_realtime_event_with_options(
    channel: impl Into<Signal<String>>,
    event: impl Into<String>,
    on_event: impl Fn(&Value) + 'static,
    options: UseRealtimeEventOptions,
) -> UseChannelReturn {
    let channel = channel.into();
    let event: String = event.into();
    let handler = StoredValue::new_local(Box::new(on_event) as Box<dyn Fn(&Value)>);
    let UseRealtimeEventOptions { enabled, private } = options;
    use_channel_hook(
        move || enabled.get().then(|| full_name(&channel.get(), private)),
        HoldSpec::listening(move |ch, _| vec![ch.listen(&event, move |data| handler.with_value(|f| f(data)))]),
    )
}
