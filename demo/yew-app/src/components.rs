//! Shared pieces: the connection badge, a query's loading/error/data
//! rendering, and the state of a channel's subscription (which echo-yew's
//! event hooks do not return).

use echo_rs::{EchoError, Subscription};
use echo_yew::{use_connection_status, use_echo_context, ConnectionStatus, QueryState};
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

/// Where a channel's subscription stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChannelState {
    /// Subscribed on the current connection.
    pub subscribed: bool,
    /// The last subscription, first or a resubscription after a lost
    /// connection (events may have been missed).
    pub subscription: Option<Subscription>,
    /// The subscription's last error (authorization refused, timeout…).
    pub error: Option<EchoError>,
}

/// Follows the subscription of `channel` (a full name, e.g.
/// `private-admin.dashboard`; `None` = nothing): holds a reference on it
/// through the provider's registry, like echo-yew's own hooks, so it shares
/// their subscription, and reports `subscribed`/`error` (echo-leptos's
/// `use_realtime_channel` returns these; echo-yew's returns nothing).
#[hook]
pub fn use_channel_state(channel: Option<String>) -> ChannelState {
    let state = use_state_eq(ChannelState::default);
    let context = use_echo_context();
    let generation = context.as_ref().map(|c| c.generation());
    {
        let state = state.clone();
        use_effect_with((channel, generation), move |(channel, _)| {
            let held = context.zip(channel.clone()).and_then(|(context, name)| {
                let (generation, ch) = context.registry().acquire(&name)?;
                let client = ch.echo().clone();
                state.set(ChannelState {
                    subscribed: client.is_subscribed(&name),
                    ..ChannelState::default()
                });
                let (on_ok, on_error) = (state.setter(), state.setter());
                let listeners = vec![
                    ch.subscribed(move |subscription| {
                        on_ok.set(ChannelState {
                            subscribed: true,
                            subscription: Some(subscription),
                            error: None,
                        })
                    }),
                    ch.error(move |error| {
                        on_error.set(ChannelState {
                            subscribed: false,
                            subscription: None,
                            error: Some(error.clone()),
                        })
                    }),
                ];
                Some((context, generation, ch, listeners))
            });
            move || {
                if let Some((context, generation, ch, listeners)) = held {
                    listeners.into_iter().for_each(|h| {
                        ch.echo().stop_listening(h);
                    });
                    // The crate's own release is private: finish the deferred
                    // leave after this render, as echo-yew does.
                    if let Some(leave) = context.registry().release(generation, ch.name()) {
                        yew::platform::spawn_local(async move { leave.finish() });
                    }
                }
            }
        });
    }
    (*state).clone()
}
