//! The `Echo` shell's presence, cache and encrypted-channel API over a minimal
//! in-memory runtime: the server's frames are fed to the socket sink by hand
//! and authorization answers at once. Protocol behaviour itself is tested on
//! the core in `protocol.rs`; this checks the dispatch to listeners.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use echo_rs::runtime::Runtime;
use echo_rs::runtime::{LocalBoxFuture, SocketEvent, SocketHandle, SocketSink};
use echo_rs::{AuthRequest, Authorizer, ChannelAuth, Echo, EchoOptions, Member};
use serde_json::{json, Value};

#[derive(Default)]
struct Wire {
    sink: Option<SocketSink>,
    sent: Vec<String>,
}

/// Opens one socket per request, records what is sent, never fires timers
/// and runs spawned futures as far as they go at once.
struct Inline(Rc<RefCell<Wire>>);

struct Socket(Rc<RefCell<Wire>>);

impl SocketHandle for Socket {
    fn send(&self, text: &str) {
        self.0.borrow_mut().sent.push(text.to_owned());
    }
}

impl Runtime for Inline {
    fn open_socket(&self, _url: &str, sink: SocketSink) -> Result<Box<dyn SocketHandle>, String> {
        self.0.borrow_mut().sink = Some(sink);
        Ok(Box::new(Socket(self.0.clone())))
    }

    fn set_timer(&self, _delay: Duration, _callback: Box<dyn FnOnce()>) -> Box<dyn Any> {
        Box::new(())
    }

    fn spawn_local(&self, mut future: LocalBoxFuture<()>) {
        let mut cx = Context::from_waker(Waker::noop());
        assert!(
            matches!(future.as_mut().poll(&mut cx), Poll::Ready(())),
            "auth answers at once here"
        );
    }

    fn random_seed(&self) -> u64 {
        7
    }
}

const SECRET: [u8; 32] = [9; 32];

fn authorizer() -> Authorizer {
    Rc::new(|request: AuthRequest| {
        let auth = ChannelAuth {
            auth: "local-key:sig".into(),
            channel_data: request
                .channel
                .starts_with("presence-")
                .then(|| json!({ "user_id": 1, "user_info": {} }).to_string()),
            shared_secret: request.channel.starts_with("private-encrypted-").then(|| {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD.encode(SECRET)
            }),
        };
        Box::pin(async move { Ok(auth) }) as LocalBoxFuture<_>
    })
}

/// A connected client and a way to play the server.
fn connected() -> (Echo, impl Fn(Value)) {
    let wire = Rc::new(RefCell::new(Wire::default()));
    let echo = Echo::with_runtime(
        EchoOptions::reverb("local-key", "127.0.0.1", 6001, "http"),
        Rc::new(Inline(wire.clone())),
        Some(authorizer()),
    )
    .expect("valid options");
    let server = move |frame: Value| {
        let sink = wire.borrow().sink.clone().expect("a socket is open");
        sink(SocketEvent::Message(frame.to_string()));
    };
    server(json!({ "event": "pusher:connection_established", "data": json!({ "socket_id": "1.1", "activity_timeout": 120 }).to_string() }));
    (echo, server)
}

fn frame(channel: &str, event: &str, data: Value) -> Value {
    json!({ "event": event, "channel": channel, "data": data.to_string() })
}

#[test]
fn presence_channel_here_joining_leaving_and_members() {
    let (echo, server) = connected();
    let room = echo.join("room.1");
    assert_eq!(room.name(), "presence-room.1");
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let l = log.clone();
    room.here(move |members| {
        l.borrow_mut().push(format!(
            "here {}",
            members.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(",")
        ))
    });
    let l = log.clone();
    room.joining(move |m| l.borrow_mut().push(format!("joining {}", m.id)));
    let l = log.clone();
    let leaving = room.leaving(move |m| l.borrow_mut().push(format!("leaving {}", m.id)));
    let l = log.clone();
    room.listen_with_metadata(".client-typing", move |data, meta| {
        l.borrow_mut().push(format!("typing {data} from {:?}", meta.user_id));
    });

    let presence = json!({ "presence": { "ids": ["1", "2"], "hash": { "1": { "n": "me" }, "2": {} }, "count": 2 } });
    server(frame("presence-room.1", "pusher_internal:subscription_succeeded", presence));
    assert_eq!(
        room.me(),
        Some(Member {
            id: "1".into(),
            info: json!({ "n": "me" })
        })
    );
    assert_eq!((room.count(), room.members().len()), (2, 2));
    server(frame(
        "presence-room.1",
        "pusher_internal:member_added",
        json!({ "user_id": 3, "user_info": {} }),
    ));
    server(frame(
        "presence-room.1",
        "pusher_internal:member_removed",
        json!({ "user_id": "2" }),
    ));
    server(json!({ "event": "client-typing", "channel": "presence-room.1", "data": "{\"on\":true}", "user_id": 3 }));
    room.stop_listening(leaving);
    server(frame(
        "presence-room.1",
        "pusher_internal:member_removed",
        json!({ "user_id": "3" }),
    ));
    assert_eq!(
        *log.borrow(),
        ["here 1,2", "joining 3", "leaving 2", r#"typing {"on":true} from Some("3")"#]
    );

    room.leave();
    assert_eq!(echo.listener_count("presence-room.1"), 0);
    assert!(room.members().is_empty());
}

#[test]
fn cache_miss_is_delivered_to_both_listener_forms() {
    let (echo, server) = connected();
    let channel = echo.channel("cache-rooms");
    let misses = Rc::new(RefCell::new(0));
    let m = misses.clone();
    channel.listen_for_cache_miss(move || *m.borrow_mut() += 1);
    let m = misses.clone();
    channel.listen(".pusher:cache_miss", move |_| *m.borrow_mut() += 1);
    server(frame("cache-rooms", "pusher_internal:subscription_succeeded", json!({})));
    server(json!({ "event": "pusher:cache_miss", "channel": "cache-rooms" }));
    assert_eq!(*misses.borrow(), 2);
}

#[cfg(feature = "encryption")]
#[test]
fn encrypted_private_channel_listeners_get_plaintext() {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;
    use crypto_secretbox::aead::{Aead, KeyInit};
    use crypto_secretbox::{Key, Nonce, XSalsa20Poly1305};

    let (echo, server) = connected();
    let channel = echo.encrypted_private("orders.1");
    assert_eq!(channel.name(), "private-encrypted-orders.1");
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = got.clone();
    channel.listen(".OrderShipped", move |data| g.borrow_mut().push(data.clone()));
    server(frame(channel.name(), "pusher_internal:subscription_succeeded", json!({})));

    let sealed = XSalsa20Poly1305::new(Key::from_slice(&SECRET))
        .encrypt(Nonce::from_slice(&[4; 24]), br#"{"id":42}"#.as_slice())
        .expect("encrypting in memory works");
    let data = json!({ "ciphertext": STANDARD.encode(sealed), "nonce": STANDARD.encode([4; 24]) });
    server(frame(channel.name(), "OrderShipped", data));
    assert_eq!(*got.borrow(), [json!({ "id": 42 })]);
    assert!(
        channel.whisper("typing", &json!({})).is_err(),
        "no client events on encrypted channels"
    );
}
