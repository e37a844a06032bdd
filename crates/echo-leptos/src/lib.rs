//! # echo-leptos
//!
//! Leptos 0.8 hooks over [`echo_rs`] that keep leptos-fetch caches in sync:
//! one app-wide client ([`provide_echo`], [`disconnect_echo`]), a component's
//! listeners on a channel ([`use_realtime_event`], [`use_realtime_channel`]),
//! and events that invalidate cached queries by key prefix
//! ([`use_realtime_global_subscriber`]). The repository's demo app
//! (`demo/app`) uses each of them: `app.rs` provides the client and mounts the
//! global subscriber, `realtime.rs` holds its channels, events and query keys.
//!
//! ```no_run
//! use echo_leptos::*;
//! use leptos::prelude::*;
//! use leptos_fetch::{QueryClient, QueryScopeLocal};
//!
//! async fn fetch_rooms(_: ()) -> Vec<String> { Vec::new() }
//! # #[component] fn Rooms() -> impl IntoView { view! { <p/> } }
//!
//! #[component]
//! fn App() -> impl IntoView {
//!     let client = QueryClient::new().provide();
//!     let queries = provide_realtime_queries(client);
//!     queries.register(QueryScopeLocal::new(fetch_rooms), |_: &()| vec!["rooms".into(), "home".into()]);
//!     provide_echo(Some(echo_rs::EchoOptions::reverb("local-key", "localhost", 6001, "http")));
//!     use_realtime_global_subscriber(vec![GlobalSubscription::new("rooms", ".RoomsUpdated", &["rooms"])]);
//!     view! { <Rooms/> }
//! }
//! ```
//!
//! - The client is built lazily on first use, in an effect, only in the
//!   browser; under SSR and without a key every hook is a no-op.
//! - Components on one channel share one subscription (reference-counted);
//!   the channel is left when the last one unmounts, and an unmount plus
//!   remount in one tick keeps the subscription.
//! - Handlers live in stored values: re-rendering never resubscribes.
//! - Every channel hook returns its controls, [`UseChannelReturn`]
//!   (`listen`, `stop_listening`, `leave_channel`, `leave`, `join`,
//!   `channel()`, `whisper`, `listen_for_whisper`) with the subscription's
//!   state as signals (`subscribed`, `subscription` telling a first
//!   subscription from a resubscription after a connection loss, `error`,
//!   `listening`). It is `Copy`: call it from any event handler, including
//!   the hook's own.
//!
//! ## Coming from `@laravel/echo-react` or `@laravel/echo-vue` 2.5
//!
//! Every export of echo-react 2.5 (echo-vue's composables have the same
//! names) and its echo-leptos equivalent; each is tested natively in
//! `tests/hooks.rs` (`cargo test -p echo-leptos`) and again in the browser.
//!
//! | echo-react 2.5 | echo-leptos | Where it differs, and why |
//! |---|---|---|
//! | `configureEcho(options)` | [`provide_echo`] (`provide_echo(Some(options))`), [`provide_echo_with`] (a factory) | A Leptos context, not a module global; the client is built lazily in an effect, so SSR never touches it, and no options or an empty key turns realtime off. |
//! | `echo()` | [`use_echo_context`] (`use_echo_context()?.client()`) | `None` when realtime is off instead of throwing. |
//! | `echoIsConfigured()` | [`EchoContext::is_configured`] | |
//! | `useEcho(channel, events, callback, deps, visibility)` | [`use_echo`], [`use_echo_with_options`] ([`UseEchoOptions`]: [`Visibility`], `enabled`) | One event name or several ([`EventNames`]), as echo-react. No dependency list: the handler is kept in a stored value and always sees current state, and nothing resubscribes when it changes (echo-react resubscribes on every dependency change, laravel/echo #539). The channel name may be a signal: changing it moves the subscription. |
//! | `useEchoPublic` | [`use_echo_public`] | |
//! | `useEchoPresence` | [`use_echo_presence`] | For the members, [`use_presence_channel`] on the same channel (one shared subscription). |
//! | `useEchoNotification(channel, callback, types)` | [`use_echo_notification`], [`use_echo_notification_with_options`] (`types`) | Types match in dotted or backslashed form, as echo-react's. Its `stop_listening` removes this hook's notification listener only (Echo `stopListeningForNotification`). |
//! | `useEchoModel(model, id, events, callback)` | [`use_echo_model`] (`use_echo_model::<T>(model, id, [ModelEvent::Updated], callback)`), [`use_echo_model_with_options`] (`enabled`) | Events are an enum (the five Laravel broadcasts), not strings; the payload is [`ModelPayload<T>`](ModelPayload) with the app's serde type, and data that does not decode is reported in `error` instead of reaching the callback. |
//! | `useChannel(channel, visibility)` | [`use_channel`], [`use_channel_with_options`] | Its `listen_for_whisper` listeners are the hook's own: removed on unmount, kept across a channel change, paused by `stop_listening`. |
//! | `usePublicChannel` | [`use_public_channel`] | |
//! | `usePresenceChannel` | [`use_presence_channel`] | Adds what echo-react lacks (an open request upstream): `members`, `me`, `count`, `joining`, `leaving` as signals. The common controls are methods (`whisper`, `listen_for_whisper`, `leave`, `join` …); all of them are on its `handle`. |
//! | `useConnectionStatus()` | [`use_connection_status`] (a `Signal<ConnectionStatus>`) | A real `Reconnecting` while a connection that was up is re-established (echo-react never reports it for Pusher-protocol servers), and `Unavailable` after a connection was up is `Reconnecting`, not `Failed`. pusher-js's six states: [`use_connection_state`]. |
//! | `useSocketId()` | [`use_socket_id`] | |
//! | returned `listen()` / `stopListening()` | [`UseChannelReturn::listen`] / [`UseChannelReturn::stop_listening`] | Plus a `listening` signal. `listen` after a leave joins again. Whisper listeners added through the hook are paused too; [`UseChannelReturn::stop_listening_for_whisper`] removes them. |
//! | returned `leaveChannel()` | [`UseChannelReturn::leave_channel`] | Drops this hook's reference only: other components on the channel keep it. The hook stays out until `join`, `listen` or a new channel name. |
//! | returned `leaveChannel(true)`, `leave()` | [`UseChannelReturn::leave`] | Also leaves the name's other forms (`private-`, `private-encrypted-`, `presence-`), except those another component holds: echo-react leaves them from under that component, which then hears nothing while it believes it is subscribed. |
//! | returned `channel()` | [`UseChannelReturn::channel`] | An `Option<echo_rs::Channel>`: `None` while not held. |
//! | type `ConnectionStatus` | [`ConnectionStatus`] | |
//! | types `ModelPayload`, `ModelEvents` | [`ModelPayload`], [`ModelEvent`] | |
//! | type `BroadcastNotification` | the notification's data as a `serde_json::Value` (`id`, `type` and its fields) | |
//!
//! Beyond echo-react: [`UseChannelReturn::subscription`] (first subscription
//! or resubscription), [`use_realtime_event_typed`] (serde payloads, decode
//! failures as a signal), [`use_realtime_channel`] (several events, one
//! handler that gets the event name), and the query-cache side:
//! [`provide_realtime_queries`] and [`use_realtime_global_subscriber`].
#![warn(missing_docs)]

mod context;
mod query_keys;
mod subscription;
mod use_connection_status;
mod use_echo;
mod use_echo_notification;
mod use_presence_channel;
mod use_realtime_channel;
mod use_realtime_event;
mod use_realtime_event_typed;
mod use_realtime_global_subscriber;
mod use_socket_id;

pub use context::{disconnect_echo, provide_echo, provide_echo_with, use_echo_context, EchoContext};
pub use echo_rs::hooks::{EventNames, Visibility};
pub use echo_rs::{
    set_echo_token_getter, BroadcastEvent, ConnectionState, ConnectionStatus, Member, ModelEvent, ModelPayload, Subscription,
};
pub use query_keys::{key_matches_prefix, provide_realtime_queries, use_realtime_queries, RealtimeQueries};
pub use subscription::UseChannelReturn;
pub use use_connection_status::{use_connection_state, use_connection_status};
pub use use_echo::{
    use_channel, use_channel_with_options, use_echo, use_echo_model, use_echo_model_with_options, use_echo_presence, use_echo_public,
    use_echo_with_options, use_public_channel, UseEchoModelOptions, UseEchoOptions,
};
pub use use_echo_notification::{use_echo_notification, use_echo_notification_with_options, UseEchoNotificationOptions};
pub use use_presence_channel::{
    use_presence_channel, use_presence_channel_with_options, UsePresenceChannelOptions, UsePresenceChannelReturn,
};
pub use use_realtime_channel::{use_realtime_channel, use_realtime_channel_with_options, UseRealtimeChannelOptions};
pub use use_realtime_event::{use_realtime_event, use_realtime_event_with_options, UseRealtimeEventOptions};
pub use use_realtime_event_typed::{
    use_realtime_event_typed, use_realtime_event_typed_with_options, UseRealtimeEventTypedOptions, UseRealtimeEventTypedReturn,
};
pub use use_realtime_global_subscriber::{use_realtime_global_subscriber, GlobalSubscription};
pub use use_socket_id::use_socket_id;
