//! Shared pieces: the connection badge, a query's loading/error/data
//! rendering, and the state of a channel's subscription (which echo-yew's
//! event hooks do not return).

use echo_yew::{use_connection_status, ConnectionStatus, QueryState};
use yew::prelude::*;

/// The properties of [`ConnectionBadge`].
#[derive(Properties, PartialEq)]
pub struct BadgeProps {
    /// Whether realtime is on (a key was set at build time).
    pub enabled: bool,
}

/// Shows the realtime connection in Laravel Echo's words: live,
/// connecting, reconnecting (a connection that was up is being
/// re-established), offline or failed.
#[component]
pub fn ConnectionBadge(props: &BadgeProps) -> Html {
    let status = use_connection_status();
    let (class, label) = match (props.enabled, status) {
        (false, _) => ("off", "Live updates off"),
        (_, ConnectionStatus::Connected) => ("connected", "Live"),
        (_, ConnectionStatus::Connecting) => ("connecting", "Connecting…"),
        (_, ConnectionStatus::Reconnecting) => ("reconnecting", "Reconnecting…"),
        (_, ConnectionStatus::Disconnected) => ("offline", "Offline"),
        (_, ConnectionStatus::Failed) => ("offline", "Live updates unavailable"),
    };
    html! {
        <span class={format!("badge badge-{class}")} data-testid="connection-status" data-state={status.as_str()}>
            { label }
        </span>
    }
}

/// A query's value through `view`, a loading line while the first answer
/// is on its way, or the error. Data already shown stays while it refetches.
pub fn query_view<T>(state: &QueryState<T>, loading: &str, view: impl FnOnce(&T) -> Html) -> Html {
    match (&state.data, &state.error) {
        (Some(data), _) => view(data),
        (None, Some(error)) => html! { <p class="error">{ error.clone() }</p> },
        (None, None) => html! { <p class="muted">{ loading.to_owned() }</p> },
    }
}
