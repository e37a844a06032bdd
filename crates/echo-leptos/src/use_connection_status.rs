use echo_rs::{ConnectionState, ConnectionStatus, Echo, ListenerHandle};
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::context::use_echo_context;

/// Laravel Echo's connection status as a signal (echo-react
/// `useConnectionStatus`): `Connected`, `Connecting`, `Reconnecting`,
/// `Disconnected` or `Failed`, with a real `Reconnecting` while a
/// connection that was up is being re-established (echo-react never
/// reports it for Pusher-protocol servers; see
/// [`ConnectionStatus`](echo_rs::ConnectionStatus) for the mapping from
/// pusher-js's states, which [`use_connection_state`] gives).
///
/// `Disconnected` when realtime is disabled or under SSR. Follows the client
/// across [`disconnect_echo`](crate::disconnect_echo). Reading it never
/// builds the client during render: that happens in an effect.
///
/// ```no_run
/// # use echo_leptos::*; use leptos::prelude::*;
/// # fn badge() -> impl IntoView {
/// let status = use_connection_status();
/// view! { <Show when=move || status.get() == ConnectionStatus::Reconnecting>"Reconnecting…"</Show> }
/// # }
/// ```
pub fn use_connection_status() -> Signal<ConnectionStatus> {
    follow_connection(ConnectionStatus::Disconnected, Echo::connection_status, |client, status| {
        client.on_connection_status(move |s| status.set(s))
    })
}

/// The connection state as pusher-js names it (`Initialized`, `Connecting`,
/// `Connected`, `Unavailable`, `Failed`, `Disconnected`; pusher-js
/// `connection.state`) as a signal. `Initialized` when realtime is disabled
/// or under SSR. [`use_connection_status`] gives Echo's five words instead.
pub fn use_connection_state() -> Signal<ConnectionState> {
    follow_connection(ConnectionState::Initialized, Echo::connection_state, |client, state| {
        client.on_connection_change(move |s| state.set(s))
    })
}

/// A signal of `read(client)`, kept current by the listener `listen` adds,
/// on whichever client the context holds.
fn follow_connection<T: Clone + Send + Sync + 'static>(
    initial: T,
    read: fn(&Echo) -> T,
    listen: fn(&Echo, RwSignal<T>) -> ListenerHandle,
) -> Signal<T> {
    let value = RwSignal::new(initial);
    if let Some(context) = use_echo_context() {
        Effect::new(move |_| {
            context.generation(); // tracked: move to a new client
            let Some(client) = context.client() else { return };
            value.set(read(&client));
            let handle = listen(&client, value);
            let client = SendWrapper::new(client);
            on_cleanup(move || {
                // On this client even if replaced: the listener would keep it alive.
                client.stop_listening(handle);
            });
        });
    }
    value.into()
}
