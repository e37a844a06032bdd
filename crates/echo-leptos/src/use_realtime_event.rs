use echo_rs::Value;
use leptos::prelude::*;

use crate::context::use_echo;

/// Listens for `event` on the public channel `channel` while the component is
/// mounted (the seed's `useRealtimeEvent`). `event` follows Laravel Echo's
/// rules: `.RoomsUpdated` is the class short name verbatim.
///
/// The handler is kept in a stored value, so a new closure on re-render does
/// not resubscribe; changing `channel` does. A no-op when realtime is
/// disabled or under SSR.
pub fn use_realtime_event(channel: impl Into<Signal<String>>, event: impl Into<String>, on_event: impl Fn(&Value) + 'static) {
    let channel = channel.into();
    let event = event.into();
    let handler = StoredValue::new_local(Box::new(on_event) as Box<dyn Fn(&Value)>);
    let Some(context) = use_echo() else { return };
    Effect::new(move |_| {
        let generation = context.generation();
        let name = channel.get();
        #[cfg(target_arch = "wasm32")]
        {
            let Some(client) = context.client() else { return };
            let handle = client.channel(&name).listen(&event, move |data| handler.with_value(|f| f(data)));
            on_cleanup(move || context.with_built_client(generation, |c| c.stop_listening(handle)));
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (generation, name, &event, handler);
    });
}
