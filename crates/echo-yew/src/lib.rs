//! # echo-yew
//!
//! Yew 0.23 hooks over [`echo_rs`], with the guarantees of echo-leptos: one
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
//! This is the first part of the crate: the provider, `use_realtime_event`,
//! `use_connection_status` and `use_socket_id`. The other hooks of
//! echo-leptos follow.
#![warn(missing_docs)]

mod context;
mod use_connection_status;
mod use_realtime_event;

pub use context::{use_disconnect_echo, use_echo_context, EchoContext, EchoFactory, EchoProvider, EchoProviderProps};
pub use echo_rs::{ConnectionState, ConnectionStatus, Value};
pub use use_connection_status::{use_connection_state, use_connection_status, use_socket_id};
pub use use_realtime_event::{use_realtime_event, use_realtime_event_with_options, UseRealtimeEventOptions};
