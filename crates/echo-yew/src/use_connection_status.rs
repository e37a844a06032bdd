use echo_rs::{ConnectionState, ConnectionStatus, Echo, ListenerHandle};
use yew::prelude::*;

use crate::context::use_echo_context;

/// Laravel Echo's connection status (echo-react `useConnectionStatus`):
/// `Connected`, `Connecting`, `Reconnecting` (a connection that was up is
/// being re-established), `Disconnected` or `Failed`; see
/// [`ConnectionStatus`] for the mapping from pusher-js's states.
/// `Disconnected` when realtime is off or under SSR. Follows the client
/// across [`use_disconnect_echo`](crate::use_disconnect_echo).
#[hook]
pub fn use_connection_status() -> ConnectionStatus {
    use_follow(ConnectionStatus::Disconnected, Echo::connection_status, |client, set| {
        client.on_connection_status(move |status| set.emit(status))
    })
}

/// The connection state as pusher-js names it (six states). `Initialized`
/// when realtime is off or under SSR.
#[hook]
pub fn use_connection_state() -> ConnectionState {
    use_follow(ConnectionState::Initialized, Echo::connection_state, |client, set| {
        client.on_connection_change(move |state| set.emit(state))
    })
}

/// The socket id while connected, `None` otherwise (echo-react
/// `useSocketId`): send it as `X-Socket-ID` so that Laravel's `toOthers()`
/// skips this tab.
#[hook]
pub fn use_socket_id() -> Option<String> {
    use_follow(None, Echo::socket_id, |client, set| {
        let reader = client.clone();
        client.on_connection_change(move |_| set.emit(reader.socket_id()))
    })
}

/// `read(client)`, kept current by the listener `listen` adds, on whichever
/// client the provider holds.
#[hook]
fn use_follow<T: Clone + PartialEq + 'static>(initial: T, read: fn(&Echo) -> T, listen: fn(&Echo, Callback<T>) -> ListenerHandle) -> T {
    let value = use_state_eq(|| initial);
    let context = use_echo_context();
    let generation = context.as_ref().map(|c| c.generation());
    {
        let value = value.clone();
        use_effect_with(generation, move |_| {
            let client = context.and_then(|c| c.client());
            let handle = client.as_ref().map(|client| {
                value.set(read(client));
                let setter = value.setter();
                listen(client, Callback::from(move |v| setter.set(v)))
            });
            move || {
                // On this client even if replaced: the listener would keep it alive.
                if let (Some(client), Some(handle)) = (client, handle) {
                    client.stop_listening(handle);
                }
            }
        });
    }
    (*value).clone()
}
