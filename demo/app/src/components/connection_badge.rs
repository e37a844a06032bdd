use echo_leptos::{use_connection_status, ConnectionState};
use leptos::prelude::*;

/// Shows the realtime connection: connected, reconnecting or offline.
#[component]
pub fn ConnectionBadge(enabled: bool) -> impl IntoView {
    let status = use_connection_status();
    let label = move || match (enabled, status.get()) {
        (false, _) => ("off", "Live updates off"),
        (_, ConnectionState::Connected) => ("connected", "Live"),
        (_, ConnectionState::Connecting | ConnectionState::Initialized) => ("connecting", "Connecting…"),
        (_, ConnectionState::Unavailable) => ("reconnecting", "Reconnecting…"),
        (_, ConnectionState::Failed | ConnectionState::Disconnected) => ("offline", "Offline"),
    };
    view! {
        <span class=move || format!("badge badge-{}", label().0) data-testid="connection-status" data-state=move || status.get().as_str()>
            {move || label().1}
        </span>
    }
}
