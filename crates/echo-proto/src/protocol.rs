//! The sans-IO protocol core: frames and time in; frames, events and the next
//! deadline out. No clock is read and no socket is held here, so every
//! behaviour can be driven from a test with scripted frames and a fake clock
//! (the shape of quinn-proto's `Connection`).
//!
//! Behaviour follows pusher-js's `ConnectionManager` and `Channel`s
//! (`src/core/connection/connection_manager.ts`, `src/core/channels/`):
//! the client, not the socket, owns the channel table; every
//! `pusher:connection_established` subscribes again every channel not left.

//!
//! The module by concept, as quinn-proto splits its connection:
//!
//! | File | What it holds |
//! |---|---|
//! | `protocol.rs` | [`Connection`]: its fields and every public call |
//! | `output.rs` | [`Output`] and [`ConnectionState`]: what the shell is told |
//! | `timers.rs` | the connection timers, one enum and a table of what each does |
//! | `lifecycle.rs` | attempts, handshake, losing the socket, retry by close code |
//! | `backoff.rs` | the reconnect delay, a pure function with a table test |
//! | `channels.rs` | the channel table, subscription states, who an error answers |
//! | `presence.rs` | presence members |
//! | `encrypted.rs` | `private-encrypted-` keys, decryption and re-keying |

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use serde_json::{json, Value};
use web_time::Instant;

use crate::auth::ChannelAuth;
use crate::channel::{self, ChannelKind};
use crate::error::{AuthFailure, ClientEventRefusal, EchoError, ProtocolError};
use crate::frame::{self, Frame};
use crate::options::EchoOptions;

mod backoff;
mod channels;
mod encrypted;
mod lifecycle;
mod output;
mod presence;
mod timers;

pub use backoff::reconnect_delay;
use channels::{ChannelEntry, SubState};
pub use output::{ConnectionState, ConnectionStatus, Output};
pub use presence::{user_id_string, Member, Members};
use timers::{Timer, Timers, TIMERS};

/// The Pusher protocol client state machine.
///
/// # Contract
///
/// - **Calls queue, polls drain.** The app's calls ([`connect`](Self::connect),
///   [`disconnect`](Self::disconnect), [`subscribe`](Self::subscribe),
///   [`unsubscribe`](Self::unsubscribe), [`send_client_event`](Self::send_client_event),
///   [`check_liveness`](Self::check_liveness)) and the shell's reports
///   ([`handle_open`](Self::handle_open), [`handle_message`](Self::handle_message),
///   [`handle_binary`](Self::handle_binary), [`handle_close`](Self::handle_close),
///   [`handle_auth`](Self::handle_auth), [`handle_timeout`](Self::handle_timeout))
///   do no IO: they change the state and queue [`Output`]s. After each, the
///   shell drains [`poll_output`](Self::poll_output) until `None` and does
///   what the outputs say, in order.
/// - **Time comes from the shell.** Every `now` is from one monotonic clock
///   and never goes backwards (`web_time::Instant`: `std::time::Instant`
///   natively, `performance.now()` in the browser). After draining, the
///   shell sleeps until [`poll_timeout`](Self::poll_timeout) and then calls
///   [`handle_timeout`](Self::handle_timeout) with the time it woke (late is
///   fine, early fires nothing).
/// - **One socket at a time.** [`Output::OpenSocket`] replaces any socket
///   still open; after [`Output::CloseSocket`] (or an `OpenSocket`) the old
///   socket's events must not be reported any more.
/// - **Each [`Output::Authorize`] gets one answer** through
///   [`handle_auth`](Self::handle_auth), whenever it comes: an answer for an
///   older socket id, or for a channel left meanwhile, is dropped.
/// - **Nothing a server sends panics it.** A malformed frame becomes an
///   [`Output::Error`], never a panic.
#[derive(Debug)]
pub struct Connection {
    options: EchoOptions,
    tls: bool,
    state: ConnectionState,
    /// Connected at some point since the last `connect()` (for
    /// [`ConnectionStatus::Reconnecting`]).
    was_connected: bool,
    wants_connection: bool,
    socket_exists: bool,
    socket_id: Option<String>,
    activity_timeout: Duration,
    attempts: u32,
    /// The earliest a scheduled retry may start, whatever wakes the client
    /// up: the close time plus its action's floor (1 s after a 4100).
    earliest_retry: Option<Instant>,
    timers: Timers,
    channels: BTreeMap<String, ChannelEntry>,
    /// Authorized subscribes (private, presence) sent on this connection and
    /// not answered yet, oldest first, with their numbers: a channel-less
    /// `pusher:error` 4009 answers the oldest (servers answer a connection's
    /// subscribes in order). Kept for channels left while pending, so that
    /// their answer is not pinned on the next one.
    auth_answers: VecDeque<(String, u64)>,
    next_seq: u64,
    /// When the client events of the last second were sent, oldest first.
    client_events: VecDeque<Instant>,
    outputs: VecDeque<Output>,
    rng: u64,
}

impl Connection {
    /// A new connection in state `initialized`. `page_is_https` forces TLS
    /// like pusher-js does on https pages; `seed` feeds the reconnect jitter.
    pub fn new(options: EchoOptions, page_is_https: bool, seed: u64) -> Self {
        let tls = options.force_tls || page_is_https;
        let activity_timeout = options.activity_timeout;
        Self {
            options,
            tls,
            state: ConnectionState::Initialized,
            was_connected: false,
            wants_connection: false,
            socket_exists: false,
            socket_id: None,
            activity_timeout,
            attempts: 0,
            earliest_retry: None,
            timers: Timers::default(),
            channels: BTreeMap::new(),
            auth_answers: VecDeque::new(),
            next_seq: 0,
            client_events: VecDeque::new(),
            outputs: VecDeque::new(),
            rng: seed | 1,
        }
    }

    /// The options this connection was built with.
    pub fn options(&self) -> &EchoOptions {
        &self.options
    }

    /// The current state.
    pub fn state(&self) -> ConnectionState {
        self.state
    }

    /// Laravel Echo's status of the connection (`connectionStatus()`), with
    /// a real `Reconnecting`: see [`ConnectionStatus`].
    pub fn status(&self) -> ConnectionStatus {
        ConnectionStatus::from_state(self.state, self.was_connected)
    }

    /// The socket id of the current connection (Echo `socketId()`), `None`
    /// unless connected.
    pub fn socket_id(&self) -> Option<&str> {
        self.socket_id.as_deref()
    }

    /// The activity timeout in force: the shorter of the client's and the
    /// server's.
    pub fn activity_timeout(&self) -> Duration {
        self.activity_timeout
    }

    /// Channels the client wants, subscribed or not.
    pub fn channels(&self) -> impl Iterator<Item = &str> {
        self.channels.keys().map(String::as_str)
    }

    /// Whether `channel` is subscribed on the current connection.
    pub fn is_subscribed(&self, channel: &str) -> bool {
        self.channels.get(channel).is_some_and(|c| c.state == SubState::Subscribed)
    }

    /// The next thing to do, if any.
    #[must_use = "every output must be acted on, in order"]
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// The earliest deadline at which [`handle_timeout`](Self::handle_timeout)
    /// must be called: connection timers, subscription timeouts and waits for
    /// an encrypted channel's fresh key.
    #[must_use = "the shell must wake at this deadline and call handle_timeout"]
    pub fn poll_timeout(&self) -> Option<Instant> {
        let channels = self.channels.values().flat_map(|e| {
            let subscribing = matches!(e.state, SubState::Authorizing(_) | SubState::Pending);
            let deadline = e.deadline.filter(|_| subscribing);
            deadline.into_iter().chain(e.rekey.as_ref().map(|r| r.deadline()))
        });
        self.timers.values().chain(channels).min()
    }

    /// Starts connecting (pusher-js `connect()`, Echo `connect()`). Does
    /// nothing while connecting or connected. Validates the options first: a
    /// bad configuration moves to `failed` with one [`EchoError::Config`] and
    /// never retries.
    pub fn connect(&mut self, now: Instant) {
        if self.wants_connection && self.state != ConnectionState::Failed {
            return;
        }
        if let Err(error) = self.options.validate() {
            self.set_state(ConnectionState::Failed);
            self.outputs.push_back(Output::Error(error.into()));
            return;
        }
        self.wants_connection = true;
        self.was_connected = false;
        self.attempts = 0;
        self.start_attempt(now);
    }

    /// Closes the connection and stays disconnected until
    /// [`connect`](Self::connect) (pusher-js `disconnect()`). Channels and the
    /// listeners kept by the shell are kept.
    pub fn disconnect(&mut self, _now: Instant) {
        self.wants_connection = false;
        self.drop_socket();
        self.timers.clear();
        self.was_connected = false;
        self.set_state(ConnectionState::Disconnected);
    }

    /// Checks liveness at once (browser `online` event, page became
    /// visible): when connected, pings and waits at most
    /// `EchoOptions::liveness_timeout` (3 s) for any frame before replacing
    /// the socket at once; when waiting to reconnect, retries at once, or as
    /// soon as the close code allows (never sooner than 1 s after a
    /// 4100–4199: the server asked every client to back off).
    /// While a ping is unanswered no second one is sent: several wake-up
    /// signals at once give one ping, and only shorten its deadline.
    pub fn check_liveness(&mut self, now: Instant) {
        match self.state {
            ConnectionState::Connected => {
                let deadline = now + self.options.liveness_timeout.min(self.options.pong_timeout);
                self.send_ping(deadline);
            }
            ConnectionState::Connecting | ConnectionState::Unavailable if !self.socket_exists => {
                let Some(scheduled) = self.timers.get(Timer::Reconnect) else {
                    return;
                };
                let earliest = self.earliest_retry.map_or(now, |earliest| earliest.max(now));
                if earliest <= now {
                    self.timers.remove(Timer::Reconnect);
                    self.start_attempt(now);
                } else if earliest < scheduled {
                    self.timers.insert(Timer::Reconnect, earliest);
                }
            }
            _ => {}
        }
    }

    /// Adds `channel` to the channel table and subscribes when connected
    /// (pusher-js `subscribe`). Subscribing while disconnected queues it.
    /// Subscribing twice is one subscription. A `presence-*` channel gets a
    /// [`Members`] set ([`members`](Self::members)).
    pub fn subscribe(&mut self, channel: &str, now: Instant) {
        self.channels.entry(channel.to_owned()).or_insert(ChannelEntry {
            state: SubState::Idle,
            ever_subscribed: false,
            deadline: None,
            members: channel::is_presence(channel).then(Box::default),
            key: None,
            rekey: None,
            rekey_blocked_until: None,
            seq: 0,
        });
        self.subscribe_if_idle(channel, now);
    }

    /// Leaves `channel` (pusher-js `unsubscribe`, Echo `leaveChannel`).
    /// A pending authorization is cancelled; later frames for it are ignored.
    ///
    /// A channel whose `pusher:subscribe` was sent (pending or subscribed) is
    /// unsubscribed at once, exactly once: a `subscription_succeeded`
    /// answering the earlier subscribe is then ignored, since the server
    /// handles the unsubscribe after it. (pusher-js instead waits for the
    /// answer and unsubscribes then; sending at once stops events sooner.)
    pub fn unsubscribe(&mut self, channel: &str, _now: Instant) {
        if let Some(entry) = self.channels.remove(channel) {
            if self.state == ConnectionState::Connected && matches!(entry.state, SubState::Pending | SubState::Subscribed) {
                self.outputs.push_back(Output::Send(frame::unsubscribe(channel)));
            }
        }
    }

    /// Sends the client event `client-{event}` (a whisper; `client-`
    /// prefixes already there are replaced by one, as
    /// `Channel::listen_for_whisper` does) on `channel` (pusher-js
    /// `channel.trigger`, Echo `whisper`).
    ///
    /// # Errors
    /// [`EchoError::ClientEvent`], and nothing is sent or queued, with the
    /// [`ClientEventRefusal`](crate::ClientEventRefusal) as its cause:
    /// - `ChannelKind`: `channel` is public or `private-encrypted-` (the
    ///   protocol allows client events on private and presence channels
    ///   only; the rule is [`ChannelKind::allows_client_events`]);
    /// - `NotSubscribed`: not subscribed on this connection;
    /// - `TooLarge`: the frame is over `EchoOptions::client_event_max_bytes`
    ///   (10,000);
    /// - `RateLimited`: `client_events_per_second` (10) client events were
    ///   already sent in the second before `now`.
    pub fn send_client_event(&mut self, channel: &str, event: &str, data: &Value, now: Instant) -> Result<(), EchoError> {
        let event = channel::client_event_name(event);
        let refuse = |event: String, cause: ClientEventRefusal| {
            Err(EchoError::ClientEvent {
                channel: channel.to_owned(),
                event,
                cause,
            })
        };
        let kind = ChannelKind::of(channel);
        if !kind.allows_client_events() {
            return refuse(event, ClientEventRefusal::ChannelKind(kind));
        }
        if self.state != ConnectionState::Connected || !self.is_subscribed(channel) {
            return refuse(event, ClientEventRefusal::NotSubscribed);
        }
        let text = frame::encode(&event, Some(channel), data);
        if text.len() > self.options.client_event_max_bytes {
            let limit = self.options.client_event_max_bytes;
            return refuse(event, ClientEventRefusal::TooLarge { bytes: text.len(), limit });
        }
        let window_start = now.checked_sub(Duration::from_secs(1));
        while self.client_events.front().is_some_and(|sent| Some(*sent) <= window_start) {
            self.client_events.pop_front();
        }
        let limit = self.options.client_events_per_second;
        if self.client_events.len() >= limit as usize {
            return refuse(event, ClientEventRefusal::RateLimited { limit });
        }
        self.client_events.push_back(now);
        self.outputs.push_back(Output::Send(text));
        Ok(())
    }

    /// The answer to an [`Output::Authorize`]. An answer for another socket
    /// id than the current one, or for a channel left meanwhile, is dropped.
    ///
    /// Presence channels take `me` from `channel_data.user_id`; encrypted
    /// channels need a base64 32-byte `shared_secret` (else a
    /// [`Output::SubscriptionError`]). The answer to a re-authorization for a
    /// fresh key of an encrypted channel retries the events held for it.
    pub fn handle_auth(&mut self, channel: &str, socket_id: &str, result: Result<ChannelAuth, EchoError>) {
        if self.is_rekey_answer(channel, socket_id)
            && self
                .channels
                .get(channel)
                .is_some_and(|e| e.state != SubState::Authorizing(socket_id.to_owned()))
        {
            self.finish_rekey(channel, result);
            return;
        }
        let current = self.socket_id.as_deref() == Some(socket_id);
        let Some(entry) = self.channels.get_mut(channel) else { return };
        if !current || entry.state != SubState::Authorizing(socket_id.to_owned()) {
            return;
        }
        match result {
            Ok(auth) => {
                if channel::is_presence(channel) && auth.channel_data.is_none() {
                    entry.state = SubState::Idle;
                    self.outputs.push_back(Output::SubscriptionError {
                        channel: channel.to_owned(),
                        error: EchoError::Auth {
                            channel: channel.to_owned(),
                            cause: AuthFailure::MissingField("channel_data"),
                            reason: "the auth response has no channel_data, which presence channels need".into(),
                        },
                    });
                    return;
                }
                if let Some(members) = &mut entry.members {
                    members.set_my_id(auth.channel_data.as_deref());
                }
                entry.state = SubState::Pending;
                if channel::is_encrypted(channel) {
                    if let Err((cause, reason)) = self.store_shared_key(channel, &auth) {
                        if let Some(entry) = self.channels.get_mut(channel) {
                            entry.state = SubState::Idle;
                        }
                        let error = EchoError::Auth {
                            channel: channel.to_owned(),
                            cause,
                            reason,
                        };
                        self.outputs.push_back(Output::SubscriptionError {
                            channel: channel.to_owned(),
                            error,
                        });
                        return;
                    }
                }
                self.next_seq += 1;
                let seq = self.next_seq;
                if let Some(entry) = self.channels.get_mut(channel) {
                    entry.seq = seq;
                }
                self.auth_answers.push_back((channel.to_owned(), seq));
                self.outputs.push_back(Output::Send(frame::subscribe(
                    channel,
                    Some(&auth.auth),
                    auth.channel_data.as_deref(),
                )));
            }
            Err(error) => {
                entry.state = SubState::Idle;
                self.outputs.push_back(Output::SubscriptionError {
                    channel: channel.to_owned(),
                    error,
                });
            }
        }
    }

    /// The socket opened; the handshake is awaited. Ignored when no socket
    /// was asked for ([`Output::OpenSocket`]).
    pub fn handle_open(&mut self, now: Instant) {
        if !self.socket_exists {
            return;
        }
        self.timers.insert(Timer::Handshake, now + self.options.handshake_timeout);
    }

    /// A text frame arrived. Ignored when no socket was asked for (after
    /// `disconnect()`, a refusal, or options that failed validation).
    pub fn handle_message(&mut self, now: Instant, text: &str) {
        if !self.socket_exists {
            return;
        }
        if self.state == ConnectionState::Connected {
            self.timers.remove(Timer::Pong);
            self.timers.insert(Timer::Activity, now + self.activity_timeout);
        }
        let frame = match Frame::parse(text) {
            Ok(frame) => frame,
            Err(error) => {
                self.outputs.push_back(Output::Error(error.into()));
                return;
            }
        };
        match frame.event.as_str() {
            "pusher:connection_established" => self.on_established(now, &frame.data),
            "pusher:ping" => self.outputs.push_back(Output::Send(frame::encode("pusher:pong", None, &json!({})))),
            "pusher:pong" => {}
            "pusher:error" => self.on_server_error(now, frame.channel.as_deref(), &frame.data),
            "pusher:subscription_error" => self.on_subscription_error(&frame),
            "pusher_internal:subscription_succeeded" => self.on_subscription_succeeded(frame),
            _ => self.on_event(now, frame),
        }
    }

    /// Fires every timer whose deadline is at or before `now`, including
    /// channel subscription timeouts.
    pub fn handle_timeout(&mut self, now: Instant) {
        for timer in TIMERS {
            if self.timers.get(timer).is_some_and(|deadline| deadline <= now) {
                self.timers.remove(timer);
                self.on_timer(timer, now);
            }
        }
        self.on_channel_timeouts(now);
    }

    /// A binary frame arrived; the Pusher protocol has none, so it is
    /// reported and dropped.
    pub fn handle_binary(&mut self) {
        self.outputs.push_back(Output::Error(ProtocolError::BinaryFrame.into()));
    }

    /// The socket closed (or failed) with an optional close code.
    pub fn handle_close(&mut self, now: Instant, code: Option<u16>, reason: &str) {
        self.socket_exists = false;
        self.lose_connection();
        if !self.wants_connection {
            self.set_state(ConnectionState::Disconnected);
            return;
        }
        self.on_close_code(now, code, reason.to_owned());
    }
}
