//! # echo-yew
//!
//! Yew 0.23 hooks over [`echo_rs`], the same set and the same guarantees as
//! echo-leptos (the table below maps them): one
//! app-wide client ([`EchoProvider`], [`use_disconnect_echo`]), built lazily
//! on first use and never under SSR; components on one channel share one
//! reference-counted subscription (an unmount and remount in one render
//! keeps it); a handler captured anew on every render never resubscribes.
//! The rules live in echo-rs ([`echo_rs::hooks::ChannelRegistry`], shared
//! with echo-leptos); this crate adds Yew's context, hooks and scheduling.
//!
//! ```no_run
//! use echo_yew::*;
//! use yew::prelude::*;
//!
//! #[component]
//! fn Rooms() -> Html {
//!     let updates = use_state(|| 0);
//!     let counter = updates.clone();
//!     use_realtime_event("rooms", ".RoomsUpdated", move |_| counter.set(*counter + 1));
//!     let status = use_connection_status();
//!     html! { <p>{ format!("{} updates ({})", *updates, status.as_str()) }</p> }
//! }
//!
//! #[component]
//! fn App() -> Html {
//!     let options = echo_rs::EchoOptions::reverb("local-key", "localhost", 6001, "http");
//!     html! { <EchoProvider options={Some(options)}><Rooms/></EchoProvider> }
//! }
//! ```
//!
//! ## Queries invalidated by key prefix
//!
//! The seed's model: pages read data through keyed queries, and a global
//! subscriber invalidates every query under a key prefix when an event says
//! the data changed. No released Yew query library does this for Yew 0.23,
//! so the crate has a small one ([`QueryClientProvider`], [`use_query`],
//! [`QueryClient::invalidate_prefix`]; see its module docs for why):
//!
//! ```no_run
//! use echo_yew::*;
//! use yew::prelude::*;
//!
//! async fn fetch_rooms() -> Result<Vec<String>, String> { Ok(Vec::new()) }
//!
//! #[component]
//! fn Rooms() -> Html {
//!     let rooms = use_query(vec!["rooms".into(), "home".into()], fetch_rooms);
//!     html! { <p>{ format!("{} rooms", rooms.data.map_or(0, |r| r.len())) }</p> }
//! }
//!
//! #[component]
//! fn Realtime() -> Html {
//!     use_realtime_global_subscriber(vec![GlobalSubscription::new("rooms", ".RoomsUpdated", &["rooms"])]);
//!     html! {}
//! }
//!
//! #[component]
//! fn App() -> Html {
//!     let options = echo_rs::EchoOptions::reverb("local-key", "localhost", 6001, "http");
//!     html! {
//!         <QueryClientProvider>
//!             <EchoProvider options={Some(options)}><Realtime/><Rooms/></EchoProvider>
//!         </QueryClientProvider>
//!     }
//! }
//! ```
//!
//! ## Leptos and Yew side by side
//!
//! The same hooks with the same guarantees, on the same framework-neutral
//! core ([`echo_rs::hooks`]: [`ChannelRegistry`](echo_rs::hooks::ChannelRegistry)
//! for the app-wide client and the reference counts,
//! [`ChannelHold`](echo_rs::hooks::ChannelHold) for one hook's hold and
//! controls). Where they differ it is Yew's idiom: values instead of
//! signals (a hook re-renders its component when its state changes),
//! `&str` arguments instead of `Signal<String>` (a new value on a later
//! render moves the subscription), and a provider component instead of a
//! context function.
//!
//! | echo-leptos | echo-yew |
//! |---|---|
//! | `provide_echo(options)`, `provide_echo_with(factory)` | `<EchoProvider options={..}>`, `<EchoProvider factory={EchoFactory::new(..)}>` |
//! | `use_echo_context()`, `disconnect_echo()` | [`use_echo_context`], [`use_disconnect_echo`] (a callback) |
//! | `use_realtime_event`, `use_realtime_event_with_options` | [`use_realtime_event`], [`use_realtime_event_with_options`] |
//! | `use_realtime_event_typed` (error as a signal) | [`use_realtime_event_typed`] (returns the last decode error) |
//! | `use_realtime_channel` | [`use_realtime_channel`] |
//! | `use_echo`, `use_echo_public`, `use_echo_presence`, `use_echo_with_options` | [`use_echo`], [`use_echo_public`], [`use_echo_presence`], [`use_echo_with_visibility`] |
//! | `use_channel`, `use_public_channel`, `use_channel_with_options` | [`use_channel`], [`use_public_channel`], [`use_channel_with_visibility`] |
//! | `use_echo_model`, `use_echo_model_with_options` (`enabled`) | [`use_echo_model`] (`id: None` waits) |
//! | `use_echo_notification_with_options` (`types`) | [`use_echo_notification`] (`types`) |
//! | `UseChannelReturn` (signals and controls, `Copy`) | [`UseChannelReturn`] (values and controls, `Clone`) |
//! | `use_connection_status`, `use_connection_state`, `use_socket_id` | [`use_connection_status`], [`use_connection_state`], [`use_socket_id`] |
//! | `provide_realtime_queries` over leptos-fetch | [`QueryClientProvider`], [`use_query`] (this crate's own small cache) |
//! | `use_realtime_global_subscriber` | [`use_realtime_global_subscriber`] |
//! | `use_presence_channel` (members, `me`, `count`, `joining`, `leaving` as signals) | [`use_presence_channel`] (a [`Roster`] value, and the `handle`) |
//!
//! echo-yew's hooks run in the browser (Yew renders to the DOM); they are
//! tested in headless Chromium on the test double (`tests/*.rs`).
#![warn(missing_docs)]

mod context;
mod hold;
mod query;
mod use_connection_status;
mod use_echo;
mod use_presence_channel;
mod use_realtime_event;
mod use_realtime_global_subscriber;

pub use context::{use_disconnect_echo, use_echo_context, EchoContext, EchoFactory, EchoProvider, EchoProviderProps};
pub use echo_rs::hooks::{key_matches_prefix, EventNames, GlobalSubscription, Visibility};
pub use echo_rs::{ConnectionState, ConnectionStatus, ModelEvent, ModelPayload, Subscription, Value};
pub use hold::UseChannelReturn;
pub use query::{use_query, use_query_client, QueryClient, QueryClientProvider, QueryClientProviderProps, QueryKey, QueryState};
pub use use_connection_status::{use_connection_state, use_connection_status, use_socket_id};
pub use use_echo::{
    use_channel, use_channel_with_visibility, use_echo, use_echo_model, use_echo_notification, use_echo_presence, use_echo_public,
    use_echo_with_visibility, use_public_channel,
};
pub use use_presence_channel::{use_presence_channel, Roster, UsePresenceChannelReturn};
pub use use_realtime_event::{
    use_realtime_channel, use_realtime_channel_with_options, use_realtime_event, use_realtime_event_typed, use_realtime_event_with_options,
    UseRealtimeEventOptions,
};
pub use use_realtime_global_subscriber::use_realtime_global_subscriber;
