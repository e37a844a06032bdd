use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::context::use_echo_context;

/// The socket id while connected, `None` otherwise (echo-react
/// `useSocketId`). Send it as `X-Socket-ID` so Laravel's `toOthers()` skips
/// this tab; `echo_rs::Echo::socket_id_header` does that for same-origin URLs.
pub fn use_socket_id() -> Signal<Option<String>> {
    let socket_id = RwSignal::new(None::<String>);
    if let Some(context) = use_echo_context() {
        Effect::new(move |_| {
            context.generation(); // tracked: move to a new client
            let Some(client) = context.client() else { return };
            socket_id.set(client.socket_id());
            let c = client.clone();
            let handle = client.on_connection_change(move |_| socket_id.set(c.socket_id()));
            let client = SendWrapper::new(client);
            on_cleanup(move || {
                socket_id.set(None);
                // On this client even if replaced: the listener would keep it alive.
                client.stop_listening(handle);
            });
        });
    }
    socket_id.into()
}
