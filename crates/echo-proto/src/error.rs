//! Errors, one enum per layer.

use thiserror::Error;

use crate::channel::ChannelKind;

/// A frame from the server that could not be understood. The connection
/// carries on; the frame is reported and dropped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The frame is not valid JSON.
    #[error("frame is not valid JSON: {0}")]
    InvalidJson(String),
    /// The frame is JSON but not an object.
    #[error("frame is not a JSON object")]
    NotAnObject,
    /// The frame has no string `event` field.
    #[error("frame has no string `event` field")]
    MissingEvent,
    /// `pusher:connection_established` without a `socket_id`.
    #[error("pusher:connection_established carries no socket_id")]
    MissingSocketId,
    /// A binary WebSocket frame; the Pusher protocol only uses text frames.
    #[error("binary frames are not part of the Pusher protocol")]
    BinaryFrame,
    /// A presence frame (`subscription_succeeded`, `member_added`,
    /// `member_removed`) without the members data it should carry.
    #[error("malformed presence data on {channel}: {reason}")]
    InvalidPresence {
        /// The presence channel.
        channel: String,
        /// What is missing.
        reason: String,
    },
}

/// A configuration that can never connect. Reported once by
/// [`EchoOptions::validate`](crate::EchoOptions::validate); nothing retries it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// `key` is empty.
    #[error("no app key configured (options.key is empty)")]
    MissingKey,
    /// Neither `ws_host` nor `cluster` is set.
    #[error("no host configured: set ws_host (Reverb, Soketi, Sockudo) or cluster (Pusher)")]
    MissingHost,
    /// `ws_host` contains a scheme, path or whitespace.
    #[error("ws_host must be a bare host name such as `localhost`, got `{0}`")]
    InvalidHost(String),
    /// A timeout of zero.
    #[error("{0} must be greater than zero")]
    ZeroTimeout(&'static str),
    /// A timeout or delay over a year: deadlines that far away cannot be
    /// computed on every platform.
    #[error("{0} must be at most a year")]
    TimeoutTooLong(&'static str),
    /// A limit of zero, which would refuse everything it limits.
    #[error("{0} must be greater than zero")]
    ZeroLimit(&'static str),
}

/// Something the connection reports to error callbacks.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum EchoError {
    /// An in-band `pusher:error` from the server (the socket stays open).
    #[error("server error {}: {message}", ShowCode(*.code))]
    Server {
        /// The Pusher error code, when the server sent one.
        code: Option<u16>,
        /// The server's message.
        message: String,
    },
    /// The server refused the connection (close codes 4001–4099 and ≥ 4300);
    /// the client stops retrying until `connect()` is called again.
    #[error("connection refused by the server (close code {code}): {reason}")]
    Refused {
        /// The WebSocket close code.
        code: u16,
        /// The close reason the server gave.
        reason: String,
    },
    /// A frame that could not be understood.
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    /// A channel's authorization failed. Match on `cause` to react
    /// ([`AuthFailure::needs_sign_in`]: 401/419, send the user to sign in;
    /// [`AuthFailure::is_forbidden`]: 403); `reason` is the message for
    /// people (the endpoint, the status and its meaning, a hint).
    #[error("authorization for {channel} failed: {reason}")]
    Auth {
        /// The channel name, with its prefix.
        channel: String,
        /// Why, for code.
        cause: AuthFailure,
        /// What went wrong, for people.
        reason: String,
    },
    /// A client event (whisper) was refused locally and nothing was sent
    /// (not queued either): see `cause`.
    #[error("cannot whisper {event} on {channel}: {cause}")]
    ClientEvent {
        /// The channel name.
        channel: String,
        /// The event name, `client-` prefix included.
        event: String,
        /// Why.
        cause: ClientEventRefusal,
    },
    /// The server refused a subscription: a `pusher:subscription_error`
    /// naming the channel (Soketi: `{type, error, status}`); an in-band
    /// `pusher:error` 4009 (Sockudo, Reverb: a bad or missing signature),
    /// which names no channel and is attributed to the oldest private or
    /// presence subscribe still unanswered on the connection (servers answer
    /// a connection's subscribes in order); or Pusher's code-less "Invalid
    /// signature" error, whose message names `{socket_id}:{channel}`. The
    /// channel is tried again on the next connection or `subscribe`.
    #[error("subscription to {channel} refused by the server{}: {message}", ShowRefusal(*.code, *.status))]
    SubscriptionRefused {
        /// The channel name.
        channel: String,
        /// The Pusher error code of a `pusher:error` (4009).
        code: Option<u16>,
        /// The HTTP-like status of a `pusher:subscription_error` (401).
        status: Option<u16>,
        /// The server's message (`type: error` for Soketi's form).
        message: String,
    },
    /// The configuration can never connect.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// An event's data did not decode into the type a typed listener
    /// (`echo_rs::Channel::listen_typed`) asked for;
    /// the event is reported instead of delivered.
    #[error("could not decode {event} on {channel}: {reason}")]
    Decode {
        /// The channel name, with its prefix.
        channel: String,
        /// The event name as sent by the server (e.g. `RoomsUpdated`).
        event: String,
        /// The decoder's message (serde's, naming the field and position).
        reason: String,
    },
    /// Neither `subscription_succeeded` nor an error came within
    /// `EchoOptions::subscription_timeout` of subscribing (or of asking for
    /// authorization); the channel is tried again on the next connection or
    /// `subscribe`.
    #[error("no answer to subscribing {channel} within {}", ShowDuration(*.timeout))]
    SubscriptionTimeout {
        /// The channel name.
        channel: String,
        /// The timeout that passed.
        timeout: std::time::Duration,
    },
    /// An event of a `private-encrypted-*` channel could not be decrypted
    /// and was dropped: it never reaches event listeners, and this error
    /// reaches the channel's `error` listeners (then `Echo::on_error`'s).
    #[error("dropped {event} on {channel}: {reason}")]
    Decrypt {
        /// The channel name.
        channel: String,
        /// The event name.
        event: String,
        /// Why it could not be decrypted.
        reason: String,
    },
}

/// Why a channel authorization failed: the `cause` of [`EchoError::Auth`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthFailure {
    /// The auth endpoint answered this HTTP status, outside 200–299.
    /// Laravel answers 401 (not signed in), 403 (signed in, but the
    /// channel's callback refused), 419 (CSRF token or session expired).
    Status(u16),
    /// The endpoint answered 2xx with a body that is not JSON (an HTML
    /// sign-in page, a proxy's error page).
    NotJson,
    /// The answer lacks a field the channel needs: `auth`, `channel_data`
    /// (presence channels), `shared_secret` (encrypted channels).
    MissingField(&'static str),
    /// A field of the answer is unusable: not a string, or a
    /// `shared_secret` that is not 32 bytes of base64.
    InvalidField(&'static str),
    /// The request did not complete: the network, DNS, a refused
    /// connection, TLS, or (in the browser) CORS.
    Transport,
    /// The app's custom authorizer (`echo_rs::Authorizer`) failed with an
    /// error that is not an [`EchoError::Auth`] (which would carry its own
    /// cause); `reason` carries its message.
    Authorizer,
    /// A cargo feature the channel needs is not compiled in
    /// (`"encryption"` for `private-encrypted-` channels).
    FeatureMissing(&'static str),
    /// The runtime cannot make HTTP requests and no authorizer was given.
    NoHttpClient,
}

impl AuthFailure {
    /// The HTTP status, for [`Status`](Self::Status).
    pub fn status(self) -> Option<u16> {
        match self {
            Self::Status(status) => Some(status),
            _ => None,
        }
    }

    /// Whether the user must sign in (again): HTTP 401 (not signed in) or
    /// 419 (Laravel's "page expired": the session or its CSRF token
    /// expired).
    pub fn needs_sign_in(self) -> bool {
        matches!(self, Self::Status(401 | 419))
    }

    /// Whether the user is signed in but not allowed on the channel: HTTP
    /// 403 (the channel's authorization callback returned false).
    pub fn is_forbidden(self) -> bool {
        self == Self::Status(403)
    }
}

/// Why a client event (whisper) was refused locally: the `cause` of
/// [`EchoError::ClientEvent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClientEventRefusal {
    /// The protocol allows client events on private and presence channels
    /// only: not on public ones, and not on encrypted ones (the server
    /// could not read them).
    ChannelKind(ChannelKind),
    /// The channel is not subscribed on the current connection (yet, or
    /// any more).
    NotSubscribed,
    /// The whole frame is `bytes` long, over `EchoOptions::client_event_max_bytes`
    /// (`limit`, 10,000 by default: Pusher's 10 KB, Reverb's default
    /// `max_message_size`).
    TooLarge {
        /// The size of the frame that would have been sent.
        bytes: usize,
        /// `EchoOptions::client_event_max_bytes`.
        limit: usize,
    },
    /// `limit` client events (`EchoOptions::client_events_per_second`, 10
    /// by default, Pusher's limit) were already sent in the last second on
    /// this connection; sending more would earn a 4301 error from the
    /// server, or a closed connection. Try later; a typing indicator can be
    /// dropped.
    RateLimited {
        /// `EchoOptions::client_events_per_second`.
        limit: u32,
    },
}

impl std::fmt::Display for ClientEventRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ChannelKind(ChannelKind::PrivateEncrypted) => {
                f.write_str("client events are not allowed on encrypted channels (the server could not read them)")
            }
            Self::ChannelKind(_) => f.write_str("client events are allowed on private and presence channels only"),
            Self::NotSubscribed => f.write_str("the channel is not subscribed yet"),
            Self::TooLarge { bytes, limit } => write!(f, "the frame is {bytes} bytes, over the limit of {limit}"),
            Self::RateLimited { limit } => write!(f, "over {limit} client events in one second"),
        }
    }
}

impl EchoError {
    /// The channel this error is about, when it is about one.
    pub fn channel(&self) -> Option<&str> {
        match self {
            Self::Auth { channel, .. }
            | Self::ClientEvent { channel, .. }
            | Self::SubscriptionRefused { channel, .. }
            | Self::Decode { channel, .. }
            | Self::SubscriptionTimeout { channel, .. }
            | Self::Decrypt { channel, .. } => Some(channel),
            Self::Protocol(ProtocolError::InvalidPresence { channel, .. }) => Some(channel),
            _ => None,
        }
    }

    /// Whether this is a channel's failed subscription ([`EchoError::Auth`],
    /// [`EchoError::SubscriptionRefused`], [`EchoError::SubscriptionTimeout`]),
    /// after which the channel is not subscribed, rather than a problem with
    /// one event of a subscribed channel (`Decode`, `Decrypt`) or a refused
    /// whisper (`ClientEvent`).
    pub fn is_subscription_failure(&self) -> bool {
        matches!(
            self,
            Self::Auth { .. } | Self::SubscriptionRefused { .. } | Self::SubscriptionTimeout { .. }
        )
    }

    /// The cause of an [`EchoError::Auth`].
    pub fn auth_failure(&self) -> Option<AuthFailure> {
        match self {
            Self::Auth { cause, .. } => Some(*cause),
            _ => None,
        }
    }

    /// Whether the user must sign in (again) before this can succeed: an
    /// authorization answered 401 or 419 ([`AuthFailure::needs_sign_in`]).
    pub fn needs_sign_in(&self) -> bool {
        self.auth_failure().is_some_and(AuthFailure::needs_sign_in)
    }

    /// Whether the user is not allowed on the channel: an authorization
    /// answered 403 ([`AuthFailure::is_forbidden`]).
    pub fn is_forbidden(&self) -> bool {
        self.auth_failure().is_some_and(AuthFailure::is_forbidden)
    }
}

/// Prints a `Duration` as its `Debug` does (`10s`, `1.5s`, `250ms`) with
/// integer formatting only: `Debug`'s decimal code costs wasm size.
pub(crate) struct ShowDuration(pub(crate) std::time::Duration);

impl std::fmt::Display for ShowDuration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (secs, nanos) = (self.0.as_secs(), self.0.subsec_nanos());
        let (whole, mut frac, mut unit_digit, unit) = if secs > 0 {
            (secs, nanos, 100_000_000, "s")
        } else if nanos >= 1_000_000 {
            (u64::from(nanos / 1_000_000), nanos % 1_000_000, 100_000, "ms")
        } else if nanos >= 1_000 {
            (u64::from(nanos / 1_000), nanos % 1_000, 100, "µs")
        } else {
            (u64::from(nanos), 0, 1, "ns")
        };
        write!(f, "{whole}")?;
        if frac > 0 {
            f.write_str(".")?;
            while frac > 0 && unit_digit > 0 {
                write!(f, "{}", frac / unit_digit)?;
                frac %= unit_digit;
                unit_digit /= 10;
            }
        }
        f.write_str(unit)
    }
}

/// Prints a refusal's code and status: ` (4009)`, ` (status 401)`, or nothing.
struct ShowRefusal(Option<u16>, Option<u16>);

impl std::fmt::Display for ShowRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.0, self.1) {
            (Some(code), _) => write!(f, " ({code})"),
            (None, Some(status)) => write!(f, " (status {status})"),
            (None, None) => Ok(()),
        }
    }
}

/// Prints an `Option<u16>` as its `Debug` does (`Some(4009)`, `None`).
struct ShowCode(Option<u16>);

impl std::fmt::Display for ShowCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(code) => write!(f, "Some({code})"),
            None => f.write_str("None"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn durations_and_codes_print_as_their_debug() {
        for d in [
            Duration::from_secs(10),
            Duration::from_millis(1500),
            Duration::from_millis(250),
            Duration::from_micros(1250),
            Duration::from_nanos(1_000_000_001),
            Duration::from_nanos(7),
            Duration::from_micros(3),
            Duration::ZERO,
        ] {
            assert_eq!(ShowDuration(d).to_string(), format!("{d:?}"));
        }
        assert_eq!(ShowCode(Some(4009)).to_string(), format!("{:?}", Some(4009)));
        assert_eq!(ShowCode(None).to_string(), "None");
    }
}
