use echo_leptos::{use_connection_status, ConnectionStatus};
use leptos::prelude::*;

/// Shows the realtime connection in Laravel Echo's words: live,
/// connecting, reconnecting (a connection that was up is being
/// re-established), offline or failed.
#[component]
pub fn ConnectionBadge(enabled: bool) -> impl IntoView {
    let status = use_connection_status();
    let label = move || match (enabled, status.get()) {
        (false, _) => ("off", "Live updates off"),
        (_, ConnectionStatus::Connected) => ("connected", "Live"),
        (_, ConnectionStatus::Connecting) => ("connecting", "Connecting…"),
        (_, ConnectionStatus::Reconnecting) => ("reconnecting", "Reconnecting…"),
        (_, ConnectionStatus::Disconnected) => ("offline", "Offline"),
        (_, ConnectionStatus::Failed) => ("offline", "Live updates unavailable"),
    };
    view! {
        <span class=move || format!("badge badge-{}", label().0) data-testid="connection-status" data-state=move || status.get().as_str()>
            {move || label().1}
        </span>
    }
}
