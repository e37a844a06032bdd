use echo_rs::ConnectionState;
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::context::use_echo;

/// The connection state as a signal (echo-react `useConnectionStatus`).
///
/// `Initialized` when realtime is disabled or under SSR. Follows the client
/// across [`disconnect_echo`](crate::disconnect_echo). Reading it never
/// builds the client during render: that happens in an effect.
pub fn use_connection_status() -> Signal<ConnectionState> {
    let status = RwSignal::new(ConnectionState::Initialized);
    if let Some(context) = use_echo() {
        Effect::new(move |_| {
            context.generation(); // tracked: move to a new client
            let Some(client) = context.client() else { return };
            status.set(client.connection_state());
            let handle = client.on_connection_change(move |state| status.set(state));
            let client = SendWrapper::new(client);
            on_cleanup(move || {
                // On this client even if replaced: the listener would keep it alive.
                client.stop_listening(handle);
            });
        });
    }
    status.into()
}
