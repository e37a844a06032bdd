//! Faults that take minutes of wall-clock time, played exactly and in
//! milliseconds on a fake clock: 100 cut/restore cycles, the server down for
//! 30 s, a machine asleep for minutes. The client is the real [`Echo`] on
//! [`FakeRuntime`] (or the sans-IO [`Connection`] itself where the test
//! needs to refuse every connection attempt); nothing sleeps.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use echo_rs::proto::{Connection, Output};
use echo_rs::runtime::Instant;
use echo_rs::testing::{FakeEcho, FakeRuntime};
use echo_rs::{ConnectionState, EchoOptions};
use serde_json::json;

fn options() -> EchoOptions {
    EchoOptions {
        reconnect_max_delay: Duration::from_secs(4),
        ..EchoOptions::reverb("app-key", "localhost", 8080, "http")
    }
}

/// What the application saw.
#[derive(Default)]
struct Seen {
    ticks: BTreeMap<String, Vec<u64>>,
    subscribed: BTreeMap<String, usize>,
    states: Vec<ConnectionState>,
}

fn watch(fake: &FakeEcho, channels: &[&str]) -> Rc<RefCell<Seen>> {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let s = seen.clone();
    fake.echo().on_connection_change(move |state| s.borrow_mut().states.push(state));
    for name in channels {
        let channel = fake.echo().subscribe((*name).to_owned());
        let (s, n) = (seen.clone(), (*name).to_owned());
        channel.listen(".Tick", move |data| {
            s.borrow_mut().ticks.entry(n.clone()).or_default().push(data["n"].as_u64().unwrap());
        });
        let (s, n) = (seen.clone(), (*name).to_owned());
        channel.subscribed(move |_| *s.borrow_mut().subscribed.entry(n.clone()).or_default() += 1);
    }
    fake.run_until_idle();
    seen
}

/// Advances in 100 ms steps until every channel is subscribed on the server
/// again; returns how long it took.
fn advance_until_subscribed(fake: &FakeEcho, channels: &[&str]) -> Duration {
    let mut expected: Vec<String> = channels.iter().map(|c| (*c).to_owned()).collect();
    expected.sort();
    for step in 0..600u32 {
        if fake.echo().connection_state() == ConnectionState::Connected && fake.subscriptions() == expected {
            return Duration::from_millis(100) * step;
        }
        fake.advance(Duration::from_millis(100));
    }
    panic!(
        "not resubscribed after 60 s: {:?} ({:?})",
        fake.subscriptions(),
        fake.echo().connection_state()
    );
}

#[test]
fn a_hundred_cut_and_restore_cycles_lose_nothing_and_duplicate_nothing() {
    let fake = FakeEcho::with_options(options()).unwrap();
    let channels = ["rooms", "private-orders.1", "presence-lobby"];
    let seen = watch(&fake, &channels);
    let listeners: Vec<usize> = channels.iter().map(|c| fake.listener_count(c)).collect();
    const CYCLES: u64 = 100;
    let mut connections = 1;
    for cycle in 0..=CYCLES {
        for channel in channels {
            assert!(
                fake.emit(channel, ".Tick", json!({ "n": cycle })),
                "cycle {cycle}: {channel} not subscribed"
            );
        }
        if cycle == CYCLES {
            break;
        }
        match cycle % 5 {
            0 => assert!(fake.drop_connection(None)),       // the network drops, no close frame
            1 => assert!(fake.drop_connection(Some(1006))), // abnormal closure
            2 => assert!(fake.drop_connection(Some(4200))), // "reconnect immediately"
            3 => assert!(fake.drop_connection(Some(4100))), // over capacity: back off
            _ => {
                // The server is back but hangs in the handshake for 10 s.
                fake.runtime().set_auto_handshake(false);
                assert!(fake.drop_connection(None));
                fake.advance(Duration::from_secs(10));
                fake.runtime().set_auto_handshake(true);
            }
        }
        advance_until_subscribed(&fake, &channels);
        connections += 1;
    }
    let seen = seen.borrow();
    let all: Vec<u64> = (0..=CYCLES).collect();
    for (channel, before) in channels.iter().zip(listeners) {
        assert_eq!(seen.ticks[*channel], all, "{channel}: every event exactly once, in order");
        assert_eq!(seen.subscribed[*channel], connections, "{channel}: told once per connection");
        assert_eq!(
            fake.subscribe_count(channel),
            connections,
            "{channel}: one pusher:subscribe per connection"
        );
        assert_eq!(fake.listener_count(channel), before, "{channel}: no listener duplicated or lost");
    }
    assert!(!seen.states.contains(&ConnectionState::Failed), "never failed");
    assert_eq!(fake.echo().connection_state(), ConnectionState::Connected);
    assert_eq!(fake.echo().channel_names().len(), channels.len());
}

/// The times (from the drop) of every connection attempt while the server
/// refuses connections for `down`, the delays announced, and when the client
/// was connected again.
struct Outage {
    attempts: Vec<Duration>,
    delays: Vec<Duration>,
    reconnected_at: Duration,
    resubscribed: bool,
    states: Vec<ConnectionState>,
}

fn outage(seed: u64, down: Duration) -> Outage {
    let options = EchoOptions {
        reconnect_base_delay: Duration::from_secs(1),
        reconnect_max_delay: Duration::from_secs(5),
        ..EchoOptions::reverb("app-key", "127.0.0.1", 6001, "http")
    };
    let start = Instant::now();
    let mut conn = Connection::new(options, false, seed);
    conn.subscribe("rooms", start);
    conn.connect(start);
    conn.handle_open(start);
    conn.handle_message(start, &handshake("1.1"));
    while conn.poll_output().is_some() {}
    // The server goes away.
    conn.handle_close(start, None, "connection reset");
    let mut now = start;
    let mut result = Outage {
        attempts: Vec::new(),
        delays: Vec::new(),
        reconnected_at: Duration::ZERO,
        resubscribed: false,
        states: Vec::new(),
    };
    for _ in 0..10_000 {
        let mut opened = false;
        while let Some(output) = conn.poll_output() {
            match output {
                Output::ConnectingIn(delay) => result.delays.push(delay),
                Output::OpenSocket { .. } => opened = true,
                Output::StateChange { current, .. } => result.states.push(current),
                _ => {}
            }
        }
        if opened {
            result.attempts.push(now - start);
            if now - start < down {
                conn.handle_close(now, None, "connection refused");
                continue;
            }
            conn.handle_open(now);
            conn.handle_message(now, &handshake("2.2"));
            result.reconnected_at = now - start;
            result.resubscribed = std::iter::from_fn(|| conn.poll_output())
                .any(|o| o == Output::Send(r#"{"event":"pusher:subscribe","data":{"channel":"rooms"}}"#.into()));
            assert_eq!(conn.state(), ConnectionState::Connected);
            return result;
        }
        now = conn.poll_timeout().expect("a retry is always scheduled");
        conn.handle_timeout(now);
    }
    panic!("never reconnected");
}

fn handshake(socket_id: &str) -> String {
    let data = json!({ "socket_id": socket_id, "activity_timeout": 120 }).to_string();
    json!({ "event": "pusher:connection_established", "data": data }).to_string()
}

#[test]
fn with_the_server_down_for_30_s_attempts_are_spread_by_jitter_and_the_delay_is_capped() {
    let down = Duration::from_secs(30);
    let cap = Duration::from_secs(5);
    let outages: Vec<Outage> = (1..=20).map(|seed| outage(seed * 7919, down)).collect();
    for (i, o) in outages.iter().enumerate() {
        assert!(
            o.delays.iter().all(|d| *d <= cap),
            "client {i}: a delay over the cap: {:?}",
            o.delays
        );
        // Once the backoff has grown, every delay is at least half the cap:
        // the server is not hammered.
        assert!(o.delays.iter().skip(4).all(|d| *d >= cap / 2), "client {i}: {:?}", o.delays);
        assert!(
            (6..=25).contains(&o.attempts.len()),
            "client {i}: {} attempts in 30 s: {:?}",
            o.attempts.len(),
            o.attempts
        );
        assert!(
            o.reconnected_at >= down && o.reconnected_at <= down + cap,
            "client {i}: back at {:?}",
            o.reconnected_at
        );
        assert!(o.resubscribed, "client {i}: channels subscribed again");
        assert!(
            !o.states.contains(&ConnectionState::Failed),
            "client {i}: never failed: {:?}",
            o.states
        );
        assert!(o.states.contains(&ConnectionState::Unavailable), "client {i}: reported unavailable");
    }
    // Clients that lost the server together do not come back together: the
    // sixth attempt is spread over more than a second across 20 clients,
    // and no two clients share their whole schedule.
    let sixth: Vec<Duration> = outages.iter().map(|o| o.attempts[5]).collect();
    let spread = *sixth.iter().max().unwrap() - *sixth.iter().min().unwrap();
    assert!(spread >= Duration::from_secs(1), "sixth attempts {sixth:?}");
    let mut schedules: Vec<&Vec<Duration>> = outages.iter().map(|o| &o.attempts).collect();
    schedules.sort();
    schedules.dedup();
    assert_eq!(schedules.len(), outages.len(), "every client has its own schedule");
}

#[test]
fn after_minutes_asleep_a_wake_up_checks_liveness_at_once_and_the_app_is_told_it_reconnected() {
    let runtime = FakeRuntime::new();
    let fake = FakeEcho::with_runtime(options(), runtime.clone()).unwrap();
    let seen = watch(&fake, &["rooms"]);
    assert_eq!(seen.borrow().subscribed["rooms"], 1);

    // Asleep for 5 minutes with every timer frozen; the page becomes
    // visible: a ping goes out before anything else, the server answers,
    // and the connection is kept.
    runtime.clear_sent_frames();
    runtime.suspend(Duration::from_secs(300));
    runtime.liveness_event();
    let sent = runtime.sent_frames();
    assert_eq!(
        sent.first().map(String::as_str),
        Some(r#"{"event":"pusher:ping","data":{}}"#),
        "{sent:?}"
    );
    assert_eq!(fake.echo().connection_state(), ConnectionState::Connected);
    assert_eq!(runtime.connection_count(), 1);

    // Asleep again; this time the network went away meanwhile. On wake-up
    // the browser reports the socket closed, then `online`: the client
    // reconnects at once instead of waiting out its backoff, subscribes
    // again, and the app hears `subscribed` once more (echo-leptos refetches
    // its queries on it).
    runtime.suspend(Duration::from_secs(600));
    assert!(fake.drop_connection(None));
    assert_eq!(fake.echo().connection_state(), ConnectionState::Connecting);
    let elapsed = runtime.elapsed();
    runtime.liveness_event();
    assert_eq!(runtime.elapsed(), elapsed, "no time passed");
    assert_eq!(fake.echo().connection_state(), ConnectionState::Connected);
    assert_eq!(runtime.connection_count(), 2);
    assert_eq!(fake.subscriptions(), ["rooms"]);
    assert_eq!(seen.borrow().subscribed["rooms"], 2);
    assert!(fake.emit("rooms", ".Tick", json!({ "n": 1 })));
    assert_eq!(seen.borrow().ticks["rooms"], [1]);
}

#[test]
fn after_minutes_asleep_a_silently_dead_socket_is_found_by_the_wake_up_ping() {
    // The core alone: the socket is dead but no close was reported (a NAT
    // forgot it). Timers frozen for 5 minutes, then a visibility event.
    let options = EchoOptions {
        pong_timeout: Duration::from_secs(5),
        ..EchoOptions::reverb("app-key", "127.0.0.1", 6001, "http")
    };
    let start = Instant::now();
    let mut conn = Connection::new(options, false, 7);
    conn.subscribe("rooms", start);
    conn.connect(start);
    conn.handle_open(start);
    conn.handle_message(start, &handshake("1.1"));
    conn.handle_message(
        start,
        r#"{"event":"pusher_internal:subscription_succeeded","channel":"rooms","data":"{}"}"#,
    );
    while conn.poll_output().is_some() {}

    let woke = start + Duration::from_secs(300);
    conn.check_liveness(woke);
    let first: Vec<Output> = std::iter::from_fn(|| conn.poll_output()).collect();
    assert_eq!(first, [Output::Send(r#"{"event":"pusher:ping","data":{}}"#.into())]);
    // The overdue timers fire as the shell catches up: nothing more yet.
    conn.handle_timeout(woke);
    assert!(std::iter::from_fn(|| conn.poll_output()).all(|o| !matches!(o, Output::OpenSocket { .. })));
    // No pong within liveness_timeout (3 s, not pong_timeout): the socket is
    // dropped and a new one opened at once.
    let deadline = conn.poll_timeout().unwrap();
    assert_eq!(deadline, woke + Duration::from_secs(3));
    conn.handle_timeout(deadline);
    let mut outputs: Vec<Output> = std::iter::from_fn(|| conn.poll_output()).collect();
    assert!(outputs.contains(&Output::CloseSocket), "{outputs:?}");
    if !outputs.iter().any(|o| matches!(o, Output::OpenSocket { .. })) {
        let retry = conn.poll_timeout().unwrap();
        assert_eq!(retry, deadline, "the retry is immediate");
        conn.handle_timeout(retry);
        outputs = std::iter::from_fn(|| conn.poll_output()).collect();
    }
    assert!(outputs.iter().any(|o| matches!(o, Output::OpenSocket { .. })), "{outputs:?}");
    conn.handle_open(deadline);
    conn.handle_message(deadline, &handshake("2.2"));
    conn.handle_message(
        deadline,
        r#"{"event":"pusher_internal:subscription_succeeded","channel":"rooms","data":"{}"}"#,
    );
    let outputs: Vec<Output> = std::iter::from_fn(|| conn.poll_output()).collect();
    assert!(
        outputs
            .iter()
            .any(|o| matches!(o, Output::Subscribed { channel, resubscribed: true, .. } if channel == "rooms")),
        "the app is told this is a resubscription: {outputs:?}"
    );
}
