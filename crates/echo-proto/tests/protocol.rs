//! Native tests of the sans-IO protocol core ([`echo_proto::Connection`]).
//!
//! Each test drives the core with a scripted fake server and a fake clock,
//! like quinn-proto's test `Pair`: one `Instant` is captured when the
//! [`Harness`] is built and only ever moved forward by adding `Duration`s,
//! usually straight to the core's own [`Connection::poll_timeout`]. Nothing
//! sleeps and no socket is opened.
//!
//! The expected behaviour is pusher-js's `ConnectionManager` and the Pusher
//! Channels protocol (frames, close codes), as described in `protocol.rs`.

use std::time::Duration;

use echo_proto::channel::ChannelKind;
use echo_proto::web_time::Instant;
use echo_proto::{
    AuthFailure, ChannelAuth, ClientEventRefusal, Connection, ConnectionState, ConnectionStatus, EchoError, EchoOptions, Frame, Member,
    Output, ProtocolError,
};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Scripted server frames and the frames the client is expected to send.
// ---------------------------------------------------------------------------

const KEY: &str = "local-key";
const PING: &str = r#"{"event":"pusher:ping","data":{}}"#;
const PONG: &str = r#"{"event":"pusher:pong","data":{}}"#;

/// A Reverb server on `127.0.0.1:6001`, reached from an http page.
fn options() -> EchoOptions {
    EchoOptions::reverb(KEY, "127.0.0.1", 6001, "http")
}

/// The connection URL pusher-js would build for [`options`].
fn url(scheme: &str) -> String {
    format!(
        "{scheme}://127.0.0.1:6001/app/{KEY}?protocol=7&client=echo-rs&version={}&flash=false",
        env!("CARGO_PKG_VERSION")
    )
}

/// `pusher:connection_established` with `data` double-encoded, as servers send it.
fn handshake(socket_id: &str, activity_timeout: u64) -> String {
    let data = json!({ "socket_id": socket_id, "activity_timeout": activity_timeout }).to_string();
    json!({ "event": "pusher:connection_established", "data": data }).to_string()
}

fn subscription_succeeded(channel: &str) -> String {
    json!({ "event": "pusher_internal:subscription_succeeded", "channel": channel, "data": "{}" }).to_string()
}

fn event(channel: &str, name: &str, data: &Value) -> String {
    json!({ "event": name, "channel": channel, "data": data.to_string() }).to_string()
}

fn subscribe_frame(channel: &str) -> String {
    format!(r#"{{"event":"pusher:subscribe","data":{{"channel":"{channel}"}}}}"#)
}

fn unsubscribe_frame(channel: &str) -> String {
    format!(r#"{{"event":"pusher:unsubscribe","data":{{"channel":"{channel}"}}}}"#)
}

fn auth(signature: &str) -> Result<ChannelAuth, EchoError> {
    Ok(ChannelAuth {
        auth: signature.into(),
        ..ChannelAuth::default()
    })
}

// ---------------------------------------------------------------------------
// The harness: the core, a fake clock and a log of everything it asked for.
// ---------------------------------------------------------------------------

struct Harness {
    conn: Connection,
    now: Instant,
    /// Every text frame the client sent, in order.
    sent: Vec<String>,
    /// Every output, in order.
    outputs: Vec<Output>,
}

impl Harness {
    fn new() -> Self {
        Self::with(options(), 7)
    }

    fn with(options: EchoOptions, seed: u64) -> Self {
        Self {
            conn: Connection::new(options, false, seed),
            now: Instant::now(),
            sent: Vec::new(),
            outputs: Vec::new(),
        }
    }

    /// Connected as `socket_id` (server activity timeout 120 s), logs empty.
    fn connected(socket_id: &str) -> Self {
        let mut h = Self::new();
        h.connect();
        h.establish(socket_id, 120);
        h.forget();
        h
    }

    /// Takes every pending output, logs it and returns the new ones.
    fn drain(&mut self) -> Vec<Output> {
        let new: Vec<Output> = std::iter::from_fn(|| self.conn.poll_output()).collect();
        self.sent.extend(sends(&new).into_iter().map(str::to_owned));
        self.outputs.extend(new.iter().cloned());
        new
    }

    /// Empties the logs.
    fn forget(&mut self) {
        self.drain();
        self.sent.clear();
        self.outputs.clear();
    }

    fn connect(&mut self) -> Vec<Output> {
        self.conn.connect(self.now);
        self.drain()
    }

    fn disconnect(&mut self) -> Vec<Output> {
        self.conn.disconnect(self.now);
        self.drain()
    }

    fn subscribe(&mut self, channel: &str) -> Vec<Output> {
        self.conn.subscribe(channel, self.now);
        self.drain()
    }

    fn unsubscribe(&mut self, channel: &str) -> Vec<Output> {
        self.conn.unsubscribe(channel, self.now);
        self.drain()
    }

    fn check_liveness(&mut self) -> Vec<Output> {
        self.conn.check_liveness(self.now);
        self.drain()
    }

    fn authorize(&mut self, channel: &str, socket_id: &str, result: Result<ChannelAuth, EchoError>) -> Vec<Output> {
        self.conn.handle_auth(channel, socket_id, result);
        self.drain()
    }

    /// The server sends one text frame.
    fn server(&mut self, frame: &str) -> Vec<Output> {
        self.conn.handle_message(self.now, frame);
        self.drain()
    }

    /// The socket the core asked for opens and the server shakes hands.
    fn establish(&mut self, socket_id: &str, activity_timeout: u64) -> Vec<Output> {
        self.conn.handle_open(self.now);
        self.server(&handshake(socket_id, activity_timeout))
    }

    /// The socket closes with `code`.
    fn close(&mut self, code: Option<u16>) -> Vec<Output> {
        self.conn.handle_close(self.now, code, "");
        self.drain()
    }

    /// Jumps the clock straight to the next deadline and fires it.
    fn advance_to_next_deadline(&mut self) -> Vec<Output> {
        let deadline = self.conn.poll_timeout().expect("a deadline is armed");
        assert!(deadline >= self.now, "deadline in the past");
        self.now = deadline;
        self.conn.handle_timeout(self.now);
        self.drain()
    }

    /// Runs the clock forward by `by`, firing every deadline on the way at
    /// its own time, as a shell's timer would.
    fn advance(&mut self, by: Duration) -> Vec<Output> {
        let target = self.now + by;
        let mut new = Vec::new();
        for _ in 0..10_000 {
            match self.conn.poll_timeout() {
                Some(deadline) if deadline <= target => new.extend(self.advance_to_next_deadline()),
                _ => {
                    self.now = target;
                    return new;
                }
            }
        }
        panic!("timers keep firing without the clock moving");
    }

    /// Fires deadlines until the core opens a socket; returns what happened
    /// on the way.
    fn wait_for_open(&mut self) -> Vec<Output> {
        let mut new = Vec::new();
        for _ in 0..100 {
            new.extend(self.advance_to_next_deadline());
            if !opened(&new).is_empty() {
                return new;
            }
        }
        panic!("no OpenSocket after 100 deadlines: {new:?}");
    }

    /// Connection lost with `code`, the retry fires and the server shakes
    /// hands again as `socket_id`.
    fn reconnect(&mut self, code: Option<u16>, socket_id: &str) -> Vec<Output> {
        let mut new = self.close(code);
        new.extend(self.wait_for_open());
        new.extend(self.establish(socket_id, 120));
        new
    }
}

// ---------------------------------------------------------------------------
// Picking outputs apart.
// ---------------------------------------------------------------------------

fn sends(outputs: &[Output]) -> Vec<&str> {
    outputs
        .iter()
        .filter_map(|o| if let Output::Send(text) = o { Some(text.as_str()) } else { None })
        .collect()
}

fn opened(outputs: &[Output]) -> Vec<&str> {
    outputs
        .iter()
        .filter_map(|o| {
            if let Output::OpenSocket { url } = o {
                Some(url.as_str())
            } else {
                None
            }
        })
        .collect()
}

fn states(outputs: &[Output]) -> Vec<ConnectionState> {
    outputs
        .iter()
        .filter_map(|o| {
            if let Output::StateChange { current, .. } = o {
                Some(*current)
            } else {
                None
            }
        })
        .collect()
}

fn errors(outputs: &[Output]) -> Vec<&EchoError> {
    outputs
        .iter()
        .filter_map(|o| if let Output::Error(error) = o { Some(error) } else { None })
        .collect()
}

#[cfg(feature = "encryption")]
/// `(channel, error)` of every [`Output::ChannelError`].
#[cfg_attr(not(feature = "encryption"), allow(dead_code))]
fn channel_errors(outputs: &[Output]) -> Vec<(&str, &EchoError)> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::ChannelError { channel, error } => Some((channel.as_str(), error)),
            _ => None,
        })
        .collect()
}

fn events(outputs: &[Output]) -> Vec<&Frame> {
    outputs
        .iter()
        .filter_map(|o| if let Output::Event(frame) = o { Some(frame) } else { None })
        .collect()
}

fn closes(outputs: &[Output]) -> usize {
    outputs.iter().filter(|o| **o == Output::CloseSocket).count()
}

/// The delay of the (only) retry scheduled among `outputs`.
fn retry_delay(outputs: &[Output]) -> Duration {
    let delays: Vec<Duration> = outputs
        .iter()
        .filter_map(|o| if let Output::ConnectingIn(delay) = o { Some(*delay) } else { None })
        .collect();
    assert_eq!(delays.len(), 1, "expected one ConnectingIn in {outputs:?}");
    delays[0]
}

fn subscribed(outputs: &[Output]) -> Vec<(&str, bool)> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Subscribed { channel, resubscribed, .. } => Some((channel.as_str(), *resubscribed)),
            _ => None,
        })
        .collect()
}

fn subscription_errors(outputs: &[Output]) -> Vec<(&str, &EchoError)> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::SubscriptionError { channel, error } => Some((channel.as_str(), error)),
            _ => None,
        })
        .collect()
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).expect("the client sends JSON")
}

// ---------------------------------------------------------------------------
// Connecting and the handshake.
// ---------------------------------------------------------------------------

#[test]
fn connect_opens_a_socket_to_the_pusher_url() {
    let mut h = Harness::new();
    assert_eq!(
        h.connect(),
        [
            Output::StateChange {
                previous: ConnectionState::Initialized,
                current: ConnectionState::Connecting,
                status: ConnectionStatus::Connecting,
            },
            Output::OpenSocket { url: url("ws") },
        ]
    );
}

#[test]
fn https_page_or_force_tls_connects_with_wss() {
    let mut https_page = Harness {
        conn: Connection::new(options(), true, 7),
        ..Harness::new()
    };
    assert_eq!(opened(&https_page.connect()), [url("wss")]);

    let mut forced = Harness::with(
        EchoOptions {
            force_tls: true,
            ..options()
        },
        7,
    );
    assert_eq!(opened(&forced.connect()), [url("wss")]);
}

#[test]
fn state_goes_initialized_connecting_connected() {
    let mut h = Harness::new();
    assert_eq!(h.conn.state(), ConnectionState::Initialized);
    h.connect();
    assert_eq!(h.conn.state(), ConnectionState::Connecting);
    h.establish("123.456", 120);
    assert_eq!(h.conn.state(), ConnectionState::Connected);
    assert_eq!(
        h.outputs
            .iter()
            .filter(|o| matches!(o, Output::StateChange { .. }))
            .collect::<Vec<_>>(),
        [
            &Output::StateChange {
                previous: ConnectionState::Initialized,
                current: ConnectionState::Connecting,
                status: ConnectionStatus::Connecting,
            },
            &Output::StateChange {
                previous: ConnectionState::Connecting,
                current: ConnectionState::Connected,
                status: ConnectionStatus::Connected,
            },
        ]
    );
}

#[test]
fn handshake_with_data_as_a_json_string_connects() {
    let mut h = Harness::new();
    h.connect();
    h.conn.handle_open(h.now);
    h.server(r#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"123.456\",\"activity_timeout\":120}"}"#);
    assert_eq!(h.conn.state(), ConnectionState::Connected);
    assert_eq!(h.conn.socket_id(), Some("123.456"));
}

#[test]
fn handshake_with_data_as_an_object_connects() {
    let mut h = Harness::new();
    h.connect();
    h.conn.handle_open(h.now);
    h.server(r#"{"event":"pusher:connection_established","data":{"socket_id":"123.456","activity_timeout":30}}"#);
    assert_eq!(h.conn.state(), ConnectionState::Connected);
    assert_eq!(h.conn.socket_id(), Some("123.456"));
    assert_eq!(h.conn.activity_timeout(), Duration::from_secs(30));
}

#[test]
fn socket_id_is_exposed_only_while_connected() {
    let mut h = Harness::new();
    assert_eq!(h.conn.socket_id(), None);
    h.connect();
    assert_eq!(h.conn.socket_id(), None);
    h.establish("123.456", 120);
    assert_eq!(h.conn.socket_id(), Some("123.456"));
    h.close(Some(1006));
    assert_eq!(h.conn.socket_id(), None, "a lost connection has no socket id");
    h.wait_for_open();
    h.establish("789.1", 120);
    assert_eq!(h.conn.socket_id(), Some("789.1"));
}

#[test]
fn handshake_without_socket_id_is_an_error_and_a_retry() {
    let mut h = Harness::new();
    h.connect();
    h.conn.handle_open(h.now);
    let out = h.server(r#"{"event":"pusher:connection_established","data":"{\"activity_timeout\":120}"}"#);
    assert_eq!(errors(&out), [&EchoError::Protocol(ProtocolError::MissingSocketId)]);
    assert_eq!(closes(&out), 1, "the broken socket is closed");
    assert_ne!(h.conn.state(), ConnectionState::Connected);
    assert_eq!(h.conn.socket_id(), None);
    let delay = retry_delay(&out);
    assert!(delay > Duration::ZERO, "a broken server is not hammered: {delay:?}");

    let start = h.now;
    let out = h.wait_for_open();
    assert_eq!(h.now - start, delay);
    assert_eq!(opened(&out), [url("ws")]);
    h.establish("1.2", 120);
    assert_eq!(h.conn.state(), ConnectionState::Connected);
}

#[test]
fn silent_server_times_the_handshake_out_and_retries() {
    let mut h = Harness::new();
    h.connect();
    h.conn.handle_open(h.now);
    let start = h.now;
    let out = h.advance(Duration::from_secs(15));
    assert_eq!(closes(&out), 1, "{out:?}");
    assert_eq!(h.now - start, Duration::from_secs(15));
    retry_delay(&out);
    assert_eq!(opened(&h.wait_for_open()), [url("ws")]);
}

#[test]
fn bad_configuration_fails_once_and_never_opens_a_socket() {
    let mut h = Harness::with(EchoOptions::new(""), 7);
    let out = h.connect();
    assert_eq!(states(&out), [ConnectionState::Failed]);
    assert!(matches!(errors(&out)[..], [EchoError::Config(_)]), "{out:?}");
    assert!(opened(&out).is_empty());
    assert_eq!(h.conn.poll_timeout(), None);
}

// ---------------------------------------------------------------------------
// Subscriptions.
// ---------------------------------------------------------------------------

#[test]
fn subscribe_before_connect_is_sent_once_connected() {
    let mut h = Harness::new();
    assert!(sends(&h.subscribe("rooms")).is_empty(), "nothing to send on");
    h.connect();
    assert!(h.sent.is_empty(), "not before the handshake");
    h.establish("1.1", 120);
    assert_eq!(h.sent, [subscribe_frame("rooms")]);
}

#[test]
fn subscribing_twice_sends_one_subscribe() {
    let mut h = Harness::new();
    h.subscribe("rooms");
    h.subscribe("rooms");
    h.connect();
    h.establish("1.1", 120);
    h.subscribe("rooms");
    h.server(&subscription_succeeded("rooms"));
    h.subscribe("rooms");
    assert_eq!(h.sent, [subscribe_frame("rooms")]);
    assert_eq!(h.conn.channels().collect::<Vec<_>>(), ["rooms"]);
}

#[test]
fn subscription_succeeded_reports_subscribed_not_resubscribed() {
    let mut h = Harness::connected("1.1");
    h.subscribe("rooms");
    assert!(!h.conn.is_subscribed("rooms"), "pending until the server confirms");
    let out = h.server(&subscription_succeeded("rooms"));
    assert_eq!(
        out,
        [Output::Subscribed {
            channel: "rooms".into(),
            resubscribed: false,
            data: json!({})
        }]
    );
    assert!(h.conn.is_subscribed("rooms"));
}

#[test]
fn channels_are_subscribed_again_after_a_reconnect() {
    for code in [Some(1006), None] {
        let mut h = Harness::connected("1.1");
        h.subscribe("rooms");
        h.server(&subscription_succeeded("rooms"));
        h.forget();

        let out = h.reconnect(code, "2.2");
        assert_eq!(sends(&out), [subscribe_frame("rooms")], "{code:?}");
        assert!(!h.conn.is_subscribed("rooms"), "{code:?}: pending again until the server confirms");
        let out = h.server(&subscription_succeeded("rooms"));
        assert_eq!(subscribed(&out), [("rooms", true)], "{code:?}: missed events must be refetched");
        assert!(h.conn.is_subscribed("rooms"));
    }
}

#[test]
fn events_on_a_subscribed_channel_are_delivered_decoded() {
    let mut h = Harness::connected("1.1");
    h.subscribe("rooms");
    h.server(&subscription_succeeded("rooms"));
    let out = h.server(&event("rooms", r"App\Events\RoomsUpdated", &json!({ "room_ids": [1, 2] })));
    assert_eq!(
        events(&out),
        [&Frame {
            event: r"App\Events\RoomsUpdated".into(),
            channel: Some("rooms".into()),
            data: json!({ "room_ids": [1, 2] }).into(),
            user_id: None,
        }]
    );
}

#[test]
fn frames_for_a_left_channel_are_ignored() {
    let mut h = Harness::connected("1.1");
    h.subscribe("rooms");
    h.server(&subscription_succeeded("rooms"));
    assert_eq!(sends(&h.unsubscribe("rooms")), [unsubscribe_frame("rooms")]);

    let out = h.server(&event("rooms", "RoomsUpdated", &json!({})));
    assert!(events(&out).is_empty(), "{out:?}");
    let out = h.server(&subscription_succeeded("rooms"));
    assert!(subscribed(&out).is_empty(), "{out:?}");
    assert!(!h.conn.is_subscribed("rooms"));
    assert_eq!(h.conn.channels().count(), 0);
}

#[test]
fn left_channels_are_not_subscribed_again_after_a_reconnect() {
    let mut h = Harness::connected("1.1");
    h.subscribe("rooms");
    h.subscribe("news");
    h.server(&subscription_succeeded("rooms"));
    h.server(&subscription_succeeded("news"));
    h.unsubscribe("news");
    h.forget();
    assert_eq!(sends(&h.reconnect(Some(1006), "2.2")), [subscribe_frame("rooms")]);
}

#[test]
fn leaving_a_pending_channel_unsubscribes_exactly_once() {
    // The unsubscribe goes out at once; the server handles it after the
    // subscribe, so the success answering that subscribe is ignored.
    let mut h = Harness::connected("1.1");
    h.subscribe("rooms");
    assert_eq!(sends(&h.unsubscribe("rooms")), [unsubscribe_frame("rooms")]);
    let out = h.server(&subscription_succeeded("rooms"));
    assert!(out.is_empty(), "{out:?}");
    assert_eq!(h.sent, [subscribe_frame("rooms"), unsubscribe_frame("rooms")]);
    assert!(!h.conn.is_subscribed("rooms"));
}

#[test]
fn subscribing_again_while_an_unsubscribe_is_in_flight_ends_subscribed() {
    let mut h = Harness::connected("1.1");
    h.subscribe("rooms");
    h.unsubscribe("rooms");
    h.subscribe("rooms");
    // The server answers the first subscribe; the client must not leave.
    let out = h.server(&subscription_succeeded("rooms"));
    assert_eq!(subscribed(&out), [("rooms", false)]);
    assert_eq!(h.sent.last(), Some(&subscribe_frame("rooms")));
    h.server(&subscription_succeeded("rooms"));
    assert!(h.conn.is_subscribed("rooms"));
    assert_eq!(h.sent.last(), Some(&subscribe_frame("rooms")));
}

/// Connected as `1.1` with `private-chat.1` subscribed, logs empty.
fn chat_subscribed(options: EchoOptions) -> Harness {
    let mut h = Harness::with(options, 7);
    h.connect();
    h.establish("1.1", 120);
    h.subscribe("private-chat.1");
    h.authorize("private-chat.1", "1.1", auth("local-key:sig"));
    h.server(&subscription_succeeded("private-chat.1"));
    h.forget();
    h
}

fn whisper(h: &mut Harness, channel: &str, event: &str, data: &Value) -> Result<(), EchoError> {
    let result = h.conn.send_client_event(channel, event, data, h.now);
    h.drain();
    result
}

#[test]
fn whispers_are_sent_only_on_subscribed_channels() {
    let mut h = Harness::connected("1.1");
    let refused = whisper(&mut h, "private-chat.1", "typing", &json!({ "name": "a" }));
    assert!(
        matches!(
            &refused,
            Err(EchoError::ClientEvent {
                cause: ClientEventRefusal::NotSubscribed,
                ..
            })
        ),
        "{refused:?}"
    );
    let mut h = chat_subscribed(options());
    assert_eq!(whisper(&mut h, "private-chat.1", "typing", &json!({ "name": "a" })), Ok(()));
    assert_eq!(whisper(&mut h, "private-chat.1", "client-typing", &json!({ "name": "b" })), Ok(()));
    assert_eq!(
        h.sent.iter().map(|s| json_of(s)).collect::<Vec<_>>(),
        [
            json!({ "event": "client-typing", "channel": "private-chat.1", "data": { "name": "a" } }),
            json!({ "event": "client-typing", "channel": "private-chat.1", "data": { "name": "b" } }),
        ]
    );
}

#[test]
fn whispers_on_public_or_encrypted_channels_are_refused_in_the_core() {
    let mut h = Harness::connected("1.1");
    for channel in ["rooms", "cache-rooms", "private-encrypted-orders.1"] {
        h.subscribe(channel);
        let refused = whisper(&mut h, channel, "typing", &json!({}));
        assert!(
            matches!(&refused, Err(EchoError::ClientEvent { cause: ClientEventRefusal::ChannelKind(kind), .. }) if *kind == ChannelKind::of(channel)),
            "{channel}: {refused:?}"
        );
    }
    assert!(!h.sent.iter().any(|s| s.contains("client-")), "{:?}", h.sent);
}

#[test]
fn a_whisper_over_the_size_limit_is_refused_and_nothing_is_sent() {
    let mut h = chat_subscribed(options());
    // The frame around the data: {"event":"client-big","channel":"private-chat.1","data":"…"}.
    let overhead = json!({ "event": "client-big", "channel": "private-chat.1", "data": "" })
        .to_string()
        .len();
    let fits = "x".repeat(10_000 - overhead);
    assert_eq!(whisper(&mut h, "private-chat.1", "big", &json!(fits)), Ok(()));
    assert_eq!(h.sent.last().map(String::len), Some(10_000));
    h.forget();
    let over = "x".repeat(10_001 - overhead);
    assert_eq!(
        whisper(&mut h, "private-chat.1", "big", &json!(over)),
        Err(EchoError::ClientEvent {
            channel: "private-chat.1".into(),
            event: "client-big".into(),
            cause: ClientEventRefusal::TooLarge {
                bytes: 10_001,
                limit: 10_000
            },
        })
    );
    assert!(h.sent.is_empty());
    assert_eq!(h.conn.state(), ConnectionState::Connected);

    // The limit is an option.
    let mut h = chat_subscribed(EchoOptions {
        client_event_max_bytes: 100,
        ..options()
    });
    assert!(matches!(
        whisper(&mut h, "private-chat.1", "t", &json!("y".repeat(100))),
        Err(EchoError::ClientEvent {
            cause: ClientEventRefusal::TooLarge { limit: 100, .. },
            ..
        })
    ));
    assert!(h.sent.is_empty());
}

#[test]
fn more_than_ten_whispers_a_second_are_refused_not_sent() {
    let mut h = chat_subscribed(options());
    for i in 0..10 {
        assert_eq!(whisper(&mut h, "private-chat.1", "typing", &json!(i)), Ok(()), "whisper {i}");
        h.advance(Duration::from_millis(50));
    }
    // 10 in the last 500 ms: the 11th is refused and not queued.
    assert_eq!(
        whisper(&mut h, "private-chat.1", "typing", &json!(10)),
        Err(EchoError::ClientEvent {
            channel: "private-chat.1".into(),
            event: "client-typing".into(),
            cause: ClientEventRefusal::RateLimited { limit: 10 },
        })
    );
    assert_eq!(h.sent.len(), 10);
    // One second after the first, one more fits; the refused one never goes.
    h.advance(Duration::from_millis(499));
    assert!(
        whisper(&mut h, "private-chat.1", "typing", &json!(11)).is_err(),
        "the first is 999 ms old"
    );
    h.advance(Duration::from_millis(1));
    assert_eq!(whisper(&mut h, "private-chat.1", "typing", &json!(12)), Ok(()));
    assert!(whisper(&mut h, "private-chat.1", "typing", &json!(13)).is_err());
    let sent: Vec<Value> = h.sent.iter().map(|s| json_of(s)["data"].clone()).collect();
    assert_eq!(sent, (0..10).chain([12]).map(|i| json!(i)).collect::<Vec<_>>());

    // The limit is per connection: a new connection starts afresh.
    h.reconnect(Some(1006), "2.2");
    h.authorize("private-chat.1", "2.2", auth("local-key:sig2"));
    h.server(&subscription_succeeded("private-chat.1"));
    assert_eq!(whisper(&mut h, "private-chat.1", "typing", &json!(14)), Ok(()));

    // And an option.
    let mut h = chat_subscribed(EchoOptions {
        client_events_per_second: 2,
        ..options()
    });
    assert!(whisper(&mut h, "private-chat.1", "a", &json!(1)).is_ok());
    assert!(whisper(&mut h, "private-chat.1", "a", &json!(2)).is_ok());
    assert!(matches!(
        whisper(&mut h, "private-chat.1", "a", &json!(3)),
        Err(EchoError::ClientEvent {
            cause: ClientEventRefusal::RateLimited { limit: 2 },
            ..
        })
    ));
}

// ---------------------------------------------------------------------------
// Ping / pong and the heartbeat.
// ---------------------------------------------------------------------------

#[test]
fn server_ping_is_answered_with_pong() {
    let mut h = Harness::connected("1.1");
    assert_eq!(h.server(PING), [Output::Send(PONG.into())]);
    // Reverb omits the empty data.
    assert_eq!(h.server(r#"{"event":"pusher:ping"}"#), [Output::Send(PONG.into())]);
}

#[test]
fn pong_without_data_is_accepted() {
    let mut h = Harness::connected("1.1");
    h.advance_to_next_deadline();
    assert_eq!(h.sent, [PING]);
    let out = h.server(r#"{"event":"pusher:pong"}"#);
    assert!(out.is_empty(), "a pong is neither an event nor an error: {out:?}");
    let out = h.advance(Duration::from_secs(60));
    assert_eq!(closes(&out), 0, "the pong counted");
    assert_eq!(h.conn.state(), ConnectionState::Connected);
}

#[test]
fn idle_connection_pings_after_the_activity_timeout() {
    let mut h = Harness::connected("1.1");
    let start = h.now;
    assert!(h.advance(Duration::from_secs(119)).is_empty());
    let out = h.advance_to_next_deadline();
    assert_eq!(h.now - start, Duration::from_secs(120));
    assert_eq!(sends(&out), [PING]);
    assert_eq!(h.conn.state(), ConnectionState::Connected);

    h.server(PONG);
    let out = h.advance_to_next_deadline();
    assert_eq!(h.now - start, Duration::from_secs(240), "the pong restarts the idle timer");
    assert_eq!(sends(&out), [PING]);
}

#[test]
fn any_incoming_frame_resets_the_idle_timer() {
    let mut h = Harness::connected("1.1");
    h.subscribe("rooms");
    h.server(&subscription_succeeded("rooms"));
    h.forget();
    h.advance(Duration::from_secs(100));
    h.server(&event("rooms", "RoomsUpdated", &json!({})));
    assert!(h.advance(Duration::from_secs(119)).is_empty(), "no ping 219 s after connecting");
    assert_eq!(sends(&h.advance(Duration::from_secs(1))), [PING]);

    // A frame after the ping also counts as the pong.
    h.advance(Duration::from_secs(29));
    h.server(&event("rooms", "RoomsUpdated", &json!({})));
    let out = h.advance(Duration::from_secs(119));
    assert!(out.is_empty(), "{out:?}");
    assert_eq!(h.conn.state(), ConnectionState::Connected);
}

#[test]
fn missing_pong_closes_the_socket_and_reconnects() {
    let mut h = Harness::connected("1.1");
    h.advance_to_next_deadline();
    assert_eq!(h.sent, [PING]);
    let start = h.now;
    let out = h.advance_to_next_deadline();
    assert_eq!(h.now - start, Duration::from_secs(30), "pong_timeout");
    assert_eq!(
        out,
        [
            Output::CloseSocket,
            Output::StateChange {
                previous: ConnectionState::Connected,
                current: ConnectionState::Connecting,
                status: ConnectionStatus::Reconnecting,
            },
            Output::ConnectingIn(Duration::ZERO),
            Output::OpenSocket { url: url("ws") },
        ]
    );
    assert_eq!(h.conn.state(), ConnectionState::Connecting);
    assert_eq!(h.conn.socket_id(), None);
}

#[test]
fn the_shorter_activity_timeout_wins() {
    // Server shorter than the client's 120 s default.
    let mut h = Harness::new();
    h.connect();
    h.establish("1.1", 30);
    assert_eq!(h.conn.activity_timeout(), Duration::from_secs(30));
    let start = h.now;
    assert_eq!(sends(&h.advance_to_next_deadline()), [PING]);
    assert_eq!(h.now - start, Duration::from_secs(30));

    // Client shorter than the server's.
    let mut h = Harness::with(
        EchoOptions {
            activity_timeout: Duration::from_secs(60),
            ..options()
        },
        7,
    );
    h.connect();
    h.establish("1.1", 120);
    assert_eq!(h.conn.activity_timeout(), Duration::from_secs(60));
    let start = h.now;
    assert_eq!(sends(&h.advance_to_next_deadline()), [PING]);
    assert_eq!(h.now - start, Duration::from_secs(60));
}

// ---------------------------------------------------------------------------
// Close codes (Pusher protocol "Error codes", pusher-js `getCloseAction`).
// ---------------------------------------------------------------------------

#[test]
fn close_4000_reconnects_over_tls_at_once() {
    let mut h = Harness::connected("1.1");
    let out = h.close(Some(4000));
    assert_eq!(retry_delay(&out), Duration::ZERO);
    assert_eq!(h.conn.poll_timeout(), Some(h.now));
    let out = h.advance_to_next_deadline();
    assert_eq!(opened(&out), [url("wss")]);
    // And it stays on TLS for later reconnects.
    h.establish("2.2", 120);
    h.close(Some(1006));
    assert_eq!(opened(&h.wait_for_open()), [url("wss")]);
}

#[test]
fn refused_close_codes_fail_and_never_reconnect() {
    for code in [4001, 4003, 4009, 4099, 4300, 4301] {
        let mut h = Harness::connected("1.1");
        h.subscribe("rooms");
        h.conn.handle_close(h.now, Some(code), "refused");
        let out = h.drain();
        assert_eq!(
            errors(&out),
            [&EchoError::Refused {
                code,
                reason: "refused".into()
            }],
            "{code}"
        );
        assert_eq!(states(&out), [ConnectionState::Failed], "{code}");
        assert_eq!(h.conn.state(), ConnectionState::Failed);
        assert_eq!(h.conn.poll_timeout(), None, "{code}: nothing left to wait for");

        let out = h.advance(Duration::from_secs(24 * 3600));
        assert!(out.is_empty(), "{code}: {out:?}");
        assert!(h.check_liveness().is_empty(), "{code}: going online does not retry either");
        assert!(opened(&h.outputs).is_empty(), "{code}");
        assert_eq!(h.conn.channels().collect::<Vec<_>>(), ["rooms"], "{code}: channels stay wanted");
    }
}

#[test]
fn connect_after_a_refusal_tries_again() {
    let mut h = Harness::connected("1.1");
    h.close(Some(4001));
    assert_eq!(opened(&h.connect()), [url("ws")]);
    assert_eq!(h.conn.state(), ConnectionState::Connecting);
}

/// Connected as `1.1` with `reconnect_base_delay` = `base` and jitter seed
/// `seed`.
fn connected_with_base_delay(base: Duration, seed: u64) -> Harness {
    let mut h = Harness::with(
        EchoOptions {
            reconnect_base_delay: base,
            ..options()
        },
        seed,
    );
    h.connect();
    h.establish("1.1", 120);
    h
}

#[test]
fn close_4100_waits_at_least_one_second_with_jitter_on_top() {
    for code in [4100, 4150, 4199] {
        // Whatever the base delay: the protocol's floor holds.
        for base in [Duration::from_secs(1), Duration::from_millis(100), Duration::ZERO] {
            let mut delays = Vec::new();
            for seed in 1..=40 {
                let mut h = connected_with_base_delay(base, seed);
                let delay = retry_delay(&h.close(Some(code)));
                assert!(
                    opened(&h.advance(delay - Duration::from_millis(1))).is_empty(),
                    "{code}: not before the delay"
                );
                assert_eq!(opened(&h.advance(Duration::from_millis(1))), [url("ws")], "{code}");
                delays.push(delay);
            }
            let (least, most) = (delays.iter().min().unwrap(), delays.iter().max().unwrap());
            assert!(*least >= Duration::from_secs(1), "{code}, base {base:?}: {delays:?}");
            assert!(*most <= Duration::from_millis(1500), "{code}, base {base:?}: {delays:?}");
            assert!(least < most, "{code}, base {base:?}: jittered, {delays:?}");
        }
    }
}

/// The first retry after each close code, against pusher-js 8.6
/// (`protocol.ts` `getCloseAction`, `connection_manager.ts`
/// `buildErrorCallbacks`): `refused` never retries, `tls_only` and `retry`
/// retry at once (`retryIn(0)`), `backoff` and a plain close retry after
/// `retryIn(1000)`. echo-rs keeps those delays as floors and adds jitter of
/// up to half on top; a plain close follows `reconnect_base_delay` (1 s by
/// default, so the same floor), a `backoff` code never goes below 1 s.
#[test]
fn every_close_code_waits_as_pusher_js_does() {
    const NEVER: Option<(u64, u64)> = None;
    let at_once = Some((0, 0));
    let one_second = Some((1000, 1500));
    // (close code, pusher-js action, first retry in [ms, ms] with the
    // default options, and with reconnect_base_delay = 100 ms)
    type Range = Option<(u64, u64)>;
    let table: [(Option<u16>, &str, Range, Range); 25] = [
        (None, "closed", one_second, Some((100, 150))),
        (Some(1000), "closed", one_second, Some((100, 150))),
        (Some(1001), "closed", one_second, Some((100, 150))),
        (Some(1002), "backoff", one_second, one_second),
        (Some(1003), "backoff", one_second, one_second),
        (Some(1004), "backoff", one_second, one_second),
        (Some(1005), "closed", one_second, Some((100, 150))),
        (Some(1006), "closed", one_second, Some((100, 150))),
        (Some(1011), "closed", one_second, Some((100, 150))),
        (Some(3999), "closed", one_second, Some((100, 150))),
        (Some(4000), "tls_only", at_once, at_once),
        (Some(4001), "refused", NEVER, NEVER),
        (Some(4004), "refused", NEVER, NEVER),
        (Some(4009), "refused", NEVER, NEVER),
        (Some(4099), "refused", NEVER, NEVER),
        (Some(4100), "backoff", one_second, one_second),
        (Some(4150), "backoff", one_second, one_second),
        (Some(4199), "backoff", one_second, one_second),
        (Some(4200), "retry", at_once, at_once),
        (Some(4201), "retry", at_once, at_once),
        (Some(4202), "retry", at_once, at_once),
        (Some(4299), "retry", at_once, at_once),
        (Some(4300), "refused", NEVER, NEVER),
        (Some(4301), "refused", NEVER, NEVER),
        (Some(4302), "refused", NEVER, NEVER),
    ];
    for (code, action, default_range, short_base_range) in table {
        for (base, range) in [
            (Duration::from_secs(1), default_range),
            (Duration::from_millis(100), short_base_range),
        ] {
            let mut seen = Vec::new();
            for seed in 1..=30 {
                let mut h = connected_with_base_delay(base, seed);
                let out = h.close(code);
                let retries: Vec<Duration> = out
                    .iter()
                    .filter_map(|o| if let Output::ConnectingIn(d) = o { Some(*d) } else { None })
                    .collect();
                match range {
                    None => {
                        assert!(retries.is_empty(), "{code:?} ({action}): never retries, got {retries:?}");
                        assert_eq!(h.conn.state(), ConnectionState::Failed, "{code:?} ({action})");
                    }
                    Some((least, most)) => {
                        assert_eq!(retries.len(), 1, "{code:?} ({action}): {out:?}");
                        let delay = retries[0];
                        assert!(
                            delay >= Duration::from_millis(least) && delay <= Duration::from_millis(most),
                            "{code:?} ({action}), base {base:?}: {delay:?} not in [{least}, {most}] ms"
                        );
                        // The socket opens exactly then.
                        let opened_at = h.now + delay;
                        h.wait_for_open();
                        assert_eq!(h.now, opened_at, "{code:?} ({action})");
                        seen.push(delay);
                    }
                }
            }
            if let Some((least, most)) = range.filter(|(l, m)| l != m) {
                assert!(
                    seen.iter().min() < seen.iter().max(),
                    "{code:?} ({action}): jittered within [{least}, {most}] ms, got {seen:?}"
                );
            }
        }
    }
}

#[test]
fn close_4200_and_4201_retry_at_once_the_first_time() {
    for code in [4200, 4201, 4202, 4299] {
        let mut h = Harness::connected("1.1");
        let out = h.close(Some(code));
        assert_eq!(states(&out), [ConnectionState::Connecting], "{code}");
        assert_eq!(retry_delay(&out), Duration::ZERO, "{code}");
        let start = h.now;
        assert_eq!(opened(&h.advance_to_next_deadline()), [url("ws")], "{code}");
        assert_eq!(h.now, start, "{code}");

        // The same failure again before a handshake backs off instead.
        let delay = retry_delay(&h.close(Some(code)));
        assert!(delay >= Duration::from_secs(2), "{code}: {delay:?}");
    }
}

#[test]
fn abnormal_close_1006_backs_off() {
    for code in [Some(1000), Some(1006), None] {
        let mut h = Harness::connected("1.1");
        let out = h.close(code);
        assert_eq!(states(&out), [ConnectionState::Connecting], "{code:?}");
        assert_eq!(closes(&out), 0, "{code:?}: the socket is already closed");
        let delay = retry_delay(&out);
        assert!(
            delay >= Duration::from_secs(1) && delay <= Duration::from_millis(1500),
            "{code:?}: {delay:?}"
        );
        let start = h.now;
        assert_eq!(opened(&h.wait_for_open()), [url("ws")]);
        assert_eq!(h.now - start, delay, "{code:?}");
    }
}

/// The delays of `failures` connection attempts in a row that all fail with
/// a 1006 close.
fn delays_of_failures(seed: u64, failures: usize) -> Vec<Duration> {
    let mut h = Harness::with(options(), seed);
    h.connect();
    (0..failures)
        .map(|_| {
            let delay = retry_delay(&h.close(Some(1006)));
            h.wait_for_open();
            delay
        })
        .collect()
}

#[test]
fn reconnect_delay_grows_exponentially_up_to_the_max() {
    let delays = delays_of_failures(7, 12);
    for (attempt, delay) in delays.iter().enumerate() {
        let step = Duration::from_secs(1 << attempt).min(Duration::from_secs(30));
        let most = (step + step / 2).min(Duration::from_secs(30));
        assert!(
            *delay >= step && *delay <= most,
            "attempt {attempt}: {delay:?} not in [{step:?}, {most:?}]"
        );
    }
    for pair in delays.windows(2).take(4) {
        assert!(pair[1] >= pair[0], "grows while under the cap: {delays:?}");
    }
    assert!(delays[5..].iter().all(|d| *d == Duration::from_secs(30)), "{delays:?}");
}

#[test]
fn reconnect_delay_is_jittered_by_the_seed() {
    let a = delays_of_failures(1, 10);
    let b = delays_of_failures(2, 10);
    assert_ne!(a, b, "two clients must not reconnect in lockstep");
    assert!(a.iter().zip(&b).any(|(x, y)| x != y));
}

#[test]
fn retries_never_give_up() {
    let mut h = Harness::new();
    h.connect();
    for failure in 0..50 {
        let delay = retry_delay(&h.close(Some(1006)));
        assert!(delay <= Duration::from_secs(30), "failure {failure}: {delay:?}");
        h.wait_for_open();
    }
    assert_eq!(opened(&h.outputs).len(), 51);
    assert_eq!(h.conn.state(), ConnectionState::Unavailable);
    h.establish("1.1", 120);
    assert_eq!(h.conn.state(), ConnectionState::Connected);
    // A fresh connection starts the backoff again.
    let delay = retry_delay(&h.close(Some(1006)));
    assert!(delay <= Duration::from_millis(1500), "{delay:?}");
}

// ---------------------------------------------------------------------------
// Unavailable.
// ---------------------------------------------------------------------------

#[test]
fn connecting_too_long_becomes_unavailable_and_keeps_retrying() {
    let mut h = Harness::new();
    h.connect();
    h.conn.handle_open(h.now);
    let start = h.now;
    let out = h.advance_to_next_deadline();
    assert_eq!(h.now - start, Duration::from_secs(10), "unavailable_timeout");
    assert_eq!(
        out,
        [Output::StateChange {
            previous: ConnectionState::Connecting,
            current: ConnectionState::Unavailable,
            status: ConnectionStatus::Failed,
        }]
    );

    // The handshake times out at 15 s; retries go on, still unavailable.
    let out = h.wait_for_open();
    assert_eq!(opened(&out), [url("ws")]);
    assert!(states(&out).is_empty(), "stays unavailable while retrying: {out:?}");
    h.close(Some(1006));
    h.wait_for_open();
    assert_eq!(h.conn.state(), ConnectionState::Unavailable);

    let out = h.establish("1.1", 120);
    assert_eq!(
        out,
        [Output::StateChange {
            previous: ConnectionState::Unavailable,
            current: ConnectionState::Connected,
            status: ConnectionStatus::Connected,
        }]
    );
}

#[test]
fn losing_a_connection_for_long_becomes_unavailable() {
    let mut h = Harness::connected("1.1");
    let start = h.now;
    h.close(Some(1006));
    while h.now - start < Duration::from_secs(10) {
        h.wait_for_open();
        h.close(Some(1006));
    }
    assert_eq!(h.conn.state(), ConnectionState::Unavailable);
    assert_eq!(states(&h.outputs), [ConnectionState::Connecting, ConnectionState::Unavailable]);
    h.wait_for_open();
    h.establish("2.2", 120);
    assert_eq!(h.conn.state(), ConnectionState::Connected);
    // A quick loss later starts from connecting again.
    h.forget();
    h.close(Some(1006));
    assert_eq!(h.conn.state(), ConnectionState::Connecting);
}

fn statuses(outputs: &[Output]) -> Vec<ConnectionStatus> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::StateChange { status, .. } => Some(*status),
            _ => None,
        })
        .collect()
}

#[test]
fn echo_status_says_reconnecting_only_for_a_connection_that_was_up() {
    let mut h = Harness::new();
    assert_eq!(h.conn.status(), ConnectionStatus::Disconnected, "initialized");
    // The first connection: a server that cannot be reached is `failed`
    // once unavailable (Echo's folding), and never `reconnecting`.
    let start = h.now;
    h.connect();
    h.close(Some(1006));
    while h.now - start < Duration::from_secs(10) {
        h.wait_for_open();
        h.close(Some(1006));
    }
    assert_eq!(statuses(&h.outputs), [ConnectionStatus::Connecting, ConnectionStatus::Failed]);
    h.wait_for_open();
    h.establish("1.1", 120);
    assert_eq!(h.conn.status(), ConnectionStatus::Connected);

    // Lost after being up: `reconnecting`, through unavailable too, until
    // connected again.
    h.forget();
    let start = h.now;
    h.close(Some(1006));
    assert_eq!(h.conn.status(), ConnectionStatus::Reconnecting);
    while h.now - start < Duration::from_secs(10) {
        h.wait_for_open();
        h.close(Some(1006));
    }
    assert_eq!(h.conn.state(), ConnectionState::Unavailable);
    h.wait_for_open();
    h.establish("2.2", 120);
    assert_eq!(
        statuses(&h.outputs),
        [
            ConnectionStatus::Reconnecting,
            ConnectionStatus::Reconnecting,
            ConnectionStatus::Connected
        ]
    );

    // `disconnect()` then `connect()` is a fresh start: `connecting`.
    h.forget();
    h.disconnect();
    h.connect();
    assert_eq!(statuses(&h.outputs), [ConnectionStatus::Disconnected, ConnectionStatus::Connecting]);
    assert_eq!(ConnectionStatus::Reconnecting.as_str(), "reconnecting");
}

// ---------------------------------------------------------------------------
// disconnect() / connect().
// ---------------------------------------------------------------------------

#[test]
fn disconnect_is_sticky() {
    let mut h = Harness::connected("1.1");
    let out = h.disconnect();
    assert_eq!(
        out,
        [
            Output::CloseSocket,
            Output::StateChange {
                previous: ConnectionState::Connected,
                current: ConnectionState::Disconnected,
                status: ConnectionStatus::Disconnected,
            },
        ]
    );
    // The shell may still report the close of the socket it was closing.
    let out = h.close(Some(1006));
    assert!(out.is_empty(), "{out:?}");
    assert_eq!(h.conn.poll_timeout(), None);
    assert!(h.advance(Duration::from_secs(3600)).is_empty());
    assert!(h.check_liveness().is_empty());
    assert_eq!(h.conn.state(), ConnectionState::Disconnected);
}

#[test]
fn disconnect_while_waiting_to_reconnect_cancels_the_retry() {
    let mut h = Harness::connected("1.1");
    h.close(Some(1006));
    let out = h.disconnect();
    assert_eq!(closes(&out), 0, "no socket to close");
    assert_eq!(states(&out), [ConnectionState::Disconnected]);
    assert_eq!(h.conn.poll_timeout(), None);
    assert!(opened(&h.advance(Duration::from_secs(3600))).is_empty());
}

#[test]
fn connect_after_disconnect_reconnects_and_resubscribes() {
    let mut h = Harness::connected("1.1");
    h.subscribe("rooms");
    h.server(&subscription_succeeded("rooms"));
    h.disconnect();
    assert!(!h.conn.is_subscribed("rooms"));
    h.forget();

    let out = h.connect();
    assert_eq!(states(&out), [ConnectionState::Connecting]);
    assert_eq!(opened(&out), [url("ws")]);
    assert_eq!(sends(&h.establish("2.2", 120)), [subscribe_frame("rooms")]);
    assert_eq!(subscribed(&h.server(&subscription_succeeded("rooms"))), [("rooms", true)]);
}

#[test]
fn connect_while_connecting_or_connected_does_nothing() {
    let mut h = Harness::new();
    h.connect();
    assert!(h.connect().is_empty());
    h.establish("1.1", 120);
    assert!(h.connect().is_empty());
    assert_eq!(opened(&h.outputs).len(), 1);
}

// ---------------------------------------------------------------------------
// In-band pusher:error.
// ---------------------------------------------------------------------------

#[test]
fn in_band_error_while_connected_keeps_the_socket_open() {
    let mut h = Harness::connected("1.1");
    let out = h.server(r#"{"event":"pusher:error","data":{"message":"Client event rejected","code":4301}}"#);
    assert_eq!(
        out,
        [Output::Error(EchoError::Server {
            code: Some(4301),
            message: "Client event rejected".into()
        })]
    );
    // Reverb's string-encoded data, and no code at all.
    let out = h.server(r#"{"event":"pusher:error","data":"{\"message\":\"Connection is unauthorized\",\"code\":4009}"}"#);
    assert_eq!(
        out,
        [Output::Error(EchoError::Server {
            code: Some(4009),
            message: "Connection is unauthorized".into()
        })]
    );
    let out = h.server(r#"{"event":"pusher:error","data":{"message":"oops"}}"#);
    assert_eq!(
        out,
        [Output::Error(EchoError::Server {
            code: None,
            message: "oops".into()
        })]
    );

    assert_eq!(closes(&h.outputs), 0);
    assert_eq!(h.conn.state(), ConnectionState::Connected);
    assert_eq!(
        h.conn.poll_timeout(),
        Some(h.now + Duration::from_secs(120)),
        "only the idle timer is armed"
    );
}

const UNAUTHORIZED_OBJECT: &str = r#"{"event":"pusher:error","data":{"message":"Connection is unauthorized","code":4009}}"#;
/// Reverb's form: `data` a JSON string.
const UNAUTHORIZED_STRING: &str = r#"{"event":"pusher:error","data":"{\"message\":\"Connection is unauthorized\",\"code\":4009}"}"#;

fn refused_4009(channel: &str) -> Output {
    Output::SubscriptionError {
        channel: channel.into(),
        error: EchoError::SubscriptionRefused {
            channel: channel.into(),
            code: Some(4009),
            status: None,
            message: "Connection is unauthorized".into(),
        },
    }
}

/// Subscribes `channel` on `h`, authorizing it when it needs auth, so that
/// its `pusher:subscribe` is sent and unanswered.
fn pending(h: &mut Harness, channel: &str) {
    h.subscribe(channel);
    if channel.starts_with("private-") || channel.starts_with("presence-") {
        let result = if channel.starts_with("presence-") {
            presence_auth(&json!({ "user_id": "1" }))
        } else {
            auth("local-key:sig")
        };
        let socket_id = h.conn.socket_id().unwrap().to_owned();
        h.authorize(channel, &socket_id, result);
    }
}

#[test]
fn a_channel_less_4009_goes_to_the_oldest_pending_subscribe_that_carried_auth() {
    for frame in [UNAUTHORIZED_OBJECT, UNAUTHORIZED_STRING] {
        let mut h = Harness::connected("1.1");
        // Public channels before, between and after; two with auth.
        for channel in ["rooms", "private-a", "venues", "presence-b", "gallery"] {
            pending(&mut h, channel);
        }
        h.forget();
        assert_eq!(h.server(frame), [refused_4009("private-a")], "at once, to the first with auth");
        assert_eq!(h.server(frame), [refused_4009("presence-b")]);
        // No authorized subscribe left: a 4009 now is the connection's.
        let out = h.server(frame);
        assert!(matches!(errors(&out)[..], [EchoError::Server { code: Some(4009), .. }]), "{out:?}");
        assert!(subscription_errors(&out).is_empty());
        for channel in ["rooms", "venues", "gallery"] {
            assert!(h.conn.channels().any(|c| c == channel));
            assert_eq!(
                subscribed(&h.server(&subscription_succeeded(channel))),
                [(channel, false)],
                "public channels unaffected"
            );
        }
        assert_eq!(closes(&h.outputs), 0);
        assert_eq!(h.conn.state(), ConnectionState::Connected);
        // The refused ones are tried again on the next connection.
        let out = h.reconnect(Some(1006), "2.2");
        let asked: Vec<&str> = out
            .iter()
            .filter_map(|o| {
                if let Output::Authorize { channel, .. } = o {
                    Some(channel.as_str())
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(asked, ["presence-b", "private-a"]);
    }
}

#[test]
fn answers_in_order_skip_channels_that_succeeded_or_were_left() {
    let mut h = Harness::connected("1.1");
    for channel in ["private-a", "private-b", "private-c", "private-d"] {
        pending(&mut h, channel);
    }
    h.forget();
    // a succeeded; b was left before its answer came: the first 4009 is b's.
    h.server(&subscription_succeeded("private-a"));
    h.unsubscribe("private-b");
    let out = h.server(UNAUTHORIZED_OBJECT);
    assert!(
        subscription_errors(&out).is_empty() && errors(&out).is_empty(),
        "b's answer, dropped with b: {out:?}"
    );
    assert_eq!(h.server(UNAUTHORIZED_OBJECT), [refused_4009("private-c")]);
    assert!(!h.conn.is_subscribed("private-c"));
    assert_eq!(subscribed(&h.server(&subscription_succeeded("private-d"))), [("private-d", false)]);
    assert!(h.conn.is_subscribed("private-a"));

    // Left and subscribed again: the old subscribe's 4009 is not the new one's.
    let mut h = Harness::connected("1.1");
    pending(&mut h, "private-x");
    h.unsubscribe("private-x");
    pending(&mut h, "private-x");
    h.forget();
    assert!(h.server(UNAUTHORIZED_OBJECT).is_empty());
    assert_eq!(subscribed(&h.server(&subscription_succeeded("private-x"))), [("private-x", false)]);
}

#[test]
fn errors_not_about_a_subscription_are_never_pinned_on_a_pending_channel() {
    for frame in [
        // 4200: a malformed message (Reverb's answer to a bad whisper) or a
        // shutdown notice; 4301: client event rate limit; no code at all.
        r#"{"event":"pusher:error","data":{"message":"Invalid message format","code":4200}}"#,
        r#"{"event":"pusher:error","data":{"message":"Server shutting down","code":4200}}"#,
        r#"{"event":"pusher:error","data":{"message":"Client event rejected - rate limit","code":4301}}"#,
        r#"{"event":"pusher:error","data":{"message":"oops"}}"#,
    ] {
        for channels in [&["private-orders.1"][..], &["rooms"], &["rooms", "private-orders.1"]] {
            let mut h = Harness::connected("1.1");
            for channel in channels {
                pending(&mut h, channel);
            }
            h.forget();
            let out = h.server(frame);
            assert!(subscription_errors(&out).is_empty(), "{frame} with {channels:?}: {out:?}");
            assert!(matches!(errors(&out)[..], [EchoError::Server { .. }]), "{frame}: {out:?}");
            // Still pending: their own answer settles them.
            for channel in channels {
                assert_eq!(subscribed(&h.server(&subscription_succeeded(channel))), [(*channel, false)]);
            }
        }
    }
    // A 4009 is never a public channel's either.
    let mut h = Harness::connected("1.1");
    pending(&mut h, "rooms");
    h.forget();
    let out = h.server(UNAUTHORIZED_OBJECT);
    assert!(subscription_errors(&out).is_empty() && errors(&out).len() == 1, "{out:?}");
}

#[test]
fn an_error_naming_a_pending_channel_is_that_channels() {
    let mut h = Harness::connected("1.1");
    pending(&mut h, "private-a");
    pending(&mut h, "rooms");
    h.forget();
    let out = h.server(r#"{"event":"pusher:error","channel":"rooms","data":{"message":"Channel name too long","code":4300}}"#);
    assert_eq!(
        subscription_errors(&out),
        [(
            "rooms",
            &EchoError::SubscriptionRefused {
                channel: "rooms".into(),
                code: Some(4300),
                status: None,
                message: "Channel name too long".into(),
            }
        )]
    );
    // private-a's own answer is still the next 4009.
    assert_eq!(h.server(UNAUTHORIZED_OBJECT), [refused_4009("private-a")]);
}

#[test]
fn pushers_code_null_invalid_signature_goes_to_the_channel_it_names() {
    let mut h = Harness::connected("123.456");
    for channel in ["private-x", "private-x.1", "presence-y", "rooms"] {
        pending(&mut h, channel);
    }
    h.forget();
    let invalid = |channel: &str, tail: &str| {
        json!({ "event": "pusher:error", "data": { "code": null, "message": format!(
            "Invalid signature: Expected HMAC SHA256 hex digest of 123.456:{channel}{tail}, but got 0000"
        ) } })
        .to_string()
    };
    let out = h.server(&invalid("private-x.1", ""));
    assert!(
        matches!(&subscription_errors(&out)[..], [("private-x.1", EchoError::SubscriptionRefused { code: None, message, .. })] if message.starts_with("Invalid signature")),
        "the longest name: {out:?}"
    );
    // Presence signatures cover the channel data too.
    let out = h.server(&invalid("presence-y", r#":{"user_id":"1"}"#));
    assert_eq!(
        subscription_errors(&out).iter().map(|(c, _)| *c).collect::<Vec<_>>(),
        ["presence-y"]
    );
    // private-x's own answer is still the next 4009's: the named ones were taken out of the queue.
    assert_eq!(h.server(UNAUTHORIZED_OBJECT), [refused_4009("private-x")]);
    // A message naming no pending channel stays the connection's.
    let out = h.server(&invalid("private-other", ""));
    assert!(subscription_errors(&out).is_empty() && errors(&out).len() == 1, "{out:?}");
}

#[test]
fn an_error_naming_a_channel_no_longer_pending_takes_its_answer_out_of_the_queue() {
    let mut h = Harness::connected("1.1");
    pending(&mut h, "private-a");
    pending(&mut h, "private-b");
    h.unsubscribe("private-a");
    h.forget();
    // a's own answer, naming it: the connection's (a was left), and not b's.
    let out = h.server(r#"{"event":"pusher:error","channel":"private-a","data":{"message":"no","code":4009}}"#);
    assert!(subscription_errors(&out).is_empty(), "{out:?}");
    assert_eq!(h.server(UNAUTHORIZED_OBJECT), [refused_4009("private-b")]);
}

#[test]
fn the_answer_to_a_subscribe_left_and_sent_again_is_not_taken_as_the_new_ones() {
    // The server handles subscribe #1, unsubscribe, subscribe #2 in order.
    let mut h = Harness::connected("1.1");
    pending(&mut h, "private-a");
    h.unsubscribe("private-a");
    pending(&mut h, "private-a");
    h.forget();
    assert!(
        subscribed(&h.server(&subscription_succeeded("private-a"))).is_empty(),
        "#1's success"
    );
    assert!(!h.conn.is_subscribed("private-a"), "the server unsubscribed it after #1");
    assert_eq!(h.server(UNAUTHORIZED_OBJECT), [refused_4009("private-a")], "#2's refusal");
    assert!(!h.conn.is_subscribed("private-a"));

    // Soketi's form: #1 refused, #2 succeeds.
    let mut h = Harness::connected("1.1");
    pending(&mut h, "private-a");
    h.unsubscribe("private-a");
    pending(&mut h, "private-a");
    h.forget();
    let refusal = json!({ "event": "pusher:subscription_error", "channel": "private-a", "data": { "type": "AuthError", "error": "no", "status": 401 } });
    assert!(h.server(&refusal.to_string()).is_empty(), "#1's refusal is not #2's");
    assert_eq!(subscribed(&h.server(&subscription_succeeded("private-a"))), [("private-a", false)]);
}

#[test]
fn soketis_subscription_error_names_its_channel() {
    let mut h = Harness::connected("1.1");
    pending(&mut h, "private-a");
    pending(&mut h, "private-b");
    h.forget();
    let frame = json!({
        "event": "pusher:subscription_error",
        "channel": "private-b",
        "data": { "type": "AuthError", "error": "The connection is unauthorized.", "status": 401 },
    });
    let out = h.server(&frame.to_string());
    assert_eq!(
        out,
        [Output::SubscriptionError {
            channel: "private-b".into(),
            error: EchoError::SubscriptionRefused {
                channel: "private-b".into(),
                code: None,
                status: Some(401),
                message: "AuthError: The connection is unauthorized.".into(),
            },
        }]
    );
    if let Output::SubscriptionError { error, .. } = &out[0] {
        assert_eq!(
            error.to_string(),
            "subscription to private-b refused by the server (status 401): AuthError: The connection is unauthorized."
        );
    }
    // Not an event for listeners; and private-a is still the next 4009's.
    assert!(events(&out).is_empty());
    assert_eq!(h.server(UNAUTHORIZED_OBJECT), [refused_4009("private-a")]);
    // For a channel not waiting for an answer it is ignored.
    assert!(h.server(&frame.to_string()).is_empty());
}

#[test]
fn pusher_error_instead_of_the_handshake_acts_like_its_close_code() {
    // 4001: refused.
    let mut h = Harness::new();
    h.connect();
    h.conn.handle_open(h.now);
    let out = h.server(r#"{"event":"pusher:error","data":{"message":"App key not in this cluster","code":4001}}"#);
    assert_eq!(closes(&out), 1);
    assert!(matches!(errors(&out)[..], [EchoError::Refused { code: 4001, .. }]), "{out:?}");
    assert_eq!(h.conn.state(), ConnectionState::Failed);
    assert_eq!(h.conn.poll_timeout(), None);

    // 4000: the server then closes the socket we already dropped, so the
    // switch to TLS must happen here.
    let mut h = Harness::new();
    h.connect();
    h.conn.handle_open(h.now);
    let out = h.server(r#"{"event":"pusher:error","data":{"message":"Application only accepts SSL connections","code":4000}}"#);
    assert_eq!(closes(&out), 1);
    assert_eq!(retry_delay(&out), Duration::ZERO);
    assert_eq!(opened(&h.advance_to_next_deadline()), [url("wss")]);

    // 4100: backoff.
    let mut h = Harness::new();
    h.connect();
    h.conn.handle_open(h.now);
    let out = h.server(r#"{"event":"pusher:error","data":{"message":"Over capacity","code":4100}}"#);
    assert_eq!(closes(&out), 1);
    assert!(retry_delay(&out) >= Duration::from_secs(1));
}

// ---------------------------------------------------------------------------
// Private and presence channels.
// ---------------------------------------------------------------------------

#[test]
fn private_channel_asks_for_authorization_with_the_socket_id() {
    let mut h = Harness::connected("123.456");
    let out = h.subscribe("private-orders.1");
    assert_eq!(
        out,
        [Output::Authorize {
            channel: "private-orders.1".into(),
            socket_id: "123.456".into()
        }]
    );
    assert!(h.sent.is_empty(), "nothing is sent before the signature");

    // Queued before connecting: authorized once the socket id is known.
    let mut h = Harness::new();
    assert!(h.subscribe("presence-room.1").is_empty());
    h.connect();
    let out = h.establish("9.9", 120);
    assert!(
        out.contains(&Output::Authorize {
            channel: "presence-room.1".into(),
            socket_id: "9.9".into()
        }),
        "{out:?}"
    );
}

#[test]
fn authorized_private_channel_subscribes_with_auth() {
    let mut h = Harness::connected("123.456");
    h.subscribe("private-orders.1");
    let out = h.authorize("private-orders.1", "123.456", auth("local-key:abc123"));
    assert_eq!(sends(&out).len(), 1);
    assert_eq!(
        json_of(sends(&out)[0]),
        json!({ "event": "pusher:subscribe", "data": { "channel": "private-orders.1", "auth": "local-key:abc123" } })
    );
    let out = h.server(&subscription_succeeded("private-orders.1"));
    assert_eq!(subscribed(&out), [("private-orders.1", false)]);

    // A second, late answer changes nothing.
    assert!(h.authorize("private-orders.1", "123.456", auth("local-key:abc123")).is_empty());
}

#[test]
fn presence_channel_subscribes_with_channel_data_and_reports_members() {
    let mut h = Harness::connected("1.1");
    h.subscribe("presence-room.1");
    let channel_data = r#"{"user_id":"1","user_info":{"name":"Ann"}}"#;
    let result = Ok(ChannelAuth {
        auth: "local-key:sig".into(),
        channel_data: Some(channel_data.into()),
        shared_secret: None,
    });
    let out = h.authorize("presence-room.1", "1.1", result);
    assert_eq!(
        json_of(sends(&out)[0]),
        json!({ "event": "pusher:subscribe", "data": { "channel": "presence-room.1", "auth": "local-key:sig", "channel_data": channel_data } })
    );
    let members = json!({ "presence": { "ids": ["1"], "hash": { "1": { "name": "Ann" } }, "count": 1 } });
    let out = h.server(
        &json!({ "event": "pusher_internal:subscription_succeeded", "channel": "presence-room.1", "data": members.to_string() })
            .to_string(),
    );
    assert_eq!(
        out,
        [
            Output::Subscribed {
                channel: "presence-room.1".into(),
                resubscribed: false,
                data: members
            },
            Output::Here {
                channel: "presence-room.1".into(),
                members: vec![Member {
                    id: "1".into(),
                    info: json!({ "name": "Ann" })
                }],
            },
        ]
    );
}

#[test]
fn auth_for_an_old_socket_id_is_discarded_and_the_channel_reauthorized() {
    let mut h = Harness::new();
    h.subscribe("private-orders.1");
    h.connect();
    let out = h.establish("1.1", 120);
    assert!(out.contains(&Output::Authorize {
        channel: "private-orders.1".into(),
        socket_id: "1.1".into()
    }));

    // The connection drops while the auth request is in flight.
    h.close(Some(1006));
    assert!(
        h.authorize("private-orders.1", "1.1", auth("local-key:old")).is_empty(),
        "no socket to use it on"
    );
    h.wait_for_open();
    let out = h.establish("2.2", 120);
    assert!(
        out.contains(&Output::Authorize {
            channel: "private-orders.1".into(),
            socket_id: "2.2".into()
        }),
        "{out:?}"
    );

    // Another stale answer arriving after the new handshake is dropped too.
    assert!(h.authorize("private-orders.1", "1.1", auth("local-key:old")).is_empty());
    assert!(h.sent.is_empty());

    let out = h.authorize("private-orders.1", "2.2", auth("local-key:new"));
    assert_eq!(json_of(sends(&out)[0])["data"]["auth"], "local-key:new");
    assert_eq!(h.sent.len(), 1);
}

#[test]
fn failed_auth_is_a_subscription_error_and_other_channels_carry_on() {
    let mut h = Harness::connected("1.1");
    h.subscribe("private-orders.1");
    h.subscribe("rooms");
    let error = EchoError::Auth {
        channel: "private-orders.1".into(),
        cause: AuthFailure::Status(403),
        reason: "HTTP 403".into(),
    };
    let out = h.authorize("private-orders.1", "1.1", Err(error.clone()));
    assert_eq!(
        out,
        [Output::SubscriptionError {
            channel: "private-orders.1".into(),
            error
        }]
    );
    assert_eq!(closes(&h.outputs), 0);
    assert_eq!(h.conn.state(), ConnectionState::Connected);

    let out = h.server(&subscription_succeeded("rooms"));
    assert_eq!(subscribed(&out), [("rooms", false)]);
    assert!(h.conn.is_subscribed("rooms"));
    assert!(!h.conn.is_subscribed("private-orders.1"));
    assert_eq!(h.sent, [subscribe_frame("rooms")]);

    // The channel stays wanted: subscribing again asks again.
    let out = h.subscribe("private-orders.1");
    assert_eq!(
        out,
        [Output::Authorize {
            channel: "private-orders.1".into(),
            socket_id: "1.1".into()
        }]
    );
}

#[test]
fn presence_auth_without_channel_data_is_a_subscription_error() {
    let mut h = Harness::connected("1.1");
    h.subscribe("presence-room.1");
    let out = h.authorize("presence-room.1", "1.1", auth("local-key:sig"));
    let errors = subscription_errors(&out);
    assert_eq!(errors.len(), 1, "{out:?}");
    assert_eq!(errors[0].0, "presence-room.1");
    assert!(errors[0].1.to_string().contains("channel_data"), "{}", errors[0].1);
    assert!(sends(&out).is_empty(), "no subscribe without channel_data");
}

#[test]
fn auth_for_a_channel_left_meanwhile_is_dropped() {
    let mut h = Harness::connected("1.1");
    h.subscribe("private-orders.1");
    assert!(
        sends(&h.unsubscribe("private-orders.1")).is_empty(),
        "never subscribed on the server"
    );
    assert!(h.authorize("private-orders.1", "1.1", auth("local-key:sig")).is_empty());
    assert!(h.sent.is_empty());
}

// ---------------------------------------------------------------------------
// Robustness and liveness checks.
// ---------------------------------------------------------------------------

#[test]
fn broken_frames_are_reported_and_the_connection_stays_up() {
    let mut h = Harness::connected("1.1");
    let cases = [
        ("not json", "not valid JSON"),
        (r#"{"data":"{}"}"#, "no string `event`"),
        (r#"{"event":5}"#, "no string `event`"),
        ("[1,2]", "not a JSON object"),
        ("", "not valid JSON"),
    ];
    for (frame, message) in cases {
        let out = h.server(frame);
        assert_eq!(out.len(), 1, "{frame:?}: {out:?}");
        let Output::Error(error @ EchoError::Protocol(_)) = &out[0] else {
            panic!("{frame:?}: {out:?}")
        };
        assert!(error.to_string().contains(message), "{frame:?}: {error}");
    }
    assert_eq!(h.conn.state(), ConnectionState::Connected);
    assert_eq!(closes(&h.outputs), 0);
    assert_eq!(h.server(PING), [Output::Send(PONG.into())], "still answering");
}

#[test]
fn binary_frames_are_reported_and_dropped() {
    let mut h = Harness::connected("1.1");
    h.conn.handle_binary();
    assert_eq!(h.drain(), [Output::Error(EchoError::Protocol(ProtocolError::BinaryFrame))]);
    assert_eq!(h.conn.state(), ConnectionState::Connected);
}

#[test]
fn check_liveness_while_connected_pings_and_waits_three_seconds() {
    let mut h = Harness::connected("1.1");
    h.advance(Duration::from_secs(5));
    let out = h.check_liveness();
    assert_eq!(sends(&out), [PING]);
    assert_eq!(
        h.conn.poll_timeout(),
        Some(h.now + Duration::from_secs(3)),
        "liveness_timeout, not pong_timeout (30 s)"
    );
    // Any frame answers it.
    h.advance(Duration::from_secs(1));
    h.server(PONG);
    assert_eq!(h.conn.poll_timeout(), Some(h.now + Duration::from_secs(120)));
    assert_eq!(closes(&h.outputs), 0);

    // The deadline is an option.
    let mut h = Harness::with(
        EchoOptions {
            liveness_timeout: Duration::from_millis(1500),
            ..options()
        },
        7,
    );
    h.connect();
    h.establish("1.1", 120);
    h.check_liveness();
    assert_eq!(h.conn.poll_timeout(), Some(h.now + Duration::from_millis(1500)));
}

/// A laptop wakes on a socket that died in its sleep: the page becomes
/// visible and the browser goes online at about the same time.
#[test]
fn waking_on_a_dead_socket_reconnects_within_seconds_and_says_so_once() {
    let mut h = Harness::connected("1.1");
    h.subscribe("rooms");
    h.server(&subscription_succeeded("rooms"));
    h.forget();
    // Several wake-up signals: one ping.
    let mut out = h.check_liveness();
    out.extend(h.check_liveness());
    h.advance(Duration::from_millis(200));
    out.extend(h.check_liveness());
    assert_eq!(sends(&out), [PING], "one ping for several signals");

    // No answer within 3 s of the first: the socket is replaced at once.
    let wake = h.now - Duration::from_millis(200);
    let out = h.advance_to_next_deadline();
    assert_eq!(closes(&out), 1);
    assert_eq!(opened(&out), [url("ws")]);
    assert_eq!(h.now - wake, Duration::from_secs(3));
    assert_eq!(retry_delay(&out), Duration::ZERO);
    h.establish("2.2", 120);
    h.server(&subscription_succeeded("rooms"));
    assert!(h.now - wake <= Duration::from_secs(5));
    assert_eq!(
        states(&h.outputs),
        [ConnectionState::Connecting, ConnectionState::Connected],
        "told once that it reconnected"
    );
    assert_eq!(subscribed(&h.outputs), [("rooms", true)]);
    assert_eq!(sends(&h.outputs).iter().filter(|s| **s == PING).count(), 1);
}

#[test]
fn a_wake_up_during_an_unanswered_ping_shortens_its_wait_and_sends_no_second() {
    let mut h = Harness::connected("1.1");
    // The idle timer pings at 120 s and waits 30 s for any frame.
    assert_eq!(sends(&h.advance(Duration::from_secs(120))), [PING]);
    assert_eq!(h.conn.poll_timeout(), Some(h.now + Duration::from_secs(30)));
    h.advance(Duration::from_secs(10));
    let out = h.check_liveness();
    assert!(sends(&out).is_empty(), "a ping is already unanswered: {out:?}");
    assert_eq!(
        h.conn.poll_timeout(),
        Some(h.now + Duration::from_secs(3)),
        "the wait is cut to 3 s"
    );
    // A later signal never pushes the deadline back.
    h.advance(Duration::from_secs(2));
    h.check_liveness();
    assert_eq!(h.conn.poll_timeout(), Some(h.now + Duration::from_secs(1)));
    let out = h.advance(Duration::from_secs(1));
    assert_eq!((closes(&out), opened(&out).len()), (1, 1));
}

#[test]
fn check_liveness_while_waiting_to_reconnect_reconnects_at_once() {
    let mut h = Harness::connected("1.1");
    h.close(Some(1006));
    assert!(h.conn.poll_timeout().is_some_and(|deadline| deadline > h.now));
    let out = h.check_liveness();
    assert_eq!(opened(&out), [url("ws")]);
    assert_eq!(h.conn.state(), ConnectionState::Connecting);
    // Only one socket: the scheduled retry is gone.
    let out = h.advance(Duration::from_secs(5));
    assert!(opened(&out).is_empty(), "{out:?}");
    h.establish("2.2", 120);
    assert_eq!(h.conn.state(), ConnectionState::Connected);
}

#[test]
fn a_wake_up_never_brings_a_backoff_close_forward_past_its_one_second_floor() {
    for code in [4100, 4199, 1002] {
        let mut h = Harness::connected("1.1");
        let closed = h.now;
        let delay = retry_delay(&h.close(Some(code)));
        assert!(delay >= Duration::from_secs(1));
        h.advance(Duration::from_millis(10));
        // Every client gets `online` at once after a network change.
        assert!(opened(&h.check_liveness()).is_empty(), "{code}: not 10 ms after the close");
        assert_eq!(
            h.conn.poll_timeout(),
            Some(closed + Duration::from_secs(1)),
            "{code}: moved up to the floor"
        );
        let out = h.advance_to_next_deadline();
        assert_eq!(opened(&out), [url("ws")], "{code}");
        assert_eq!(h.now - closed, Duration::from_secs(1), "{code}");
        assert_eq!(opened(&h.outputs).len(), 1, "{code}: one socket");
    }
    // After the floor has passed, a signal retries at once.
    let (mut h, delay) = (1..)
        .map(|seed| {
            let mut h = connected_with_base_delay(Duration::from_secs(1), seed);
            let delay = retry_delay(&h.close(Some(4100)));
            h.forget();
            (h, delay)
        })
        .find(|(_, delay)| *delay > Duration::from_millis(1100))
        .expect("a jittered delay over 1.1 s");
    h.advance(Duration::from_millis(1050));
    assert!(opened(&h.outputs).is_empty(), "scheduled for {delay:?}");
    assert_eq!(opened(&h.check_liveness()), [url("ws")]);
    // A plain drop has no floor: at once.
    let mut h = Harness::connected("1.1");
    h.close(Some(1006));
    assert_eq!(opened(&h.check_liveness()), [url("ws")]);
}

#[test]
fn check_liveness_while_a_socket_is_opening_does_nothing() {
    let mut h = Harness::new();
    h.connect();
    assert!(h.check_liveness().is_empty());
}

// ---------------------------------------------------------------------------
// Presence members (pusher-js `presence_channel.ts` + `members.ts`).
// ---------------------------------------------------------------------------

const ROOM: &str = "presence-room.1";

fn presence_auth(channel_data: &Value) -> Result<ChannelAuth, EchoError> {
    Ok(ChannelAuth {
        auth: "local-key:sig".into(),
        channel_data: Some(channel_data.to_string()),
        shared_secret: None,
    })
}

/// `subscription_succeeded` for a presence channel with `hash` as members.
fn presence_succeeded(channel: &str, ids: &Value, hash: &Value, count: usize) -> String {
    let data = json!({ "presence": { "ids": ids, "hash": hash, "count": count } }).to_string();
    json!({ "event": "pusher_internal:subscription_succeeded", "channel": channel, "data": data }).to_string()
}

fn member_added(channel: &str, user_id: &Value, info: &Value) -> String {
    event(
        channel,
        "pusher_internal:member_added",
        &json!({ "user_id": user_id, "user_info": info }),
    )
}

fn member_removed(channel: &str, user_id: &Value) -> String {
    event(channel, "pusher_internal:member_removed", &json!({ "user_id": user_id }))
}

fn member(id: &str, info: Value) -> Member {
    Member { id: id.into(), info }
}

fn here(outputs: &[Output]) -> Vec<&Vec<Member>> {
    outputs
        .iter()
        .filter_map(|o| {
            if let Output::Here { members, .. } = o {
                Some(members)
            } else {
                None
            }
        })
        .collect()
}

impl Harness {
    /// Joins `channel` as user `user_id` (authorized for `socket_id`), the
    /// server answering with `hash` as the members.
    fn join(&mut self, channel: &str, socket_id: &str, user_id: &Value, hash: &Value) -> Vec<Output> {
        self.subscribe(channel);
        let ids: Vec<&String> = hash.as_object().map(|h| h.keys().collect()).unwrap_or_default();
        let mut out = self.authorize(channel, socket_id, presence_auth(&json!({ "user_id": user_id, "user_info": {} })));
        let count = ids.len();
        out.extend(self.server(&presence_succeeded(channel, &json!(ids), hash, count)));
        out
    }
}

#[test]
fn presence_members_me_and_count_come_from_subscription_and_auth() {
    let mut h = Harness::connected("1.1");
    assert!(h.conn.members("rooms").is_none(), "not a presence channel");
    // The auth gives user_id as a number, the server lists it as a string.
    let out = h.join(ROOM, "1.1", &json!(1), &json!({ "1": { "name": "Ann" }, "2": { "name": "Bob" } }));
    assert_eq!(
        here(&out),
        [&vec![member("1", json!({ "name": "Ann" })), member("2", json!({ "name": "Bob" }))]]
    );
    let members = h.conn.members(ROOM).expect("a presence channel has members");
    assert_eq!(members.count(), 2);
    assert_eq!(members.my_id(), Some("1"));
    assert_eq!(members.me(), Some(&member("1", json!({ "name": "Ann" }))));
    assert_eq!(members.get("2").map(|m| &m.info), Some(&json!({ "name": "Bob" })));
    let mut seen = Vec::new();
    members.each(|m| seen.push(m.id.clone()));
    assert_eq!(seen, ["1", "2"]);
}

#[test]
fn member_added_and_removed_update_the_set_and_are_reported_once() {
    let mut h = Harness::connected("1.1");
    h.join(ROOM, "1.1", &json!("1"), &json!({ "1": {} }));

    let out = h.server(&member_added(ROOM, &json!(3), &json!({ "name": "Cy" })));
    assert_eq!(
        out,
        [Output::MemberAdded {
            channel: ROOM.into(),
            member: member("3", json!({ "name": "Cy" }))
        }]
    );
    assert_eq!(h.conn.members(ROOM).unwrap().count(), 2);

    // Already there ("3" == 3): reported as pusher-js does, not counted twice.
    let out = h.server(&member_added(ROOM, &json!("3"), &json!({ "name": "Cyd" })));
    assert_eq!(
        out,
        [Output::MemberAdded {
            channel: ROOM.into(),
            member: member("3", json!({ "name": "Cyd" }))
        }]
    );
    assert_eq!(h.conn.members(ROOM).unwrap().count(), 2);
    assert_eq!(h.conn.members(ROOM).unwrap().iter().count(), 2);

    let out = h.server(&member_removed(ROOM, &json!("3")));
    assert_eq!(
        out,
        [Output::MemberRemoved {
            channel: ROOM.into(),
            member: member("3", json!({ "name": "Cyd" }))
        }]
    );
    assert!(
        h.server(&member_removed(ROOM, &json!(3))).is_empty(),
        "only a member that existed is reported"
    );
    assert!(h.server(&member_removed(ROOM, &json!("99"))).is_empty());
    assert_eq!(h.conn.members(ROOM).unwrap().count(), 1);
    assert!(events(&h.outputs).is_empty(), "member frames are not delivered as events");
}

#[test]
fn members_are_replaced_on_resubscription_and_cleared_when_the_connection_is_lost() {
    let mut h = Harness::connected("1.1");
    h.join(ROOM, "1.1", &json!("1"), &json!({ "1": {}, "2": {} }));
    h.server(&member_added(ROOM, &json!("3"), &json!({})));

    h.close(Some(1006));
    let members = h.conn.members(ROOM).unwrap();
    assert_eq!((members.count(), members.iter().count(), members.me()), (0, 0, None));

    h.wait_for_open();
    h.establish("2.2", 120);
    h.authorize(ROOM, "2.2", presence_auth(&json!({ "user_id": "1" })));
    let out = h.server(&presence_succeeded(ROOM, &json!(["1", "4"]), &json!({ "1": {}, "4": {} }), 2));
    assert_eq!(subscribed(&out), [(ROOM, true)]);
    assert_eq!(
        here(&out),
        [&vec![member("1", json!({})), member("4", json!({}))]],
        "a reset, not a merge"
    );
    assert_eq!(h.conn.members(ROOM).unwrap().count(), 2);
    assert!(h.conn.members(ROOM).unwrap().get("2").is_none());
}

#[test]
fn malformed_presence_frames_are_errors_not_panics() {
    let mut h = Harness::connected("1.1");
    h.subscribe(ROOM);
    h.authorize(ROOM, "1.1", presence_auth(&json!({ "user_id": "1" })));
    let out = h.server(&subscription_succeeded(ROOM));
    assert_eq!(subscribed(&out), [(ROOM, false)]);
    assert_eq!(here(&out), [&Vec::<Member>::new()]);
    assert!(
        matches!(errors(&out)[..], [EchoError::Protocol(ProtocolError::InvalidPresence { .. })]),
        "{out:?}"
    );

    for frame in [
        event(ROOM, "pusher_internal:member_added", &json!({ "user_info": {} })),
        event(ROOM, "pusher_internal:member_removed", &json!({ "user_id": null })),
        json!({ "event": "pusher_internal:member_added", "channel": ROOM, "data": "not json" }).to_string(),
        json!({ "event": "pusher_internal:member_removed", "channel": ROOM }).to_string(),
    ] {
        let out = h.server(&frame);
        assert!(
            matches!(errors(&out)[..], [EchoError::Protocol(ProtocolError::InvalidPresence { .. })]),
            "{frame}: {out:?}"
        );
    }
    assert_eq!(h.conn.members(ROOM).unwrap().count(), 0);
    assert_eq!(h.conn.state(), ConnectionState::Connected);
}

#[test]
fn presence_client_events_carry_the_senders_user_id() {
    let mut h = Harness::connected("1.1");
    h.join(ROOM, "1.1", &json!("1"), &json!({ "1": {}, "2": {} }));
    let frame = json!({ "event": "client-typing", "channel": ROOM, "data": "{\"typing\":true}", "user_id": "2" }).to_string();
    let out = h.server(&frame);
    assert_eq!(events(&out)[0].user_id, Some(json!("2")));
    assert_eq!(events(&out)[0].data, json!({ "typing": true }));
}

// ---------------------------------------------------------------------------
// Encrypted channels (pusher-js `encrypted_channel.ts`).
// ---------------------------------------------------------------------------

#[cfg(feature = "encryption")]
mod encrypted {
    use super::*;

    mod sealing {
        use base64::engine::general_purpose::STANDARD;
        use base64::Engine as _;
        use crypto_secretbox::aead::{Aead, KeyInit};
        use crypto_secretbox::{Key, Nonce, XSalsa20Poly1305};
        use serde_json::{json, Value};

        /// The auth response's `shared_secret` for `key`.
        pub fn secret(key: &[u8; 32]) -> String {
            STANDARD.encode(key)
        }

        /// `{"ciphertext","nonce"}` as a Laravel server encrypts `plain` for
        /// `key` (NaCl secretbox, tag first).
        pub fn seal(key: &[u8; 32], nonce: &[u8; 24], plain: &Value) -> Value {
            let cipher = XSalsa20Poly1305::new(Key::from_slice(key));
            let sealed = cipher
                .encrypt(Nonce::from_slice(nonce), plain.to_string().as_bytes())
                .expect("encrypting in memory works");
            json!({ "ciphertext": STANDARD.encode(sealed), "nonce": STANDARD.encode(nonce) })
        }

        /// `sealed` with one ciphertext byte flipped.
        pub fn tamper(sealed: &Value) -> Value {
            let mut bytes = STANDARD
                .decode(sealed["ciphertext"].as_str().unwrap_or_default())
                .unwrap_or_default();
            if let Some(last) = bytes.last_mut() {
                *last ^= 1;
            }
            json!({ "ciphertext": STANDARD.encode(bytes), "nonce": sealed["nonce"] })
        }
    }

    const SECURE: &str = "private-encrypted-orders.1";
    const KEY_A: [u8; 32] = [0xA5; 32];
    const KEY_B: [u8; 32] = [0x5B; 32];

    fn encrypted_auth(key: &[u8; 32]) -> Result<ChannelAuth, EchoError> {
        Ok(ChannelAuth {
            auth: "local-key:sig".into(),
            channel_data: None,
            shared_secret: Some(sealing::secret(key)),
        })
    }

    /// Connected as `1.1` with [`SECURE`] subscribed under `key`.
    fn encrypted_subscribed(key: &[u8; 32]) -> Harness {
        let mut h = Harness::connected("1.1");
        assert_eq!(
            h.subscribe(SECURE),
            [Output::Authorize {
                channel: SECURE.into(),
                socket_id: "1.1".into()
            }]
        );
        let out = h.authorize(SECURE, "1.1", encrypted_auth(key));
        assert_eq!(json_of(sends(&out)[0])["data"]["auth"], "local-key:sig");
        h.server(&subscription_succeeded(SECURE));
        h.forget();
        h
    }

    /// The decrypt errors among `outputs`; each must be for [`SECURE`]'s
    /// `error` listeners, none the connection's.
    fn decrypt_errors(outputs: &[Output]) -> usize {
        assert!(errors(outputs).is_empty(), "decrypt errors belong to their channel: {outputs:?}");
        let on_channel = channel_errors(outputs);
        assert!(
            on_channel
                .iter()
                .all(|(channel, error)| *channel == SECURE && matches!(error, EchoError::Decrypt { channel, .. } if channel == SECURE)),
            "{outputs:?}"
        );
        on_channel.len()
    }

    #[test]
    fn encrypted_events_are_delivered_as_their_plaintext() {
        let mut h = encrypted_subscribed(&KEY_A);
        let plain = json!({ "order": 1, "note": "Café 🌴" });
        let out = h.server(&event(SECURE, "OrderShipped", &sealing::seal(&KEY_A, &[7; 24], &plain)));
        assert_eq!(
            out,
            [Output::Event(Frame {
                event: "OrderShipped".into(),
                channel: Some(SECURE.into()),
                data: plain.into(),
                user_id: None
            })]
        );
    }

    #[test]
    fn pusher_events_on_encrypted_channels_are_not_decrypted() {
        let mut h = encrypted_subscribed(&KEY_A);
        let out = h.server(&event(SECURE, "pusher:subscription_count", &json!({ "subscription_count": 2 })));
        assert_eq!(events(&out)[0].data, json!({ "subscription_count": 2 }));
        assert_eq!(decrypt_errors(&out), 0);
    }

    #[test]
    fn a_tampered_payload_reauthorizes_once_then_is_dropped() {
        let mut h = encrypted_subscribed(&KEY_A);
        let bad = sealing::tamper(&sealing::seal(&KEY_A, &[1; 24], &json!({ "secret": true })));
        let out = h.server(&event(SECURE, "OrderShipped", &bad));
        assert_eq!(
            out,
            [Output::Authorize {
                channel: SECURE.into(),
                socket_id: "1.1".into()
            }],
            "re-authorize for a fresh key"
        );

        // Another bad event while the fresh key is awaited waits with it.
        assert!(h.server(&event(SECURE, "OrderShipped", &bad)).is_empty());

        let out = h.authorize(SECURE, "1.1", encrypted_auth(&KEY_A));
        assert!(events(&out).is_empty(), "never delivered: {out:?}");
        assert_eq!(decrypt_errors(&out), 2, "{out:?}");
        assert!(sends(&out).is_empty(), "a fresh key does not subscribe again");
        assert!(h.conn.is_subscribed(SECURE));
        assert!(events(&h.outputs).is_empty());

        // The key still works for good events.
        let good = sealing::seal(&KEY_A, &[2; 24], &json!(1));
        assert_eq!(events(&h.server(&event(SECURE, "OrderShipped", &good)))[0].data, json!(1));
    }

    #[test]
    fn an_event_that_never_decrypts_reaches_the_channels_error_listeners_by_name() {
        let mut h = encrypted_subscribed(&KEY_A);
        let bad = sealing::seal(&KEY_B, &[1; 24], &json!({ "secret": true }));
        h.server(&event(SECURE, "OrderShipped", &bad));
        let out = h.authorize(SECURE, "1.1", encrypted_auth(&KEY_A));
        assert_eq!(
            out,
            [Output::ChannelError {
                channel: SECURE.into(),
                error: EchoError::Decrypt {
                    channel: SECURE.into(),
                    event: "OrderShipped".into(),
                    reason: "it does not decrypt, even with a fresh key".into(),
                },
            }]
        );
        assert_eq!(
            channel_errors(&out)[0].1.to_string(),
            "dropped OrderShipped on private-encrypted-orders.1: it does not decrypt, even with a fresh key"
        );
    }

    /// The rule for a stream of undecryptable events: one re-authorization,
    /// then none until an event decrypts again or the channel is subscribed
    /// again; every such event is dropped with its own error.
    #[test]
    fn repeated_undecryptable_events_cost_one_reauthorization_until_one_decrypts() {
        let mut h = encrypted_subscribed(&KEY_A);
        let bad = |n: u8| sealing::seal(&KEY_B, &[n; 24], &json!(n));
        h.server(&event(SECURE, "OrderShipped", &bad(1)));
        let out = h.authorize(SECURE, "1.1", encrypted_auth(&KEY_A));
        assert_eq!(decrypt_errors(&out), 1);

        // The fresh key decrypted nothing: later bad events are dropped at once.
        for n in 2..=20 {
            let out = h.server(&event(SECURE, "OrderShipped", &bad(n)));
            assert_eq!(decrypt_errors(&out), 1, "{n}: {out:?}");
            assert_eq!(out.len(), 1, "{n}: no new authorization: {out:?}");
        }
        let asked = h.outputs.iter().filter(|o| matches!(o, Output::Authorize { .. })).count();
        assert_eq!(asked, 1, "one auth request for 20 bad events");

        // An event that decrypts re-arms it: the next rotation is followed.
        let good = sealing::seal(&KEY_A, &[30; 24], &json!("ok"));
        assert_eq!(events(&h.server(&event(SECURE, "OrderShipped", &good)))[0].data, json!("ok"));
        let out = h.server(&event(SECURE, "OrderShipped", &bad(31)));
        assert!(matches!(out[..], [Output::Authorize { .. }]), "{out:?}");
        let out = h.authorize(SECURE, "1.1", encrypted_auth(&KEY_B));
        assert_eq!(events(&out)[0].data, json!(31));

        // So does a new subscription (a new key), after a reconnect.
        let mut h = encrypted_subscribed(&KEY_A);
        h.server(&event(SECURE, "OrderShipped", &bad(1)));
        h.authorize(SECURE, "1.1", encrypted_auth(&KEY_A));
        h.reconnect(Some(1006), "2.2");
        h.authorize(SECURE, "2.2", encrypted_auth(&KEY_A));
        h.server(&subscription_succeeded(SECURE));
        let out = h.server(&event(SECURE, "OrderShipped", &bad(2)));
        assert!(matches!(out[..], [Output::Authorize { .. }]), "{out:?}");
    }

    /// A deploy hands out the old key once while events are sealed with the
    /// new one: the channel asks again after `subscription_timeout`, so it
    /// does not stay silent for the rest of the connection.
    #[test]
    fn after_a_fresh_key_that_did_not_help_the_channel_asks_again_ten_seconds_later() {
        let mut h = encrypted_subscribed(&KEY_A);
        let sealed = |n: u8| sealing::seal(&KEY_B, &[n; 24], &json!(n));
        h.server(&event(SECURE, "Tick", &sealed(1)));
        let out = h.authorize(SECURE, "1.1", encrypted_auth(&KEY_A)); // the stale key
        assert_eq!(decrypt_errors(&out), 1);
        let asked = |h: &Harness| h.outputs.iter().filter(|o| matches!(o, Output::Authorize { .. })).count();
        let mut delivered = Vec::new();
        for n in 2..=40u8 {
            h.advance(Duration::from_millis(500));
            let out = h.server(&event(SECURE, "Tick", &sealed(n)));
            if matches!(out[..], [Output::Authorize { .. }]) {
                let out = h.authorize(SECURE, "1.1", encrypted_auth(&KEY_B));
                delivered.extend(events(&out).iter().map(|f| f.data.value().clone()));
            } else {
                delivered.extend(events(&out).iter().map(|f| f.data.value().clone()));
            }
        }
        assert_eq!(asked(&h), 2, "one more re-authorization, 10 s after the first");
        // Sent 10 s after the first (n = 21) it asks again, and every event
        // from then on decrypts.
        assert_eq!(delivered, (21..=40).map(|n| json!(n)).collect::<Vec<_>>());
    }

    #[test]
    fn a_rotated_key_is_fetched_and_the_held_event_delivered() {
        let mut h = encrypted_subscribed(&KEY_A);
        let sealed = sealing::seal(&KEY_B, &[3; 24], &json!({ "rotated": true }));
        let out = h.server(&event(SECURE, "OrderShipped", &sealed));
        assert!(matches!(out[..], [Output::Authorize { .. }]), "{out:?}");
        let out = h.authorize(SECURE, "1.1", encrypted_auth(&KEY_B));
        assert_eq!(
            events(&out).iter().map(|f| &f.data).collect::<Vec<_>>(),
            [&json!({ "rotated": true })]
        );
        // And the new key is kept.
        let next = sealing::seal(&KEY_B, &[4; 24], &json!(2));
        assert_eq!(events(&h.server(&event(SECURE, "OrderShipped", &next)))[0].data, json!(2));
    }

    #[test]
    fn a_failed_reauthorization_or_none_in_time_drops_the_held_event() {
        let mut h = encrypted_subscribed(&KEY_A);
        let bad = sealing::seal(&KEY_B, &[5; 24], &json!(1));
        h.server(&event(SECURE, "OrderShipped", &bad));
        let error = EchoError::Auth {
            channel: SECURE.into(),
            cause: AuthFailure::Status(403),
            reason: "HTTP 403".into(),
        };
        let out = h.authorize(SECURE, "1.1", Err(error));
        assert_eq!((events(&out).len(), decrypt_errors(&out)), (0, 1), "{out:?}");

        h.server(&event(SECURE, "OrderShipped", &bad));
        let out = h.advance(Duration::from_secs(10));
        assert_eq!((events(&out).len(), decrypt_errors(&out)), (0, 1), "{out:?}");
        assert!(h.authorize(SECURE, "1.1", encrypted_auth(&KEY_B)).is_empty(), "too late");
        assert_eq!(h.conn.state(), ConnectionState::Connected);
    }

    #[test]
    fn malformed_encrypted_payloads_are_dropped_without_reauthorizing() {
        let mut h = encrypted_subscribed(&KEY_A);
        for data in [
            json!({ "plain": "text" }),
            json!("text"),
            json!({ "ciphertext": "%%", "nonce": "%%" }),
        ] {
            let out = h.server(&event(SECURE, "OrderShipped", &data));
            assert_eq!((events(&out).len(), decrypt_errors(&out), out.len()), (0, 1, 1), "{data}: {out:?}");
        }
        let out = h.server(&json!({ "event": "OrderShipped", "channel": SECURE }).to_string());
        assert_eq!(decrypt_errors(&out), 1);
    }

    #[test]
    fn an_unusable_shared_secret_is_a_subscription_error() {
        for secret in [
            None,
            Some("not base64!".to_owned()),
            Some(sealing::secret(&[1; 32])[..20].to_owned()),
        ] {
            let mut h = Harness::connected("1.1");
            h.subscribe(SECURE);
            let result = Ok(ChannelAuth {
                auth: "local-key:sig".into(),
                channel_data: None,
                shared_secret: secret.clone(),
            });
            let out = h.authorize(SECURE, "1.1", result);
            assert!(sends(&out).is_empty(), "{secret:?}: no subscribe without a key");
            assert!(
                matches!(subscription_errors(&out)[..], [(SECURE, EchoError::Auth { .. })]),
                "{secret:?}: {out:?}"
            );
        }
    }
}

/// Without the `encryption` feature an encrypted channel is refused at
/// authorization, with an error that names the feature, and nothing is sent.
#[cfg(not(feature = "encryption"))]
#[test]
fn encrypted_channels_fail_without_the_encryption_feature() {
    let channel = "private-encrypted-orders.1";
    let mut h = Harness::connected("1.1");
    assert!(matches!(h.subscribe(channel)[..], [Output::Authorize { .. }]));
    let auth = ChannelAuth {
        auth: "local-key:sig".into(),
        channel_data: None,
        shared_secret: Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into()),
    };
    let out = h.authorize(channel, "1.1", Ok(auth));
    assert!(sends(&out).is_empty(), "{out:?}");
    match &subscription_errors(&out)[..] {
        [(name, EchoError::Auth { reason, .. })] => {
            assert_eq!(*name, channel);
            assert!(reason.contains("`encryption`"), "{reason}");
        }
        other => panic!("expected one auth error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Cache channels.
// ---------------------------------------------------------------------------

#[test]
fn cache_channels_authorize_like_their_kind_and_deliver_cache_miss() {
    assert!(!echo_proto::channel::requires_auth("cache-rooms"));
    assert!(echo_proto::channel::requires_auth("private-cache-rooms"));
    assert!(echo_proto::channel::requires_auth("presence-cache-rooms"));
    assert!(echo_proto::channel::requires_auth("private-encrypted-cache-rooms"));

    let mut h = Harness::connected("1.1");
    assert_eq!(h.subscribe("cache-rooms"), [Output::Send(subscribe_frame("cache-rooms"))]);
    assert!(matches!(h.subscribe("private-cache-rooms")[..], [Output::Authorize { .. }]));
    h.server(&subscription_succeeded("cache-rooms"));
    let out = h.server(r#"{"event":"pusher:cache_miss","channel":"cache-rooms"}"#);
    assert_eq!(
        out,
        [Output::Event(Frame {
            event: "pusher:cache_miss".into(),
            channel: Some("cache-rooms".into()),
            data: Value::Null.into(),
            user_id: None
        })]
    );
}

// ---------------------------------------------------------------------------
// Subscription timeout.
// ---------------------------------------------------------------------------

fn timeout_error(channel: &str, secs: u64) -> Output {
    Output::SubscriptionError {
        channel: channel.into(),
        error: EchoError::SubscriptionTimeout {
            channel: channel.into(),
            timeout: Duration::from_secs(secs),
        },
    }
}

#[test]
fn a_subscribe_with_no_answer_times_out_and_returns_to_idle() {
    let mut h = Harness::connected("1.1");
    h.subscribe("rooms");
    assert_eq!(
        h.conn.poll_timeout(),
        Some(h.now + Duration::from_secs(10)),
        "the earliest deadline"
    );
    assert!(h.advance(Duration::from_millis(9_999)).is_empty());
    let out = h.advance(Duration::from_millis(1));
    assert_eq!(out, [timeout_error("rooms", 10)]);
    assert!(errors_text(&out).contains("within 10s"), "{}", errors_text(&out));
    assert!(!h.conn.is_subscribed("rooms"));
    assert_eq!(h.conn.channels().collect::<Vec<_>>(), ["rooms"], "still wanted");
    assert!(h.advance(Duration::from_secs(60)).is_empty(), "reported once");

    // Subscribing again retries.
    assert_eq!(sends(&h.subscribe("rooms")), [subscribe_frame("rooms")]);
    h.server(&subscription_succeeded("rooms"));
    assert!(h
        .advance(Duration::from_secs(30))
        .iter()
        .all(|o| !matches!(o, Output::SubscriptionError { .. })));
}

fn errors_text(outputs: &[Output]) -> String {
    subscription_errors(outputs)
        .iter()
        .map(|(_, e)| e.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn an_authorization_with_no_answer_times_out_and_a_late_answer_is_dropped() {
    let mut h = Harness::connected("1.1");
    h.subscribe("private-orders.1");
    let out = h.advance(Duration::from_secs(10));
    assert_eq!(out, [timeout_error("private-orders.1", 10)]);
    assert!(h.authorize("private-orders.1", "1.1", auth("local-key:late")).is_empty());
    assert!(h.sent.is_empty());

    // The next connection tries again.
    h.forget();
    let out = h.reconnect(Some(1006), "2.2");
    assert!(
        out.contains(&Output::Authorize {
            channel: "private-orders.1".into(),
            socket_id: "2.2".into()
        }),
        "{out:?}"
    );
}

#[test]
fn the_subscription_timeout_is_an_option_and_each_channel_has_its_own() {
    let mut h = Harness::with(
        EchoOptions {
            subscription_timeout: Duration::from_secs(3),
            ..options()
        },
        7,
    );
    h.connect();
    h.establish("1.1", 120);
    h.subscribe("a");
    h.advance(Duration::from_secs(2));
    h.subscribe("b");
    h.server(&subscription_succeeded("b"));
    let idle = h.now + Duration::from_secs(120);
    h.subscribe("c");
    assert_eq!(h.advance(Duration::from_secs(1)), [timeout_error("a", 3)]);
    assert_eq!(h.advance(Duration::from_secs(2)), [timeout_error("c", 3)]);
    assert!(h.conn.is_subscribed("b"));
    assert_eq!(h.conn.poll_timeout(), Some(idle), "only the idle timer is left");
}

#[test]
fn no_timeout_while_disconnected_or_after_leaving() {
    let mut h = Harness::new();
    h.subscribe("rooms");
    assert_eq!(h.conn.poll_timeout(), None, "nothing sent, nothing to wait for");
    h.connect();
    h.establish("1.1", 120);
    h.unsubscribe("rooms");
    let out = h.advance(Duration::from_secs(60));
    assert!(subscription_errors(&out).is_empty(), "{out:?}");
}
