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
//! ```ignore
//! use echo_leptos::*;
//! use leptos_fetch::QueryClient;
//!
//! #[component]
//! fn App() -> impl IntoView {
//!     let client = QueryClient::new().provide();
//!     let queries = provide_realtime_queries(client);
//!     queries.register(fetch_rooms, |_: &()| vec!["rooms".into(), "home".into()]);
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
//! - Beyond those: [`use_presence_channel`] (members, `me`, `count`,
//!   `joining` / `leaving`, `whisper`), [`use_realtime_event_typed`] (serde
//!   payloads, decode failures as a signal), [`use_echo_notification`],
//!   [`use_connection_status`] and [`use_socket_id`].
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
pub use echo_rs::{
    set_echo_token_getter, BroadcastEvent, ConnectionState, ConnectionStatus, Member, ModelEvent, ModelPayload, Subscription,
};
pub use query_keys::{key_matches_prefix, provide_realtime_queries, use_realtime_queries, RealtimeQueries};
pub use subscription::{UseChannelReturn, Visibility};
pub use use_connection_status::{use_connection_state, use_connection_status};
pub use use_echo::{
    use_channel, use_channel_with_options, use_echo, use_echo_model, use_echo_presence, use_echo_public, use_echo_with_options,
    use_public_channel, UseEchoOptions,
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
