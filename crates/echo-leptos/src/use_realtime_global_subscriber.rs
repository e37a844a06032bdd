use std::rc::Rc;

use leptos::prelude::*;

use crate::context::use_echo;

/// One row of the global subscriber's table: when `event` arrives on
/// `channel`, run `on_event` (typically: invalidate the queries under a key
/// prefix). `resync` also runs when the channel is subscribed again after a
/// connection loss, because events sent during the gap are never replayed.
#[derive(Clone)]
pub struct GlobalSubscription {
    /// The public channel name, e.g. `rooms`.
    pub channel: String,
    /// The event, Echo-formatted, e.g. `.RoomsUpdated`.
    pub event: String,
    /// What to do when the event arrives or the channel is resubscribed.
    pub on_event: Rc<dyn Fn()>,
}

impl GlobalSubscription {
    /// A row for `event` on `channel`.
    pub fn new(channel: impl Into<String>, event: impl Into<String>, on_event: impl Fn() + 'static) -> Self {
        Self {
            channel: channel.into(),
            event: event.into(),
            on_event: Rc::new(on_event),
        }
    }
}

/// Mount once at the app root (the seed's `useRealtimeGlobalSubscriber`):
/// subscribes every row of `table` and runs its action on each event and on
/// every resubscription after a reconnect. A no-op when realtime is disabled
/// or under SSR.
pub fn use_realtime_global_subscriber(table: Vec<GlobalSubscription>) {
    let Some(context) = use_echo() else { return };
    let table = StoredValue::new_local(table);
    Effect::new(move |_| {
        let generation = context.generation();
        #[cfg(target_arch = "wasm32")]
        {
            let Some(client) = context.client() else { return };
            let mut handles = Vec::new();
            for row in table.get_value() {
                let channel = client.channel(&row.channel);
                let on_event = row.on_event.clone();
                handles.push(channel.listen(&row.event, move |_| on_event()));
                let on_event = row.on_event.clone();
                let first = std::cell::Cell::new(true);
                handles.push(channel.subscribed(move || {
                    if !first.replace(false) {
                        on_event();
                    }
                }));
            }
            on_cleanup(move || context.with_built_client(generation, |c| handles.into_iter().for_each(|h| c.stop_listening(h))));
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (generation, table);
    });
}
