use echo_rs::hooks::HoldSpec;
use echo_rs::proto::format_event_name;
use echo_rs::{BroadcastEvent, EchoError};
use leptos::prelude::*;

use crate::subscription::{full_name, use_channel_hook, UseChannelReturn};

/// Options for [`use_realtime_event_typed_with_options`].
#[derive(Clone, Copy)]
pub struct UseRealtimeEventTypedOptions {
    /// Listen only while this is `true`; switching it off leaves the channel
    /// (when no other hook holds it). Default: always `true`.
    pub enabled: Signal<bool>,
    /// Subscribe `private-{channel}`. Default `false`.
    pub private: bool,
}

impl Default for UseRealtimeEventTypedOptions {
    fn default() -> Self {
        Self {
            enabled: Signal::stored(true),
            private: false,
        }
    }
}

/// What [`use_realtime_event_typed`] returns.
#[derive(Clone, Copy)]
pub struct UseRealtimeEventTypedReturn {
    /// The last `E::NAME` event whose data did not decode into `E`
    /// ([`EchoError::Decode`]: channel, event and serde's message), cleared
    /// by the next one that decodes. Such events are reported, never passed
    /// on half-read.
    pub error: Signal<Option<EchoError>>,
    /// The subscription's state and the hook's controls (`subscribed`,
    /// `stop_listening`, `leave_channel` …).
    pub handle: UseChannelReturn,
}

/// Listens for the event `E` on `channel` and calls `on_event` with its data
/// decoded into `E` (echo-rs `Channel::listen_typed`); otherwise the same as
/// [`use_realtime_event`](crate::use_realtime_event): shared, ref-counted
/// subscription, handler kept in a stored value, a no-op when realtime is
/// disabled or under SSR.
///
/// ```no_run
/// # use echo_leptos::*; use leptos::prelude::*;
/// #[derive(serde::Deserialize)]
/// struct RoomsUpdated { room_ids: Vec<u64> }
/// impl echo_rs::BroadcastEvent for RoomsUpdated { const NAME: &'static str = ".RoomsUpdated"; }
///
/// # fn rooms() -> impl IntoView {
/// let last_ids = RwSignal::new(Vec::new());
/// let rooms = use_realtime_event_typed("rooms", move |e: RoomsUpdated| last_ids.set(e.room_ids));
/// view! { <Show when=move || rooms.error.get().is_some()>"Live updates are garbled"</Show> }
/// # }
/// ```
pub fn use_realtime_event_typed<E: BroadcastEvent>(
    channel: impl Into<Signal<String>>,
    on_event: impl Fn(E) + 'static,
) -> UseRealtimeEventTypedReturn {
    use_realtime_event_typed_with_options(channel, on_event, UseRealtimeEventTypedOptions::default())
}

/// [`use_realtime_event_typed`] with [`UseRealtimeEventTypedOptions`]
/// (`enabled`, `private`).
pub fn use_realtime_event_typed_with_options<E: BroadcastEvent>(
    channel: impl Into<Signal<String>>,
    on_event: impl Fn(E) + 'static,
    options: UseRealtimeEventTypedOptions,
) -> UseRealtimeEventTypedReturn {
    let channel = channel.into();
    let error = RwSignal::new(None::<EchoError>);
    let handler = StoredValue::new_local(Box::new(on_event) as Box<dyn Fn(E)>);
    let UseRealtimeEventTypedOptions { enabled, private } = options;
    let handle = use_channel_hook(
        move || enabled.get().then(|| full_name(&channel.get(), private)),
        HoldSpec::listening(move |ch, _| {
            vec![
                ch.listen_typed(move |event: E| {
                    error.set(None);
                    handler.with_value(|f| f(event));
                }),
                ch.error(move |e| {
                    if let EchoError::Decode { event, .. } = e {
                        if is_wire_name_of::<E>(event) {
                            error.set(Some(e.clone()));
                        }
                    }
                }),
            ]
        }),
    );
    UseRealtimeEventTypedReturn {
        error: error.into(),
        handle,
    }
}

/// Whether `wire` (as the server sent it) is `E::NAME` under any namespace.
fn is_wire_name_of<E: BroadcastEvent>(wire: &str) -> bool {
    let bare = format_event_name(None, E::NAME);
    wire == bare || (!E::NAME.starts_with(['.', '\\']) && wire.ends_with(&format!("\\{bare}")))
}
