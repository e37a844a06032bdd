//! Application-level tests with the test double [`echo_rs::testing`]: code
//! written against the real [`Echo`] API, a scripted in-memory server and a
//! manual clock. Nothing sleeps and no socket is opened.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use echo_rs::runtime::Runtime;
use echo_rs::testing::{FakeEcho, FakeRuntime};
use echo_rs::{BroadcastEvent, Channel, ConnectionState, Echo, EchoError, EchoOptions, ProtocolError, Value};
use serde_json::json;

const KEY: &str = "app-key";

fn fake() -> FakeEcho {
    FakeEcho::new(KEY).expect("a valid key")
}

/// What an application component does: listen on `rooms` and count.
fn rooms_component(echo: &Echo, renders: Rc<Cell<u32>>) -> Channel {
    let channel = echo.channel("rooms");
    channel.listen(".RoomsUpdated", move |_| renders.set(renders.get() + 1));
    channel
}

fn collect_errors(echo: &Echo) -> Rc<RefCell<Vec<EchoError>>> {
    let errors = Rc::new(RefCell::new(Vec::new()));
    let sink = errors.clone();
    echo.on_error(move |error| sink.borrow_mut().push(error.clone()));
    errors
}

// ---------------------------------------------------------------------------
// A component's life: listen, receive, reconnect, leave.
// ---------------------------------------------------------------------------

#[test]
fn component_counts_events_until_it_leaves() {
    let fake = fake();
    let count = Rc::new(Cell::new(0));
    let channel = rooms_component(fake.echo(), count.clone());

    assert_eq!(fake.subscriptions(), ["rooms"]);
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({ "room_ids": [1] })));
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({ "room_ids": [2] })));
    assert!(fake.emit("rooms", ".Other", json!({})));
    assert_eq!(count.get(), 2);

    channel.leave();
    assert_eq!(fake.listener_count("rooms"), 0);
    assert!(fake.subscriptions().is_empty());
    assert!(!fake.emit("rooms", ".RoomsUpdated", json!({})), "the server no longer delivers it");
    assert_eq!(count.get(), 2);
    assert_eq!(
        fake.sent_frames().last().map(String::as_str),
        Some(r#"{"event":"pusher:unsubscribe","data":{"channel":"rooms"}}"#)
    );
}

#[test]
fn reconnect_resubscribes_once_and_keeps_listeners() {
    let fake = fake();
    let count = Rc::new(Cell::new(0));
    let _channel = rooms_component(fake.echo(), count.clone());
    assert_eq!(fake.subscribe_count("rooms"), 1);
    assert_eq!(fake.echo().socket_id().as_deref(), Some("1234.5678"));

    assert!(fake.drop_connection(None));
    assert!(fake.subscriptions().is_empty());
    assert_ne!(fake.echo().connection_state(), ConnectionState::Connected);
    assert!(!fake.emit("rooms", ".RoomsUpdated", json!({})));

    fake.advance(Duration::from_secs(2)); // past the first backoff (0.5–1 s)
    assert_eq!(fake.echo().connection_state(), ConnectionState::Connected);
    assert_eq!(fake.echo().socket_id().as_deref(), Some("1235.5679"));
    assert_eq!(fake.subscriptions(), ["rooms"]);
    assert_eq!(fake.subscribe_count("rooms"), 2, "exactly one subscribe per connection");
    assert_eq!(fake.listener_count("rooms"), 1);

    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(count.get(), 1);
}

#[test]
fn subscribe_count_stays_one_per_connection() {
    let fake = fake();
    let count = Rc::new(Cell::new(0));
    // Three "renders" of the same component: one subscription.
    for _ in 0..3 {
        rooms_component(fake.echo(), count.clone());
    }
    assert_eq!(fake.subscribe_count("rooms"), 1);
    assert_eq!(fake.listener_count("rooms"), 3);

    for connection in 2..=4 {
        fake.drop_connection(Some(1006));
        fake.advance(Duration::from_secs(30));
        assert_eq!(fake.runtime().connection_count(), connection);
        assert_eq!(fake.subscribe_count("rooms"), connection);
    }
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(count.get(), 3, "each of the three listeners once");
}

#[test]
fn a_refused_connection_is_not_retried() {
    let fake = fake();
    let errors = collect_errors(fake.echo());
    fake.drop_connection(Some(4001));
    fake.advance(Duration::from_secs(120));
    assert_eq!(fake.echo().connection_state(), ConnectionState::Failed);
    assert_eq!(fake.runtime().connection_count(), 1);
    assert!(matches!(errors.borrow()[..], [EchoError::Refused { code: 4001, .. }]));
}

#[test]
fn idle_connection_pings_and_the_server_pongs() {
    let fake = fake();
    fake.advance(Duration::from_secs(120));
    assert_eq!(fake.sent_frames(), [r#"{"event":"pusher:ping","data":{}}"#]);
    fake.advance(Duration::from_secs(60));
    assert_eq!(fake.echo().connection_state(), ConnectionState::Connected);
    assert_eq!(fake.runtime().connection_count(), 1);
}

#[test]
fn the_handshake_can_be_held_back() {
    let runtime = FakeRuntime::new();
    runtime.set_auto_handshake(false);
    let fake = FakeEcho::with_runtime(EchoOptions::reverb(KEY, "localhost", 8080, "http"), runtime).expect("valid options");
    fake.echo().channel("rooms");
    assert_eq!(fake.echo().connection_state(), ConnectionState::Connecting);
    assert!(fake.sent_frames().is_empty());
    assert!(fake.runtime().opened_urls()[0].starts_with("ws://localhost:8080/app/app-key?protocol=7"));

    assert!(fake.runtime().handshake());
    assert_eq!(fake.echo().connection_state(), ConnectionState::Connected);
    assert_eq!(fake.subscriptions(), ["rooms"]);
}

#[test]
fn emitting_from_inside_a_listener_is_queued_not_reentrant() {
    let fake = fake();
    let relay = fake.clone();
    fake.echo().channel("rooms").listen(".RoomsUpdated", move |data| {
        assert!(relay.emit("audit", ".Seen", data.clone()));
    });
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    fake.echo()
        .channel("audit")
        .listen(".Seen", move |data| sink.borrow_mut().push(data.clone()));

    assert!(fake.emit("rooms", ".RoomsUpdated", json!(1)));
    assert!(fake.emit("rooms", ".RoomsUpdated", json!(2)));
    assert_eq!(seen.borrow()[..], [json!(1), json!(2)]);
}

// ---------------------------------------------------------------------------
// Private channels, auth, whispers, presence frames.
// ---------------------------------------------------------------------------

#[test]
fn private_channels_are_signed_for_the_current_socket() {
    let fake = fake();
    fake.echo().private("orders.1");
    assert_eq!(fake.subscriptions(), ["private-orders.1"]);
    let subscribe: Value = serde_json::from_str(&fake.sent_frames()[0]).expect("JSON");
    assert_eq!(subscribe["data"]["auth"], "app-key:fake-signature-1234.5678");
    let requests = fake.auth_requests();
    assert_eq!(
        (requests[0].channel.as_str(), requests[0].socket_id.as_str()),
        ("private-orders.1", "1234.5678")
    );
}

#[test]
fn failed_auth_reaches_channel_and_connection_error_callbacks() {
    let fake = fake();
    fake.fail_auth("private-orders.1", "forbidden");
    let errors = collect_errors(fake.echo());
    let channel_errors = Rc::new(Cell::new(0));
    let counter = channel_errors.clone();
    let channel = fake.echo().private("orders.1");
    channel.error(move |_| counter.set(counter.get() + 1));

    assert!(fake.subscriptions().is_empty());
    assert_eq!(fake.subscribe_count("private-orders.1"), 0);
    assert_eq!(channel_errors.get(), 1);
    assert_eq!(
        errors.borrow()[..],
        [EchoError::Auth {
            channel: "private-orders.1".into(),
            cause: echo_rs::AuthFailure::Status(403),
            reason: "forbidden".into()
        }]
    );

    // Allowed again: the next connection subscribes.
    fake.allow_auth("private-orders.1");
    fake.drop_connection(None);
    fake.advance(Duration::from_secs(2));
    assert_eq!(fake.subscriptions(), ["private-orders.1"]);
}

#[test]
fn whispers_go_both_ways() {
    let fake = fake();
    let channel = fake.echo().private("chat.1");
    let heard = Rc::new(RefCell::new(Vec::new()));
    let sink = heard.clone();
    channel.listen_for_whisper("typing", move |data| sink.borrow_mut().push(data.clone()));

    assert!(fake.emit_whisper("private-chat.1", "typing", json!({ "name": "Ann" })));
    assert_eq!(heard.borrow()[..], [json!({ "name": "Ann" })]);

    channel
        .whisper("typing", &json!({ "name": "Bob" }))
        .expect("subscribed private channel");
    assert_eq!(
        fake.sent_frames().last().map(String::as_str),
        Some(r#"{"event":"client-typing","channel":"private-chat.1","data":{"name":"Bob"}}"#)
    );
}

#[test]
fn presence_subscribe_carries_the_user_and_member_frames_do_no_harm() {
    let fake = fake();
    fake.set_user(json!(7), json!({ "name": "Ann" }));
    fake.runtime()
        .set_members("presence-room.1", [json!({ "user_id": 1, "user_info": { "name": "Bob" } })]);
    let subscribed = Rc::new(Cell::new(false));
    let flag = subscribed.clone();
    let channel = fake.echo().subscribe("presence-room.1".into());
    channel.subscribed(move |_| flag.set(true));

    assert_eq!(fake.subscriptions(), ["presence-room.1"]);
    assert!(subscribed.get() && channel.is_subscribed());
    let subscribe: Value = serde_json::from_str(&fake.sent_frames()[0]).expect("JSON");
    assert_eq!(subscribe["data"]["channel_data"], r#"{"user_id":7,"user_info":{"name":"Ann"}}"#);

    assert!(fake.runtime().add_member("presence-room.1", &json!({ "user_id": 2 })));
    assert!(fake.runtime().remove_member("presence-room.1", &json!(2)));
    assert!(!fake.runtime().add_member("presence-room.1", &json!({ "no_id": true })));
    assert_eq!(fake.echo().connection_state(), ConnectionState::Connected);
}

// ---------------------------------------------------------------------------
// Payloads: raw strings, broken frames, typed events.
// ---------------------------------------------------------------------------

#[test]
fn a_non_json_string_payload_arrives_as_a_string() {
    let fake = fake();
    let got = Rc::new(RefCell::new(Vec::new()));
    let sink = got.clone();
    fake.echo()
        .channel("rooms")
        .listen(".Note", move |data| sink.borrow_mut().push(data.clone()));
    assert!(fake.server_frame(r#"{"event":"Note","channel":"rooms","data":"hello, not JSON"}"#));
    assert_eq!(got.borrow()[..], [Value::String("hello, not JSON".into())]);
}

#[test]
fn broken_server_frames_are_reported_not_fatal() {
    let fake = fake();
    let errors = collect_errors(fake.echo());
    for frame in [
        "not json",
        "[1]",
        r#"{"data":"{}"}"#,
        r#"{"event":"pusher_internal:subscription_succeeded"}"#,
    ] {
        assert!(fake.server_frame(frame));
    }
    assert!(matches!(errors.borrow()[0], EchoError::Protocol(ProtocolError::InvalidJson(_))));
    assert_eq!(errors.borrow().len(), 3);
    assert_eq!(fake.echo().connection_state(), ConnectionState::Connected);
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct RoomsUpdated {
    room_ids: Vec<u64>,
}

impl BroadcastEvent for RoomsUpdated {
    const NAME: &'static str = ".RoomsUpdated";
}

#[test]
fn typed_listeners_get_structs_and_decode_errors_are_reported() {
    let fake = fake();
    let got = Rc::new(RefCell::new(Vec::new()));
    let sink = got.clone();
    let channel = fake.echo().channel("rooms");
    channel.listen_typed(move |event: RoomsUpdated| sink.borrow_mut().push(event));
    let channel_errors = Rc::new(RefCell::new(Vec::new()));
    let errors_sink = channel_errors.clone();
    channel.error(move |error| errors_sink.borrow_mut().push(error.clone()));
    let errors = collect_errors(fake.echo());

    assert!(fake.emit("rooms", RoomsUpdated::NAME, json!({ "room_ids": [1, 2] })));
    assert_eq!(got.borrow()[..], [RoomsUpdated { room_ids: vec![1, 2] }]);

    assert!(fake.emit("rooms", RoomsUpdated::NAME, json!({ "rooms": [] })));
    assert_eq!(got.borrow().len(), 1);
    let Some(EchoError::Decode { channel, event, reason }) = channel_errors.borrow().first().cloned() else {
        panic!("expected a decode error, got {:?}", channel_errors.borrow());
    };
    assert_eq!((channel.as_str(), event.as_str()), ("rooms", "RoomsUpdated"));
    assert!(reason.contains("missing field `room_ids`"), "{reason}");
    assert_eq!(
        errors.borrow()[..],
        channel_errors.borrow()[..],
        "the connection's error callbacks hear it too"
    );

    // A plain string is a decode error too, not a panic.
    assert!(fake.server_frame(r#"{"event":"RoomsUpdated","channel":"rooms","data":"oops"}"#));
    assert_eq!(channel_errors.borrow().len(), 2);
}

#[test]
fn typed_and_value_listeners_of_one_event_each_get_the_whole_payload() {
    let fake = fake();
    let typed = Rc::new(RefCell::new(Vec::new()));
    let values = Rc::new(RefCell::new(Vec::new()));
    let channel = fake.echo().channel("rooms");
    let sink = typed.clone();
    channel.listen_typed(move |event: RoomsUpdated| sink.borrow_mut().push(event));
    let sink = values.clone();
    channel.listen(".RoomsUpdated", move |data| sink.borrow_mut().push(data.clone()));
    let sink = typed.clone();
    channel.listen_typed(move |event: RoomsUpdated| sink.borrow_mut().push(event));

    let payload = json!({ "room_ids": [3], "by": { "name": "Café 🌴" }, "price": 120.5 });
    assert!(fake.emit("rooms", RoomsUpdated::NAME, payload.clone()));
    assert_eq!(
        typed.borrow()[..],
        [RoomsUpdated { room_ids: vec![3] }, RoomsUpdated { room_ids: vec![3] }]
    );
    assert_eq!(values.borrow()[..], [payload]);
}

#[test]
fn listen_data_gets_the_payload_to_decode_as_it_likes() {
    let fake = fake();
    let got = Rc::new(RefCell::new(Vec::new()));
    let sink = got.clone();
    fake.echo().channel("rooms").listen_data(".RoomsUpdated", move |data| {
        let typed = data.decode::<RoomsUpdated>().ok();
        sink.borrow_mut()
            .push((data.raw_text().map(str::to_owned), typed, data.value().clone()));
    });
    assert!(fake.emit("rooms", RoomsUpdated::NAME, json!({ "room_ids": [4] })));
    assert!(fake.server_frame(r#"{"event":"RoomsUpdated","channel":"rooms","data":"not JSON"}"#));
    assert_eq!(
        got.borrow()[..],
        [
            (
                Some(r#"{"room_ids":[4]}"#.to_owned()),
                Some(RoomsUpdated { room_ids: vec![4] }),
                json!({ "room_ids": [4] })
            ),
            (Some("not JSON".to_owned()), None, json!("not JSON")),
        ]
    );
}

// ---------------------------------------------------------------------------
// The runtime itself: timers, futures.
// ---------------------------------------------------------------------------

#[test]
fn timers_fire_in_deadline_order_and_can_be_cancelled() {
    let runtime = FakeRuntime::new();
    let fired = Rc::new(RefCell::new(Vec::new()));
    let timer = |delay: u64, name: &'static str| {
        let fired = fired.clone();
        runtime.set_timer(Duration::from_secs(delay), Box::new(move || fired.borrow_mut().push(name)))
    };
    let _late = timer(3, "late");
    let _early = timer(1, "early");
    let cancelled = timer(2, "cancelled");
    let _also_early = timer(1, "also early");
    drop(cancelled);

    runtime.advance(Duration::from_millis(999));
    assert!(fired.borrow().is_empty());
    runtime.advance(Duration::from_secs(5));
    assert_eq!(fired.borrow()[..], ["early", "also early", "late"]);
    assert_eq!(runtime.elapsed(), Duration::from_millis(5999));
    assert_eq!(runtime.pending_timers(), 0);
}

/// A future that waits until a test opens its gate.
struct Gate(Rc<RefCell<(bool, Option<Waker>)>>);

impl Future for Gate {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut gate = self.0.borrow_mut();
        if gate.0 {
            Poll::Ready(())
        } else {
            gate.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

#[test]
fn spawned_futures_run_when_idle_and_when_woken() {
    let runtime = FakeRuntime::new();
    let gate = Rc::new(RefCell::new((false, None::<Waker>)));
    let done = Rc::new(Cell::new(false));
    let (g, d) = (gate.clone(), done.clone());
    runtime.spawn_local(Box::pin(async move {
        Gate(g).await;
        d.set(true);
    }));
    assert_eq!(runtime.pending_tasks(), 1, "not run inside spawn_local");
    runtime.run_until_idle();
    assert!(!done.get());

    gate.borrow_mut().0 = true;
    if let Some(waker) = gate.borrow_mut().1.take() {
        waker.wake();
    }
    runtime.run_until_idle();
    assert!(done.get());
    assert_eq!(runtime.pending_tasks(), 0);
}

#[test]
fn no_key_configured_means_no_client_and_no_connection() {
    let runtime = echo_rs::testing::FakeRuntime::new();
    let options = echo_rs::EchoOptions::reverb("", "localhost", 6001, "http");
    let echo = echo_rs::Echo::with_runtime_if_configured(options, std::rc::Rc::new(runtime.clone()), None).expect("not an error");
    assert!(echo.is_none(), "realtime is disabled without a key");
    runtime.run_until_idle();
    assert_eq!(runtime.connection_count(), 0, "nothing connects");
    assert!(runtime.opened_urls().is_empty());

    let bad = echo_rs::EchoOptions {
        ws_host: None,
        ..echo_rs::EchoOptions::new("local-key")
    };
    assert_eq!(
        echo_rs::Echo::with_runtime_if_configured(bad, std::rc::Rc::new(runtime.clone()), None).err(),
        Some(echo_rs::ConfigError::MissingHost),
        "a key with an unusable configuration is one clear error"
    );
}
