//! The path from `pusher:connection_established` to subscribed private
//! channels, on the fake runtime with an authorizer whose answers the test
//! releases one by one: every authorization is asked for at once (as
//! pusher-js does, not one after the other), each `pusher:subscribe` goes
//! out as soon as its own answer is in, and nothing on the way waits for a
//! timer (the fake clock never moves). This is what the benchmark's
//! "first event on each of 20 private channels" depends on; no timing is
//! asserted.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use echo_rs::runtime::Instant;
use echo_rs::runtime::Runtime;
use echo_rs::runtime::{LocalBoxFuture, SocketHandle, SocketSink};
use echo_rs::testing::FakeRuntime;
use echo_rs::{AuthRequest, Authorizer, ChannelAuth, Echo, EchoError, EchoOptions};

/// One authorization waiting for the test to answer it.
#[derive(Default)]
struct Gate {
    answer: Option<Result<ChannelAuth, EchoError>>,
    waker: Option<Waker>,
}

struct Pending(Rc<RefCell<Gate>>);

impl Future for Pending {
    type Output = Result<ChannelAuth, EchoError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut gate = self.0.borrow_mut();
        match gate.answer.take() {
            Some(answer) => Poll::Ready(answer),
            None => {
                gate.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

type Asked = Rc<RefCell<Vec<(AuthRequest, Rc<RefCell<Gate>>)>>>;

/// An authorizer that records each request and answers only when the test
/// calls [`answer`].
fn gated_authorizer() -> (Authorizer, Asked) {
    let asked: Asked = Rc::default();
    let log = asked.clone();
    let authorizer: Authorizer = Rc::new(move |request: AuthRequest| {
        let gate = Rc::new(RefCell::new(Gate::default()));
        log.borrow_mut().push((request, gate.clone()));
        Box::pin(Pending(gate))
    });
    (authorizer, asked)
}

/// A client on `runtime` with the [`gated_authorizer`].
fn client(runtime: &FakeRuntime) -> (Echo, Asked) {
    let (authorizer, asked) = gated_authorizer();
    let options = EchoOptions::reverb("app-key", "localhost", 8080, "http");
    let echo = Echo::with_runtime(options, Rc::new(runtime.clone()), Some(authorizer)).unwrap();
    (echo, asked)
}

fn answer(runtime: &FakeRuntime, asked: &Asked, channel: &str) {
    let gate = {
        let asked = asked.borrow();
        let (request, gate) = asked.iter().find(|(r, _)| r.channel == channel).expect("asked for");
        let mut g = gate.borrow_mut();
        g.answer = Some(Ok(ChannelAuth {
            auth: format!("app-key:signature-{}", request.socket_id),
            ..ChannelAuth::default()
        }));
        g.waker.take()
    };
    gate.expect("the authorization was polled").wake();
    runtime.run_until_idle();
}

fn subscribes(runtime: &FakeRuntime) -> Vec<String> {
    runtime
        .sent_frames()
        .iter()
        .filter(|f| f.contains("pusher:subscribe"))
        .map(|f| {
            let v: serde_json::Value = serde_json::from_str(f).unwrap();
            v["data"]["channel"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// A client on a runtime whose handshake waits, with 20 private channels
/// subscribed (`private-room-0` …).
fn twenty_private_channels() -> (FakeRuntime, Echo, Asked, Vec<String>) {
    let runtime = FakeRuntime::new();
    runtime.set_auto_handshake(false);
    let (echo, asked) = client(&runtime);
    let names: Vec<String> = (0..20).map(|i| format!("private-room-{i}")).collect();
    for name in &names {
        echo.subscribe(name.clone());
    }
    (runtime, echo, asked, names)
}

#[test]
fn all_authorizations_are_in_flight_before_the_first_answer() {
    let (runtime, echo, asked, names) = twenty_private_channels();
    runtime.run_until_idle();
    assert!(asked.borrow().is_empty(), "nothing is authorized before the socket id is known");

    assert!(runtime.handshake());
    let socket_id = echo.socket_id().unwrap();
    {
        let asked = asked.borrow();
        let mut channels: Vec<&str> = asked.iter().map(|(r, _)| r.channel.as_str()).collect();
        channels.sort_unstable();
        let mut expected: Vec<&str> = names.iter().map(String::as_str).collect();
        expected.sort_unstable();
        assert_eq!(channels, expected, "all 20 asked for at once, each once");
        assert!(asked.iter().all(|(r, _)| r.socket_id == socket_id));
    }
    assert_eq!(runtime.pending_tasks(), 20, "the 20 authorizations wait side by side");
    assert!(subscribes(&runtime).is_empty());
    assert_eq!(runtime.elapsed(), Duration::ZERO);
}

#[test]
fn each_subscribe_goes_out_with_its_own_answer_without_a_timer() {
    let (runtime, echo, asked, names) = twenty_private_channels();
    assert!(runtime.handshake());

    // Answers come back in any order; each one's subscribe is sent at once,
    // the others keep waiting.
    answer(&runtime, &asked, "private-room-7");
    assert_eq!(subscribes(&runtime), ["private-room-7"]);
    assert!(echo.is_subscribed("private-room-7"));
    for name in names.iter().rev().filter(|n| *n != "private-room-7") {
        answer(&runtime, &asked, name);
        assert_eq!(subscribes(&runtime).last(), Some(name));
    }
    assert_eq!(subscribes(&runtime).len(), 20);
    assert!(names.iter().all(|n| echo.is_subscribed(n)));
    assert_eq!(runtime.elapsed(), Duration::ZERO, "no step waited for the clock");
    assert_eq!(runtime.pending_tasks(), 0);
}

#[test]
fn a_public_channel_is_subscribed_in_the_handshake_s_own_turn() {
    let runtime = FakeRuntime::new();
    runtime.set_auto_handshake(false);
    let (echo, _asked) = client(&runtime);
    echo.channel("news");
    assert!(runtime.handshake());
    assert_eq!(subscribes(&runtime), ["news"]);
    assert!(echo.is_subscribed("news"));
    assert_eq!(runtime.elapsed(), Duration::ZERO);
}

/// [`FakeRuntime`] with a token store that counts its reads (the browser's
/// `localStorage.getItem("token")`).
struct CountingStore {
    inner: FakeRuntime,
    reads: Rc<Cell<usize>>,
}

impl Runtime for CountingStore {
    fn now(&self) -> Instant {
        self.inner.now()
    }
    fn open_socket(&self, url: &str, sink: SocketSink) -> Result<Box<dyn SocketHandle>, String> {
        self.inner.open_socket(url, sink)
    }
    fn set_timer(&self, delay: Duration, callback: Box<dyn FnOnce()>) -> Box<dyn Any> {
        self.inner.set_timer(delay, callback)
    }
    fn spawn_local(&self, future: LocalBoxFuture<()>) {
        self.inner.spawn_local(future);
    }
    fn random_seed(&self) -> u64 {
        self.inner.random_seed()
    }
    fn watch_liveness(&self, callback: Box<dyn Fn()>) -> Box<dyn Any> {
        self.inner.watch_liveness(callback)
    }
    fn local_storage(&self, key: &str) -> Option<String> {
        assert_eq!(key, "token", "the default token store");
        self.reads.set(self.reads.get() + 1);
        Some("stored-token".into())
    }
}

fn counting_client() -> (Echo, FakeRuntime, Rc<Cell<usize>>, Asked) {
    let inner = FakeRuntime::new();
    inner.set_auto_handshake(false);
    let reads = Rc::new(Cell::new(0));
    let runtime = CountingStore {
        inner: inner.clone(),
        reads: reads.clone(),
    };
    let (authorizer, asked) = gated_authorizer();
    let options = EchoOptions::reverb("app-key", "localhost", 8080, "http");
    let echo = Echo::with_runtime(options, Rc::new(runtime), Some(authorizer)).unwrap();
    (echo, inner, reads, asked)
}

#[test]
fn the_token_store_is_first_read_while_connecting_and_again_for_each_authorization() {
    let (echo, runtime, reads, asked) = counting_client();
    echo.channel("news");
    runtime.run_until_idle();
    assert_eq!(reads.get(), 0, "a public channel needs no token");

    // The first private channel: the store is read once, in a task of its
    // own during the handshake, so that its first (slow, in a browser) read
    // is not on the way from connection_established to the first auth request.
    echo.private("a");
    echo.private("b");
    assert_eq!(reads.get(), 0, "not inside subscribe");
    runtime.run_until_idle();
    assert_eq!(reads.get(), 1);

    // Each authorization still reads the token afresh.
    assert!(runtime.handshake());
    assert_eq!(reads.get(), 3);
    let asked = asked.borrow();
    assert_eq!(asked.len(), 2);
    for (request, _) in asked.iter() {
        assert!(request.headers.contains(&("Authorization".into(), "Bearer stored-token".into())));
    }
    drop(asked);

    // Never again: not for later private channels, not after a reconnect.
    echo.private("c");
    assert!(runtime.drop_connection(None));
    runtime.advance(Duration::from_millis(1500));
    assert!(runtime.handshake(), "a new socket is open");
    let authorizations = 2 + 1 + 3;
    assert_eq!(reads.get(), 1 + authorizations);
}

#[test]
fn with_a_token_getter_the_store_is_never_read() {
    echo_rs::set_echo_token_getter(|| Some("from-getter".into()));
    let (echo, runtime, reads, asked) = counting_client();
    echo.private("a");
    runtime.run_until_idle();
    assert!(runtime.handshake());
    echo_rs::reset_echo_token_getter();
    assert_eq!(reads.get(), 0);
    assert!(asked.borrow()[0]
        .0
        .headers
        .contains(&("Authorization".into(), "Bearer from-getter".into())));
}
