//! The sans-IO protocol core: frames and time in; frames, events and the next
//! deadline out. No clock is read and no socket is held here, so every
//! behaviour can be driven from a test with scripted frames and a fake clock
//! (the shape of quinn-proto's `Connection`).
//!
//! Behaviour follows pusher-js's `ConnectionManager` and `Channel`s
//! (`src/core/connection/connection_manager.ts`, `src/core/channels/`):
//! the client, not the socket, owns the channel table; every
//! `pusher:connection_established` subscribes again every channel not left.

use std::collections::{BTreeMap, VecDeque};

use std::time::Duration;

use serde_json::{json, Value};
use web_time::Instant;

use crate::auth::ChannelAuth;
use crate::channel::{self, requires_auth, ChannelKind};
use crate::close_code::{close_action, CloseAction};
use crate::error::{EchoError, ProtocolError};
use crate::frame::{self, Frame};
use crate::options::EchoOptions;

mod backoff;
pub use backoff::reconnect_delay;
mod encrypted;
mod presence;

pub use presence::{user_id_string, Member, Members};

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
    /// [`Connection::handle_auth`].
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Timer {
    Activity,
    Pong,
    Reconnect,
    Unavailable,
    Handshake,
}
const TIMERS: [Timer; 5] = [Timer::Activity, Timer::Pong, Timer::Reconnect, Timer::Unavailable, Timer::Handshake];

/// The connection timers' deadlines, one slot per [`Timer`] (a map's code
/// for five keys would cost kilobytes of wasm).
#[derive(Debug, Default)]
struct Timers([Option<Instant>; 5]);

impl Timers {
    fn get(&self, timer: Timer) -> Option<Instant> {
        self.0[timer as usize]
    }

    fn insert(&mut self, timer: Timer, deadline: Instant) {
        self.0[timer as usize] = Some(deadline);
    }

    /// Sets `timer` unless it is already set.
    fn insert_if_unset(&mut self, timer: Timer, deadline: Instant) {
        self.0[timer as usize].get_or_insert(deadline);
    }

    fn remove(&mut self, timer: Timer) -> Option<Instant> {
        self.0[timer as usize].take()
    }

    fn clear(&mut self) {
        self.0 = [None; 5];
    }

    fn values(&self) -> impl Iterator<Item = Instant> + '_ {
        self.0.iter().flatten().copied()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum SubState {
    /// Wanted, nothing sent on this connection yet.
    Idle,
    /// Waiting for the authorizer; the answer must be for this socket id.
    Authorizing(String),
    /// `pusher:subscribe` sent.
    Pending,
    /// `subscription_succeeded` received on this connection.
    Subscribed,
}

/// The rarely used parts (presence members, encryption key and rekey) are
/// boxed: a thousand public channels should not each carry room for them.
#[derive(Debug)]
struct ChannelEntry {
    state: SubState,
    ever_subscribed: bool,
    /// The subscription timeout; only meaningful while `Authorizing` or
    /// `Pending`.
    deadline: Option<Instant>,
    /// Presence channels only.
    members: Option<Box<Members>>,
    /// Encrypted channels: the key of the current connection.
    key: Option<Box<encrypted::SharedKey>>,
    /// Encrypted channels: a re-authorization for a fresh key in flight.
    rekey: Option<Box<encrypted::Rekey>>,
    /// Encrypted channels: no undecryptable event starts a re-authorization
    /// before this (see `encrypted.rs`).
    rekey_blocked_until: Option<Instant>,
    /// The number of this channel's last authorized `pusher:subscribe` on
    /// the connection (matches an entry of `Connection::auth_answers`).
    seq: u64,
}

/// The Pusher protocol client state machine.
///
/// Drive it with the `handle_*` methods and the user calls
/// ([`connect`](Self::connect), [`subscribe`](Self::subscribe) …), then drain
/// [`poll_output`](Self::poll_output) and sleep until
/// [`poll_timeout`](Self::poll_timeout), calling
/// [`handle_timeout`](Self::handle_timeout) when it passes.
#[derive(Debug)]
pub struct Connection {
    options: EchoOptions,
    tls: bool,
    state: ConnectionState,
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
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// The earliest deadline at which [`handle_timeout`](Self::handle_timeout)
    /// must be called: connection timers, subscription timeouts and waits for
    /// an encrypted channel's fresh key.
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
    /// Nothing is sent, and nothing is queued, when:
    /// - `EchoError::ClientEvent`: `channel` is public or
    ///   `private-encrypted-` (the protocol allows client events on private
    ///   and presence channels only), or not subscribed on this connection;
    /// - `EchoError::ClientEventTooLarge`: the frame is over
    ///   `EchoOptions::client_event_max_bytes` (10,000);
    /// - `EchoError::ClientEventRateLimited`: `client_events_per_second`
    ///   (10) client events were already sent in the second before `now`.
    pub fn send_client_event(&mut self, channel: &str, event: &str, data: &Value, now: Instant) -> Result<(), EchoError> {
        let refuse = |reason: &str| {
            Err(EchoError::ClientEvent {
                channel: channel.to_owned(),
                reason: reason.to_owned(),
            })
        };
        if !ChannelKind::of(channel).allows_client_events() {
            return refuse("client events are allowed on private and presence channels only, not encrypted ones");
        }
        if self.state != ConnectionState::Connected || !self.is_subscribed(channel) {
            return refuse("the channel is not subscribed yet");
        }
        let event = channel::client_event_name(event);
        let text = frame::encode(&event, Some(channel), data);
        if text.len() > self.options.client_event_max_bytes {
            return Err(EchoError::ClientEventTooLarge {
                channel: channel.to_owned(),
                event,
                bytes: text.len(),
                limit: self.options.client_event_max_bytes,
            });
        }
        let window_start = now.checked_sub(Duration::from_secs(1));
        while self.client_events.front().is_some_and(|sent| Some(*sent) <= window_start) {
            self.client_events.pop_front();
        }
        let limit = self.options.client_events_per_second;
        if self.client_events.len() >= limit as usize {
            return Err(EchoError::ClientEventRateLimited {
                channel: channel.to_owned(),
                event,
                limit,
            });
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
                    if let Err(reason) = self.store_shared_key(channel, &auth) {
                        if let Some(entry) = self.channels.get_mut(channel) {
                            entry.state = SubState::Idle;
                        }
                        let error = EchoError::Auth {
                            channel: channel.to_owned(),
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

    /// A channel with no answer within `subscription_timeout` goes back to
    /// idle with [`EchoError::SubscriptionTimeout`]; a fresh key that does
    /// not come in time drops the events waiting for it.
    fn on_channel_timeouts(&mut self, now: Instant) {
        let timeout = self.options.subscription_timeout;
        let mut expired = Vec::new();
        let mut rekeys = Vec::new();
        for (name, entry) in &mut self.channels {
            let subscribing = matches!(entry.state, SubState::Authorizing(_) | SubState::Pending);
            if subscribing && entry.deadline.is_some_and(|d| d <= now) {
                entry.state = SubState::Idle;
                entry.deadline = None;
                expired.push(name.clone());
            }
            if entry.rekey.as_ref().is_some_and(|r| r.deadline() <= now) {
                rekeys.push(name.clone());
            }
        }
        for channel in rekeys {
            self.drop_rekey(
                &channel,
                &format!("no fresh key came within {}", crate::error::ShowDuration(timeout)),
            );
        }
        for channel in expired {
            let error = EchoError::SubscriptionTimeout {
                channel: channel.clone(),
                timeout,
            };
            self.outputs.push_back(Output::SubscriptionError { channel, error });
        }
    }

    fn on_timer(&mut self, timer: Timer, now: Instant) {
        match timer {
            Timer::Activity => self.send_ping(now + self.options.pong_timeout),
            Timer::Pong | Timer::Handshake => {
                // No pong / no handshake in time: the socket is dead or stalled.
                self.drop_socket();
                self.lose_connection();
                // pusher-js retries at once after a pong timeout.
                let delay = if timer == Timer::Pong {
                    Duration::ZERO
                } else {
                    self.backoff_delay(Duration::ZERO)
                };
                self.schedule_retry(now, delay);
            }
            Timer::Reconnect => self.start_attempt(now),
            Timer::Unavailable => {
                if self.state == ConnectionState::Connecting {
                    self.set_state(ConnectionState::Unavailable);
                }
            }
        }
    }

    /// Retries or gives up as the close code says (pusher-js
    /// `getCloseAction`); the socket is already gone. 4000 and the first
    /// 4200–4299 retry at once; everything else backs off, from the
    /// action's floor up (`backoff.rs`).
    fn on_close_code(&mut self, now: Instant, code: Option<u16>, reason: String) {
        let action = close_action(code);
        match action {
            CloseAction::Refused => self.refuse(code.unwrap_or_default(), reason),
            CloseAction::TlsOnly => {
                self.tls = true;
                self.schedule_retry(now, Duration::ZERO);
            }
            CloseAction::RetryNow if self.attempts == 0 => self.schedule_retry(now, Duration::ZERO),
            CloseAction::RetryNow | CloseAction::Backoff | CloseAction::Closed => {
                let floor = action.floor().unwrap_or_default();
                let delay = self.backoff_delay(floor);
                self.schedule_retry(now, delay);
                self.earliest_retry = Some(now + floor);
            }
        }
    }

    /// Sends `pusher:ping` and waits for any frame until `deadline`. While a
    /// ping is unanswered none is sent again; its deadline only moves
    /// earlier.
    fn send_ping(&mut self, deadline: Instant) {
        self.timers.remove(Timer::Activity);
        match self.timers.get(Timer::Pong) {
            Some(armed) if armed <= deadline => {}
            Some(_) => self.timers.insert(Timer::Pong, deadline),
            None => {
                self.outputs.push_back(Output::Send(frame::encode("pusher:ping", None, &json!({}))));
                self.timers.insert(Timer::Pong, deadline);
            }
        }
    }

    fn start_attempt(&mut self, now: Instant) {
        self.drop_socket();
        if self.state != ConnectionState::Unavailable {
            self.set_state(ConnectionState::Connecting);
        }
        self.timers
            .insert_if_unset(Timer::Unavailable, now + self.options.unavailable_timeout);
        self.timers.insert(Timer::Handshake, now + self.options.handshake_timeout);
        self.outputs.push_back(Output::OpenSocket {
            url: self.options.url(self.tls),
        });
        self.socket_exists = true;
    }

    fn schedule_retry(&mut self, now: Instant, delay: Duration) {
        self.attempts = self.attempts.saturating_add(1);
        if self.state != ConnectionState::Unavailable {
            self.set_state(ConnectionState::Connecting);
        }
        self.timers
            .insert_if_unset(Timer::Unavailable, now + self.options.unavailable_timeout);
        self.timers.insert(Timer::Reconnect, now + delay);
        self.earliest_retry = None;
        self.outputs.push_back(Output::ConnectingIn(delay));
    }

    /// Capped exponential backoff with jitter, never below `floor`
    /// ([`backoff::reconnect_delay`]).
    fn backoff_delay(&mut self, floor: Duration) -> Duration {
        let random = self.next_random();
        backoff::reconnect_delay(
            self.attempts,
            floor,
            self.options.reconnect_base_delay,
            self.options.reconnect_max_delay,
            random,
        )
    }

    fn next_random(&mut self) -> u64 {
        // xorshift64: enough to spread reconnect attempts.
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        x
    }

    fn refuse(&mut self, code: u16, reason: String) {
        self.wants_connection = false;
        self.drop_socket();
        self.timers.clear();
        self.outputs.push_back(Output::Error(EchoError::Refused { code, reason }));
        self.set_state(ConnectionState::Failed);
    }

    fn drop_socket(&mut self) {
        if self.socket_exists {
            self.outputs.push_back(Output::CloseSocket);
            self.socket_exists = false;
        }
        self.lose_connection();
    }

    /// Forgets everything tied to the socket: the socket id, per-connection
    /// timers and every channel's subscription (channels stay wanted).
    fn lose_connection(&mut self) {
        self.socket_id = None;
        for timer in [Timer::Activity, Timer::Pong, Timer::Handshake] {
            self.timers.remove(timer);
        }
        self.auth_answers.clear();
        self.client_events.clear();
        let mut rekeys = Vec::new();
        for (name, entry) in &mut self.channels {
            entry.state = SubState::Idle;
            entry.key = None;
            if let Some(members) = &mut entry.members {
                members.reset();
            }
            if entry.rekey.is_some() {
                rekeys.push(name.clone());
            }
        }
        for channel in rekeys {
            self.drop_rekey(&channel, "the connection was lost before a fresh key came");
        }
    }

    fn set_state(&mut self, current: ConnectionState) {
        let previous = self.state;
        if previous != current {
            self.state = current;
            self.outputs.push_back(Output::StateChange { previous, current });
        }
    }

    fn on_established(&mut self, now: Instant, data: &Value) {
        let Some(socket_id) = data.get("socket_id").and_then(Value::as_str).filter(|s| !s.is_empty()) else {
            self.outputs.push_back(Output::Error(ProtocolError::MissingSocketId.into()));
            self.drop_socket();
            let delay = self.backoff_delay(Duration::ZERO);
            self.schedule_retry(now, delay);
            return;
        };
        self.socket_id = Some(socket_id.to_owned());
        let server = data
            .get("activity_timeout")
            .and_then(Value::as_u64)
            .filter(|s| *s > 0)
            .map(Duration::from_secs);
        self.activity_timeout = server.map_or(self.options.activity_timeout, |s| s.min(self.options.activity_timeout));
        self.attempts = 0;
        self.timers.remove(Timer::Handshake);
        self.timers.remove(Timer::Unavailable);
        self.timers.remove(Timer::Reconnect);
        self.timers.insert(Timer::Activity, now + self.activity_timeout);
        self.set_state(ConnectionState::Connected);
        let names: Vec<String> = self.channels.keys().cloned().collect();
        for name in names {
            self.subscribe_if_idle(&name, now);
        }
    }

    fn subscribe_if_idle(&mut self, channel: &str, now: Instant) {
        if self.state != ConnectionState::Connected {
            return;
        }
        let Some(socket_id) = self.socket_id.clone() else { return };
        let Some(entry) = self.channels.get_mut(channel) else { return };
        if entry.state != SubState::Idle {
            return;
        }
        entry.deadline = Some(now + self.options.subscription_timeout);
        if entry.rekey.is_some() {
            self.drop_rekey(channel, "the channel is subscribed again");
        }
        let Some(entry) = self.channels.get_mut(channel) else { return };
        if requires_auth(channel) {
            entry.state = SubState::Authorizing(socket_id.clone());
            self.outputs.push_back(Output::Authorize {
                channel: channel.to_owned(),
                socket_id,
            });
        } else {
            entry.state = SubState::Pending;
            self.outputs.push_back(Output::Send(frame::subscribe(channel, None, None)));
        }
    }

    /// An in-band `pusher:error`. Before the handshake it acts like its
    /// close code. While connected the socket stays open, and the error goes
    /// to a channel only when it is about that channel's subscription:
    /// - one naming a channel whose subscribe is unanswered;
    /// - a channel-less error with no code or 4009 whose message names a
    ///   pending private or presence channel as `{socket_id}:{channel}`
    ///   (Pusher's "Invalid signature: Expected HMAC SHA256 hex digest of
    ///   …");
    /// - a channel-less 4009 ("unauthorized": a bad or missing signature,
    ///   Sockudo, Reverb), which can only answer a subscribe that carried
    ///   auth: the oldest one unanswered on this connection, since a server
    ///   answers a connection's subscribes in order. If that channel was left
    ///   meanwhile, the error is dropped with it.
    ///
    /// Everything else (4200 for a malformed message or a shutdown notice,
    /// 4301, an error with no code) is the connection's, never pinned on a
    /// pending channel.
    fn on_server_error(&mut self, now: Instant, channel: Option<&str>, data: &Value) {
        let code = data.get("code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok());
        let message = data.get("message").and_then(Value::as_str).map(str::to_owned).unwrap_or_else(|| {
            if data.is_null() {
                String::new()
            } else {
                // Not `data.to_string()`: `Value`'s `Display` serializes
                // through a second (and, for `{:#}`, a third) copy of the
                // serializer; this one is shared with `frame::encode`.
                serde_json::to_string(data).unwrap_or_default()
            }
        });
        if self.state != ConnectionState::Connected && code.is_some() {
            // An error instead of the handshake: act on its code like a close
            // (the server closes with the same code, on a socket dropped here).
            self.drop_socket();
            self.on_close_code(now, code, message);
            return;
        }
        let refused = |channel: &str, message: String| EchoError::SubscriptionRefused {
            channel: channel.to_owned(),
            code,
            status: None,
            message,
        };
        if let Some(channel) = channel {
            // The answer to this channel's subscribe, pending or not.
            let seq = self.take_auth_answer(channel);
            if self.is_pending(channel) && !self.is_stale_answer(channel, seq) {
                let error = refused(channel, message);
                self.refuse_subscription(channel.to_owned(), error);
                return;
            }
        }
        if channel.is_none() && matches!(code, None | Some(4009)) {
            if let Some(name) = self.pending_channel_named_in(&message) {
                self.take_auth_answer(&name);
                let error = refused(&name, message);
                self.refuse_subscription(name, error);
                return;
            }
        }
        if channel.is_none() && code == Some(4009) {
            if let Some((name, seq)) = self.auth_answers.pop_front() {
                if self.is_pending(&name) && self.channels.get(&name).is_some_and(|e| e.seq == seq) {
                    let error = refused(&name, message);
                    self.refuse_subscription(name, error);
                }
                return;
            }
        }
        self.outputs.push_back(Output::Error(EchoError::Server { code, message }));
    }

    /// `pusher:subscription_error` naming its channel (Soketi), data
    /// `{"type":"AuthError","error":"…","status":401}`; ignored for a channel
    /// that is not waiting for an answer.
    fn on_subscription_error(&mut self, frame: &Frame) {
        let Some(channel) = frame.channel.as_deref() else { return };
        let seq = self.take_auth_answer(channel);
        if !self.is_pending(channel) || self.is_stale_answer(channel, seq) {
            return;
        }
        let data = frame.data.value();
        let text = |field: &str| data.get(field).and_then(Value::as_str).filter(|t| !t.is_empty());
        let message = match (text("type"), text("error").or_else(|| text("message"))) {
            (Some(kind), Some(error)) => format!("{kind}: {error}"),
            (Some(one), None) | (None, Some(one)) => one.to_owned(),
            (None, None) => data.as_str().unwrap_or_default().to_owned(),
        };
        let error = EchoError::SubscriptionRefused {
            channel: channel.to_owned(),
            code: data.get("code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok()),
            status: data.get("status").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok()),
            message,
        };
        self.refuse_subscription(channel.to_owned(), error);
    }

    /// Whether `channel`'s `pusher:subscribe` is sent and unanswered.
    fn is_pending(&self, channel: &str) -> bool {
        self.channels.get(channel).is_some_and(|e| e.state == SubState::Pending)
    }

    /// The server answered the oldest unanswered authorized subscribe of
    /// `channel`: it no longer waits in `auth_answers`. Returns its number.
    fn take_auth_answer(&mut self, channel: &str) -> Option<u64> {
        let index = self.auth_answers.iter().position(|(name, _)| name == channel)?;
        self.auth_answers.remove(index).map(|(_, seq)| seq)
    }

    /// Whether an answer to the subscribe numbered `seq` of `channel` is for
    /// an earlier subscribe than the channel's current one (it was left and
    /// subscribed again meanwhile): the server handled the `unsubscribe`
    /// after it, so it says nothing about the current one.
    fn is_stale_answer(&self, channel: &str, seq: Option<u64>) -> bool {
        seq.is_some_and(|seq| self.channels.get(channel).is_some_and(|e| e.seq != seq))
    }

    /// The pending private or presence channel a channel-less error's
    /// message names as `{socket_id}:{channel}`: Pusher answers a bad
    /// signature with code `null` and "Invalid signature: Expected HMAC
    /// SHA256 hex digest of 123.456:private-x, but got …". The longest
    /// name wins (`private-x` and `private-x.1`).
    fn pending_channel_named_in(&self, message: &str) -> Option<String> {
        let socket_id = self.socket_id.as_deref()?;
        let names = |name: &str| {
            let needle = format!("{socket_id}:{name}");
            message.match_indices(&needle).any(|(at, _)| {
                let next = message[at + needle.len()..].chars().next();
                next.is_none_or(|c| c == ',' || c == ':' || c.is_whitespace())
            })
        };
        self.channels
            .iter()
            .filter(|(name, e)| e.state == SubState::Pending && requires_auth(name) && names(name))
            .max_by_key(|(name, _)| name.len())
            .map(|(name, _)| name.clone())
    }

    /// A refused subscription: the channel goes back to idle (not resent now:
    /// the next connection or `subscribe` retries) and its error listeners
    /// are told.
    fn refuse_subscription(&mut self, channel: String, error: EchoError) {
        if let Some(entry) = self.channels.get_mut(&channel) {
            entry.state = SubState::Idle;
        }
        self.outputs.push_back(Output::SubscriptionError { channel, error });
    }

    fn on_subscription_succeeded(&mut self, frame: Frame) {
        let Some(name) = frame.channel else { return };
        let seq = self.take_auth_answer(&name);
        if self.is_stale_answer(&name, seq) {
            return;
        }
        let Some(entry) = self.channels.get_mut(&name) else {
            // Left while pending: `unsubscribe` already sent
            // `pusher:unsubscribe`, which the server handles after this.
            return;
        };
        if entry.state == SubState::Subscribed {
            return;
        }
        entry.state = SubState::Subscribed;
        let resubscribed = entry.ever_subscribed;
        entry.ever_subscribed = true;
        let presence = entry.members.is_some();
        self.outputs.push_back(Output::Subscribed {
            channel: name.clone(),
            resubscribed,
            data: frame.data.value().clone(),
        });
        if presence {
            self.on_presence_succeeded(&name, &frame.data);
        }
    }

    fn on_event(&mut self, now: Instant, frame: Frame) {
        match &frame.channel {
            Some(channel) if !self.channels.contains_key(channel) => {} // left: ignore
            Some(_) if self.on_member_event(&frame) => {}
            Some(channel) if channel::is_encrypted(channel) && !encrypted::is_control(&frame.event) => {
                self.on_encrypted_event(now, frame);
            }
            _ => self.outputs.push_back(Output::Event(frame)),
        }
    }
}
