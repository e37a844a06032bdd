//! # echo-proto
//!
//! The sans-IO core of [laravel-echo-rs](https://docs.rs/laravel-echo-rs): a
//! Pusher Channels protocol (version 7) connection with Laravel Echo's
//! conventions, as a state machine. Frames and time go in; frames to send,
//! sockets to open, authorizations to perform, events and the next deadline
//! come out. Nothing here reads a clock, holds a socket or touches a browser:
//! the crate depends on no IO library, so that is checked by the compiler, as
//! in quinn-proto. The client (`echo_rs::Echo`) owns the IO and drives a
//! [`Connection`]; so can anyone writing their own shell.
//!
//! | | |
//! |---|---|
//! | The state machine | [`Connection`], what it asks for ([`Output`]), its [`ConnectionState`] |
//! | Options | [`EchoOptions`] (Laravel Echo's option names and defaults), [`ConfigError`] |
//! | Frames | [`Frame`], [`EventData`] (payloads decoded lazily) |
//! | Channels | [`channel`]: kinds, which need authorization, which may send client events, Echo's name prefixes |
//! | Authorization | [`AuthRequest`], [`parse_auth_response`], [`ChannelAuth`] (Laravel's `/broadcasting/auth`) |
//! | Presence | [`Member`], [`Members`] |
//! | Close codes and backoff | [`close_action`], [`CloseAction`], [`reconnect_delay`] |
//! | Event names | [`format_event_name`], [`unformat_event_name`] (Echo's namespace rule) |
//! | Errors | [`EchoError`], [`ProtocolError`] |
//!
//! ## Driving the core
//!
//! ```
//! use echo_proto::{Connection, EchoOptions, Output};
//! use web_time::Instant;
//!
//! let now = Instant::now();
//! let mut conn = Connection::new(EchoOptions::reverb("local-key", "127.0.0.1", 6001, "http"), false, 7);
//! conn.subscribe("rooms", now);
//! conn.connect(now);
//! conn.handle_open(now);
//! conn.handle_message(now, r#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":120}"}"#);
//! let sent: Vec<String> = std::iter::from_fn(|| conn.poll_output())
//!     .filter_map(|o| match o { Output::Send(text) => Some(text), _ => None })
//!     .collect();
//! assert_eq!(sent, [r#"{"event":"pusher:subscribe","data":{"channel":"rooms"}}"#]);
//! ```
//!
//! ## Features
//!
//! - `encryption` (default): `private-encrypted-` channels (NaCl secretbox,
//!   base64 keys). Without it, an encrypted channel fails at authorization
//!   with an [`EchoError::Auth`] naming the feature.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
pub mod channel;
mod close_code;
mod error;
mod event_name;
mod frame;
pub mod model;
mod options;
mod origin;
mod protocol;

pub use auth::{add_header_once, check_auth, parse_auth_response, AuthCredentials, AuthRequest, ChannelAuth};
pub use close_code::{close_action, CloseAction, BACKOFF_FLOOR};
pub use error::{AuthFailure, ClientEventRefusal, ConfigError, EchoError, ProtocolError};
pub use event_name::{format_event_name, is_protocol_event, unformat_event_name, DEFAULT_NAMESPACE};
pub use frame::{EventData, Frame};
pub use model::{model_channel_name, model_event_name, ModelEvent, ModelPayload};
pub use options::{EchoOptions, CLIENT_NAME, PROTOCOL_VERSION};
pub use origin::is_same_origin;
pub use protocol::{reconnect_delay, user_id_string, Connection, ConnectionState, ConnectionStatus, Member, Members, Output};
pub use serde_json::Value;
pub use web_time;
