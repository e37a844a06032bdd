use echo_rs::ConnectionState;
use leptos::prelude::*;

use crate::context::use_echo;

/// The connection state as a signal (echo-react `useConnectionStatus`).
///
/// `Initialized` when realtime is disabled or under SSR. Follows the client
/// across [`disconnect_echo`](crate::disconnect_echo).
pub fn use_connection_status() -> Signal<ConnectionState> {
    let status = RwSignal::new(ConnectionState::Initialized);
    #[cfg(target_arch = "wasm32")]
    if let Some(context) = use_echo() {
        Effect::new(move |_| {
            let generation = context.generation();
            let Some(client) = context.client() else { return };
            status.set(client.connection_state());
            let handle = client.on_connection_change(move |state| status.set(state));
            on_cleanup(move || context.with_built_client(generation, |c| c.stop_listening(handle)));
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = use_echo;
    status.into()
}
