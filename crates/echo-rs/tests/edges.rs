//! The edges an application sees through the [`Echo`] API, with the test
//! double (a scripted server and a manual clock): errors reach the channel
//! they concern, wake-ups find a dead socket within seconds, whispers respect
//! the server's limits, listener handles belong to their channel and client,
//! and Laravel's integer presence ids are the same members as string ones.
//! The protocol rules themselves are tested on the core in `protocol.rs`.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

#[cfg(feature = "encryption")]
use base64::{engine::general_purpose::STANDARD, Engine as _};
#[cfg(feature = "encryption")]
use crypto_secretbox::{
    aead::{Aead, KeyInit},
    Key, Nonce, XSalsa20Poly1305,
};
use echo_rs::testing::FakeEcho;
use echo_rs::{Channel, ClientEventRefusal, ConnectionState, Echo, EchoError, EchoOptions, Value};
use serde_json::json;

fn fake() -> FakeEcho {
    FakeEcho::new("app-key").expect("a valid key")
}

/// Every error `channel`'s `error` listeners get, and every one the
/// client-wide `on_error` listeners get.
type ErrorLog = Rc<RefCell<Vec<EchoError>>>;

fn errors_of(echo: &Echo, channel: &Channel) -> (ErrorLog, ErrorLog) {
    let on_channel = Rc::new(RefCell::new(Vec::new()));
    let sink = on_channel.clone();
    channel.error(move |e| sink.borrow_mut().push(e.clone()));
    let on_client = Rc::new(RefCell::new(Vec::new()));
    let sink = on_client.clone();
    echo.on_error(move |e| sink.borrow_mut().push(e.clone()));
    (on_channel, on_client)
}

// ---------------------------------------------------------------------------
// 1. Decrypt failures reach the channel.
// ---------------------------------------------------------------------------

/// `{"ciphertext","nonce"}` sealed with a key the fake authorizer never
/// hands out (it answers 32 zero bytes).
#[cfg(feature = "encryption")]
fn sealed_with_another_key(plain: &Value) -> Value {
    let cipher = XSalsa20Poly1305::new(Key::from_slice(&[9; 32]));
    let nonce = [3; 24];
    let sealed = cipher.encrypt(Nonce::from_slice(&nonce), plain.to_string().as_bytes()).unwrap();
    json!({ "ciphertext": STANDARD.encode(sealed), "nonce": STANDARD.encode(nonce) })
}

// Needs the `encryption` feature: without it an encrypted channel is refused
// at authorization (echo-proto's tests/protocol.rs, `encrypted_channels_fail_without_the_encryption_feature`).
#[cfg(feature = "encryption")]
#[test]
fn an_undecryptable_event_reaches_its_channels_error_listeners_not_its_event_listeners() {
    let fake = fake();
    let echo = fake.echo();
    let channel = echo.encrypted_private("orders.1");
    let other = echo.private("admin");
    let (on_channel, on_client) = errors_of(echo, &channel);
    let (on_other, _) = errors_of(echo, &other);
    let heard = Rc::new(RefCell::new(0));
    let sink = heard.clone();
    channel.listen(".OrderShipped", move |_| *sink.borrow_mut() += 1);
    fake.run_until_idle();
    assert!(channel.is_subscribed());

    let data = sealed_with_another_key(&json!({ "id": 1 }));
    let frame = json!({ "event": "OrderShipped", "channel": channel.name(), "data": data.to_string() });
    assert!(fake.server_frame(&frame));
    // One re-authorization for a fresh key; the fake answers the same key.
    assert_eq!(fake.auth_requests().iter().filter(|r| r.channel == channel.name()).count(), 2);

    assert_eq!(*heard.borrow(), 0, "never delivered");
    let errors = on_channel.borrow().clone();
    assert!(
        matches!(&errors[..], [EchoError::Decrypt { channel, event, .. }] if channel == "private-encrypted-orders.1" && event == "OrderShipped"),
        "{errors:?}"
    );
    assert_eq!(*on_client.borrow(), errors, "the client-wide listeners hear it too");
    assert!(on_other.borrow().is_empty(), "not another channel's");
    assert!(channel.is_subscribed(), "the channel stays subscribed");

    // More bad events: each is reported, with no more auth requests.
    for _ in 0..5 {
        assert!(fake.server_frame(&frame));
    }
    assert_eq!(on_channel.borrow().len(), 6);
    assert_eq!(fake.auth_requests().iter().filter(|r| r.channel == channel.name()).count(), 2);
}

// ---------------------------------------------------------------------------
// 3. A dead socket is replaced within seconds after sleep.
// ---------------------------------------------------------------------------

#[test]
fn waking_on_a_dead_socket_reconnects_within_seconds_and_tells_the_app_once() {
    let fake = fake();
    let echo = fake.echo();
    let states = Rc::new(RefCell::new(Vec::new()));
    let sink = states.clone();
    echo.on_connection_change(move |state| sink.borrow_mut().push(state));
    let rooms = echo.channel("rooms");
    let resubscribed = Rc::new(RefCell::new(0));
    let sink = resubscribed.clone();
    rooms.subscribed(move |_| *sink.borrow_mut() += 1);
    fake.run_until_idle();
    assert_eq!(*resubscribed.borrow(), 1);
    *resubscribed.borrow_mut() = 0;
    assert_eq!(echo.connection_state(), ConnectionState::Connected);
    let runtime = fake.runtime();
    let before = runtime.connection_count();

    // The laptop sleeps 10 minutes; the socket dies without a close.
    runtime.suspend(Duration::from_secs(600));
    assert!(runtime.kill_connection_silently());
    // It wakes: the page becomes visible and the browser goes online.
    let woke = runtime.elapsed();
    runtime.liveness_event();
    runtime.liveness_event();
    runtime.liveness_event();

    fake.advance(Duration::from_millis(2900));
    assert_eq!(runtime.connection_count(), before, "a live server has 3 s to answer");
    fake.advance(Duration::from_millis(100));
    assert_eq!(runtime.connection_count(), before + 1, "replaced 3 s after waking");
    assert!(runtime.elapsed() - woke <= Duration::from_secs(5));
    assert_eq!(echo.connection_state(), ConnectionState::Connected);
    assert_eq!(
        *states.borrow(),
        [ConnectionState::Connecting, ConnectionState::Connected],
        "told once"
    );
    assert_eq!(*resubscribed.borrow(), 1, "subscribed again once");
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));

    // Nothing more happens later.
    fake.advance(Duration::from_secs(60));
    assert_eq!(runtime.connection_count(), before + 1);
    assert_eq!(states.borrow().len(), 2);
}

#[test]
fn a_wake_up_on_a_live_socket_changes_nothing() {
    let fake = fake();
    let states = Rc::new(RefCell::new(Vec::new()));
    let sink = states.clone();
    fake.echo().on_connection_change(move |state| sink.borrow_mut().push(state));
    let runtime = fake.runtime();
    runtime.suspend(Duration::from_secs(600));
    // `visibilitychange` and `online` in one task, before any answer.
    fake.echo().check_liveness();
    fake.echo().check_liveness();
    fake.advance(Duration::from_secs(10));
    assert_eq!(runtime.connection_count(), 1);
    assert!(states.borrow().is_empty());
    let pings = fake.sent_frames().iter().filter(|f| f.contains("pusher:ping")).count();
    assert_eq!(pings, 1, "one ping for two signals");
    // Answered: a later signal pings again.
    runtime.liveness_event();
    let pings = fake.sent_frames().iter().filter(|f| f.contains("pusher:ping")).count();
    assert_eq!(pings, 2);
    assert_eq!(runtime.connection_count(), 1);
}

// ---------------------------------------------------------------------------
// 4. Whispers respect the server's limits before they are sent.
// ---------------------------------------------------------------------------

#[test]
fn whispers_over_the_size_or_rate_limit_are_refused_and_never_sent() {
    let fake = fake();
    let chat = fake.echo().private("chat.1");
    fake.run_until_idle();
    assert!(chat.is_subscribed());
    let big = json!("x".repeat(10_000));
    let refused = chat.whisper("typing", &big);
    assert!(
        matches!(&refused, Err(EchoError::ClientEvent { cause: ClientEventRefusal::TooLarge { limit: 10_000, bytes }, .. }) if *bytes > 10_000),
        "{refused:?}"
    );
    assert!(refused.unwrap_err().to_string().contains("over the limit of 10000"));

    for i in 0..10 {
        assert_eq!(chat.whisper("typing", &json!(i)), Ok(()), "{i}");
    }
    assert!(matches!(
        chat.whisper("typing", &json!(10)),
        Err(EchoError::ClientEvent {
            cause: ClientEventRefusal::RateLimited { limit: 10 },
            ..
        })
    ));
    fake.advance(Duration::from_secs(1));
    assert_eq!(chat.whisper("typing", &json!(11)), Ok(()));

    let sent: Vec<String> = fake.sent_frames().into_iter().filter(|f| f.contains("client-typing")).collect();
    assert_eq!(sent.len(), 11, "the ten in the first second and one after: {sent:?}");
    assert!(!sent.iter().any(|f| f.contains("xxxxxxxx")));
    assert_eq!(fake.echo().connection_state(), ConnectionState::Connected);
}

#[test]
fn whisper_limits_are_options() {
    let fake = FakeEcho::with_options(EchoOptions {
        client_event_max_bytes: 200,
        client_events_per_second: 100,
        ..EchoOptions::reverb("app-key", "localhost", 6001, "http")
    })
    .unwrap();
    let chat = fake.echo().private("chat.1");
    fake.run_until_idle();
    assert!(matches!(
        chat.whisper("t", &json!("y".repeat(200))),
        Err(EchoError::ClientEvent {
            cause: ClientEventRefusal::TooLarge { limit: 200, .. },
            ..
        })
    ));
    for i in 0..100 {
        assert_eq!(chat.whisper("t", &json!(i)), Ok(()), "{i}");
    }
    assert!(chat.whisper("t", &json!(100)).is_err());
}

// ---------------------------------------------------------------------------
// 5. In-band subscription errors go to the channel they concern, at once.
// ---------------------------------------------------------------------------

#[test]
fn a_bad_signature_reaches_its_private_channel_at_once_not_a_public_one() {
    let fake = fake();
    fake.runtime().set_auto_subscribe(false);
    let echo = fake.echo();
    let rooms = echo.channel("rooms");
    let orders = echo.private("orders.1");
    let admin = echo.join("admin");
    let (rooms_errors, client_errors) = errors_of(echo, &rooms);
    let (orders_errors, _) = errors_of(echo, &orders);
    let (admin_errors, _) = errors_of(echo, &admin);
    fake.run_until_idle();

    // Sockudo / Reverb: a channel-less 4009 for the first signed subscribe.
    let unauthorized = r#"{"event":"pusher:error","data":{"message":"Connection is unauthorized","code":4009}}"#;
    assert!(fake.server_frame(unauthorized));
    assert!(rooms_errors.borrow().is_empty(), "never a public channel's");
    let first_signed = if fake.sent_frames().iter().position(|f| f.contains("private-orders.1"))
        < fake.sent_frames().iter().position(|f| f.contains("presence-admin"))
    {
        &orders_errors
    } else {
        &admin_errors
    };
    assert!(
        matches!(
            &first_signed.borrow()[..],
            [EchoError::SubscriptionRefused { code: Some(4009), .. }]
        ),
        "{:?} / {:?}",
        orders_errors.borrow(),
        admin_errors.borrow()
    );
    assert!(fake.server_frame(unauthorized));
    assert_eq!((orders_errors.borrow().len(), admin_errors.borrow().len()), (1, 1));
    assert_eq!(client_errors.borrow().len(), 2, "the client-wide listeners hear both");

    // Not about a subscription: the connection's, never rooms'.
    assert!(fake.server_frame(r#"{"event":"pusher:error","data":{"message":"Invalid message format","code":4200}}"#));
    assert!(rooms_errors.borrow().is_empty());
    assert_eq!(client_errors.borrow().len(), 3);
    assert_eq!(echo.connection_state(), ConnectionState::Connected);
}

// ---------------------------------------------------------------------------
// 6. A listener handle removes only its own listener.
// ---------------------------------------------------------------------------

#[test]
fn a_handle_of_another_client_or_channel_removes_nothing() {
    let (first, second) = (fake(), fake());
    let heard = Rc::new(RefCell::new(Vec::new()));
    let listen = |channel: &Channel, tag: &'static str| {
        let sink = heard.clone();
        channel.listen(".Tick", move |_| sink.borrow_mut().push(tag))
    };
    let first_rooms = first.echo().channel("rooms");
    let first_venues = first.echo().channel("venues");
    let second_rooms = second.echo().channel("rooms");
    let a = listen(&first_rooms, "first rooms");
    let b = listen(&first_venues, "first venues");
    let c = listen(&second_rooms, "second rooms");

    // Another client's handle, through the client or the channel.
    assert!(!first.echo().stop_listening(c));
    assert!(!first_rooms.stop_listening(c));
    // Another channel's handle, through a channel.
    assert!(!first_rooms.stop_listening(b));
    assert!(!first_venues.stop_listening(a));
    // A connection-level handle is no channel's.
    let state = first.echo().on_connection_change(|_| {});
    assert!(!first_rooms.stop_listening(state));

    first.emit("rooms", ".Tick", json!({}));
    first.emit("venues", ".Tick", json!({}));
    second.emit("rooms", ".Tick", json!({}));
    assert_eq!(*heard.borrow(), ["first rooms", "first venues", "second rooms"]);

    // Each handle still removes its own listener, once.
    assert!(first_rooms.stop_listening(a));
    assert!(!first_rooms.stop_listening(a));
    assert!(first.echo().stop_listening(b));
    assert!(second_rooms.stop_listening(c));
    assert!(first.echo().stop_listening(state));
    first.emit("rooms", ".Tick", json!({}));
    first.emit("venues", ".Tick", json!({}));
    second.emit("rooms", ".Tick", json!({}));
    assert_eq!(heard.borrow().len(), 3);
}

// ---------------------------------------------------------------------------
// 7. Laravel's own presence payloads stay accepted.
// ---------------------------------------------------------------------------

#[test]
fn integer_and_string_presence_ids_are_the_same_members() {
    let fake = fake();
    // Laravel's channel callback returns an integer id.
    fake.set_user(json!(1), json!({ "name": "Ada" }));
    fake.runtime().set_auto_subscribe(false);
    let room = fake.echo().join("room.1");
    let here = Rc::new(RefCell::new(Vec::new()));
    let sink = here.clone();
    room.here(move |members| *sink.borrow_mut() = members.iter().map(|m| m.id.clone()).collect());
    let left = Rc::new(RefCell::new(Vec::new()));
    let sink = left.clone();
    room.leaving(move |m| sink.borrow_mut().push(m.id.clone()));
    let joined = Rc::new(RefCell::new(Vec::new()));
    let sink = joined.clone();
    room.joining(move |m| sink.borrow_mut().push(m.id.clone()));
    let whisperers = Rc::new(RefCell::new(Vec::new()));
    let sink = whisperers.clone();
    room.listen_with_metadata(".client-typing", move |_, meta| sink.borrow_mut().push(meta.user_id.clone()));
    fake.run_until_idle();

    let channel = "presence-room.1";
    let auth = &fake.auth_requests()[0];
    assert_eq!(auth.channel, channel);
    assert!(
        fake.sent_frames().iter().any(|f| f.contains(r#"\"user_id\":1"#)),
        "the integer id is sent as Laravel answered it: {:?}",
        fake.sent_frames()
    );
    // Reverb and Soketi pass integer ids through: `ids` are numbers, `hash`
    // keys (JSON object keys) strings.
    let roster = json!({ "presence": {
        "ids": [1, 2],
        "hash": { "1": { "name": "Ada" }, "2": { "name": "Bo" } },
        "count": 2,
    } });
    assert!(fake.server_frame(json!({ "event": "pusher_internal:subscription_succeeded", "channel": channel, "data": roster.to_string() })));
    let members = room.members();
    assert_eq!(members.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["1", "2"], "{members:?}");
    assert_eq!(
        members[1].info,
        json!({ "name": "Bo" }),
        "an integer id finds its info under the string key"
    );
    assert_eq!(*here.borrow(), ["1", "2"]);
    assert_eq!(room.me().map(|m| m.id), Some("1".to_owned()), "me from the integer channel_data");

    // A string id for the same user is that member: not a second one.
    let added = |id: Value| json!({ "event": "pusher_internal:member_added", "channel": channel, "data": json!({ "user_id": id, "user_info": { "name": "Bo again" } }).to_string() });
    assert!(fake.server_frame(added(json!("2"))));
    assert_eq!(room.members().len(), 2);
    assert_eq!(
        room.members().iter().find(|m| m.id == "2").map(|m| m.info["name"].clone()),
        Some(json!("Bo again"))
    );
    // A whisper's user_id as an integer names the same member.
    assert!(fake.server_frame(json!({ "event": "client-typing", "channel": channel, "data": {}, "user_id": 2 })));
    assert!(fake.server_frame(json!({ "event": "client-typing", "channel": channel, "data": {}, "user_id": "2" })));
    assert_eq!(*whisperers.borrow(), [Some("2".to_owned()), Some("2".to_owned())]);
    // Leaving with the integer form removes the member added with a string.
    let removed =
        |id: Value| json!({ "event": "pusher_internal:member_removed", "channel": channel, "data": json!({ "user_id": id }).to_string() });
    assert!(fake.server_frame(removed(json!(2))));
    assert_eq!(*left.borrow(), ["2"]);
    assert_eq!(room.members().len(), 1);
    assert!(fake.server_frame(removed(json!("2"))), "already gone: nothing to report");
    assert_eq!(*left.borrow(), ["2"]);
    assert_eq!(*joined.borrow(), ["2"]);
    // And an integer member_added for a member listed with a string id.
    assert!(fake.server_frame(added(json!("3"))));
    assert!(fake.server_frame(added(json!(3))));
    assert_eq!(room.members().len(), 2, "{:?}", room.members());
    assert_eq!(*joined.borrow(), ["2", "3", "3"], "reported as pusher-js does, counted once");
}

#[test]
fn an_empty_roster_sent_as_a_json_array_is_accepted() {
    let fake = fake();
    fake.runtime().set_auto_subscribe(false);
    let room = fake.echo().join("room.1");
    let errors = Rc::new(RefCell::new(Vec::new()));
    let sink = errors.clone();
    fake.echo().on_error(move |e| sink.borrow_mut().push(e.clone()));
    let here = Rc::new(RefCell::new(None));
    let sink = here.clone();
    room.here(move |members| *sink.borrow_mut() = Some(members.len()));
    fake.run_until_idle();
    // Reverb with no members: `hash` as `[]`, not `{}`.
    let data = json!({ "presence": { "ids": [], "hash": [], "count": 0 } }).to_string();
    assert!(fake.server_frame(json!({ "event": "pusher_internal:subscription_succeeded", "channel": "presence-room.1", "data": data })));
    assert_eq!(*here.borrow(), Some(0));
    assert!(room.is_subscribed());
    assert!(errors.borrow().is_empty(), "{:?}", errors.borrow());
}
