//! What the core reports: its connection states and the outputs its shell
//! drains with [`Connection::poll_output`](super::Connection::poll_output).

use std::time::Duration;

use serde_json::Value;

use super::Member;
use crate::error::EchoError;
use crate::frame::Frame;

/// Connection states, as pusher-js names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionState {
    /// Created, `connect()` not called yet.
    Initialized,
    /// Opening a socket or waiting for the handshake; also between retries.
    Connecting,
    /// `pusher:connection_established` received.
    Connected,
    /// Connecting for longer than `unavailable_timeout`; retrying goes on.
    Unavailable,
    /// Refused by the server or badly configured; no retries until `connect()`.
    Failed,
    /// `disconnect()` was called; sticky until `connect()`.
    Disconnected,
}

impl ConnectionState {
    /// The lower-case name pusher-js uses (`"connected"` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initialized => "initialized",
            Self::Connecting => "connecting",
            Self::Connected => "connected",
            Self::Unavailable => "unavailable",
            Self::Failed => "failed",
            Self::Disconnected => "disconnected",
        }
    }
}

/// Laravel Echo's connection status (`connectionStatus()`,
/// echo-react `useConnectionStatus`): pusher-js's six states folded into
/// five, with a `reconnecting` that Echo declares but never reports for
/// Pusher-protocol servers.
///
/// | [`ConnectionState`] | Never connected since `connect()` | Was connected since `connect()` |
/// |---|---|---|
/// | `Initialized` | `Disconnected` | — |
/// | `Connecting` | `Connecting` | **`Reconnecting`** |
/// | `Connected` | `Connected` | `Connected` |
/// | `Unavailable` | `Failed` (as Echo) | **`Reconnecting`** |
/// | `Failed` | `Failed` | `Failed` |
/// | `Disconnected` | `Disconnected` | `Disconnected` |
///
/// Echo folds `unavailable` into `failed` even while pusher-js keeps
/// retrying; echo-rs does so only for a client that has not connected yet
/// (the server is unreachable): a connection that was up and is being
/// re-established is `Reconnecting` however long that takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionStatus {
    /// Connected (`pusher:connection_established` received).
    Connected,
    /// Connecting for the first time since `connect()`.
    Connecting,
    /// A connection that was up is lost and being re-established.
    Reconnecting,
    /// Not connected and not trying: never started, or `disconnect()`ed.
    Disconnected,
    /// Refused or misconfigured (no retries until `connect()`), or
    /// unreachable before the first connection.
    Failed,
}

impl ConnectionStatus {
    /// The status of a connection in `state`; `was_connected` tells whether
    /// it was connected at some point since the last `connect()` (see the
    /// table above).
    pub fn from_state(state: ConnectionState, was_connected: bool) -> Self {
        match state {
            ConnectionState::Connected => Self::Connected,
            ConnectionState::Connecting | ConnectionState::Unavailable if was_connected => Self::Reconnecting,
            ConnectionState::Connecting => Self::Connecting,
            ConnectionState::Unavailable | ConnectionState::Failed => Self::Failed,
            ConnectionState::Initialized | ConnectionState::Disconnected => Self::Disconnected,
        }
    }

    /// The lower-case name Laravel Echo uses (`"reconnecting"` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connected => "connected",
            Self::Connecting => "connecting",
            Self::Reconnecting => "reconnecting",
            Self::Disconnected => "disconnected",
            Self::Failed => "failed",
        }
    }
}

/// What the core asks its shell to do, or reports to the application.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Open a WebSocket to this URL, replacing any socket still open.
    OpenSocket {
        /// The full `ws[s]://…/app/{key}?protocol=7…` URL.
        url: String,
    },
    /// Close the current socket and report nothing more from it.
    CloseSocket,
    /// Send this text frame on the current socket.
    Send(String),
    /// Authorize `channel` for `socket_id` and answer with
    /// [`Connection::handle_auth`](super::Connection::handle_auth).
    Authorize {
        /// The full channel name (`private-…`, `presence-…`).
        channel: String,
        /// The socket id the signature must be made for.
        socket_id: String,
    },
    /// The connection state changed.
    StateChange {
        /// The state before.
        previous: ConnectionState,
        /// The state now.
        current: ConnectionState,
        /// Echo's status now ([`ConnectionStatus::from_state`]).
        status: ConnectionStatus,
    },
    /// The next connection attempt starts after this delay (pusher-js
    /// `connecting_in`).
    ConnectingIn(Duration),
    /// A channel's subscription succeeded.
    Subscribed {
        /// The channel name.
        channel: String,
        /// `true` when this channel had been subscribed on an earlier
        /// connection: events sent in between were missed.
        resubscribed: bool,
        /// The decoded `subscription_succeeded` data (presence members …).
        data: Value,
    },
    /// A channel's subscription failed; the channel stays wanted and is tried
    /// again on the next connection or `subscribe`.
    SubscriptionError {
        /// The channel name.
        channel: String,
        /// Why.
        error: EchoError,
    },
    /// A frame for a channel the client is subscribed to, or a connection
    /// level event that is not a protocol control frame.
    Event(Frame),
    /// A problem on a channel that is not a failed subscription (an event of
    /// an encrypted channel that does not decrypt): for the channel's `error`
    /// listeners. The channel stays subscribed.
    ChannelError {
        /// The channel name.
        channel: String,
        /// What went wrong.
        error: EchoError,
    },
    /// A problem to report to the client-wide error callbacks; the
    /// connection carries on unless a state change says otherwise. Not a
    /// channel's failed subscription or undecryptable event (those are
    /// [`Output::SubscriptionError`] and [`Output::ChannelError`]); it may
    /// still name a channel (a malformed presence frame, a `pusher:error`
    /// naming a channel that is not waiting for an answer).
    Error(EchoError),
    /// A presence channel's subscription succeeded (every time, reconnects
    /// included): `members` is the whole member list, replacing any earlier
    /// one (pusher-js `pusher:subscription_succeeded` with `members`, Echo
    /// `here`). Follows the channel's [`Output::Subscribed`].
    Here {
        /// The presence channel.
        channel: String,
        /// Every member, in the server's order.
        members: Vec<Member>,
    },
    /// `pusher_internal:member_added` on a presence channel (pusher-js
    /// `pusher:member_added`, Echo `joining`). Reported even when the member
    /// was already there, as pusher-js does; its info is updated then and
    /// the count is not.
    MemberAdded {
        /// The presence channel.
        channel: String,
        /// The member who joined.
        member: Member,
    },
    /// `pusher_internal:member_removed` for a member that was there (pusher-js
    /// `pusher:member_removed`, Echo `leaving`).
    MemberRemoved {
        /// The presence channel.
        channel: String,
        /// The member who left, with the info it had.
        member: Member,
    },
}
