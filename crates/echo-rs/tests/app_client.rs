//! Who owns the client: the app-wide client (`configure_echo`, `echo`,
//! `disconnect_echo`, echo-react's `configureEcho()` / `echo()`), and the
//! warning when a connected client is dropped, on the test double.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use echo_rs::testing::{FakeEcho, FakeRuntime};
use echo_rs::{ConnectionState, Echo, EchoOptions};
use serde_json::json;

fn options() -> EchoOptions {
    EchoOptions::reverb("app-key", "localhost", 6001, "http")
}

/// A client on `runtime`, signing nothing (only public channels are used).
fn client_on(runtime: &FakeRuntime) -> Echo {
    Echo::with_runtime(options(), Rc::new(runtime.clone()), None).expect("valid options")
}

#[test]
fn a_client_dropped_while_connected_says_so_and_names_its_channels() {
    let runtime = FakeRuntime::new();
    let heard = Rc::new(Cell::new(0));
    {
        // What a plain `main` does: build, listen, return.
        let echo = client_on(&runtime);
        let h = heard.clone();
        echo.channel("rooms").listen(".RoomsUpdated", move |_| h.set(h.get() + 1));
        runtime.run_until_idle();
        assert_eq!(echo.connection_state(), ConnectionState::Connected);
    }
    runtime.run_until_idle();
    let warnings = runtime.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("dropped while connected"), "{}", warnings[0]);
    assert!(warnings[0].contains("channels rooms"), "{}", warnings[0]);
    assert!(warnings[0].contains("echo_rs::configure_echo"), "names the fix: {}", warnings[0]);
    assert!(!runtime.is_open(), "the socket is closed");
    assert!(!runtime.server_event("rooms", "RoomsUpdated", &json!({})));
    assert_eq!(heard.get(), 0);
}

#[test]
fn a_client_disconnected_before_it_is_dropped_is_quiet() {
    let runtime = FakeRuntime::new();
    let echo = client_on(&runtime);
    runtime.run_until_idle();
    echo.disconnect();
    drop(echo);
    // Refused connections stop too: nothing is lost silently there either.
    let refused = client_on(&runtime);
    runtime.run_until_idle();
    assert!(runtime.drop_connection(Some(4001)));
    assert_eq!(refused.connection_state(), ConnectionState::Failed);
    drop(refused);
    assert!(runtime.warnings().is_empty(), "{:?}", runtime.warnings());
}

#[test]
fn a_channel_handle_keeps_its_client_alive() {
    let fake = FakeEcho::new("app-key").unwrap();
    let runtime = fake.runtime().clone();
    let echo = fake.echo().clone();
    drop(fake);
    let rooms = echo.channel("rooms");
    drop(echo);
    runtime.run_until_idle();
    assert!(runtime.warnings().is_empty());
    assert!(runtime.server_event("rooms", "RoomsUpdated", &json!({})));
    assert!(rooms.is_subscribed());
}

#[test]
fn the_app_wide_client_is_built_once_lives_on_and_is_rebuilt_after_disconnect_echo() {
    let runtime = FakeRuntime::new();
    let built = Rc::new(Cell::new(0));
    let (r, b) = (runtime.clone(), built.clone());
    echo_rs::configure_echo_with(move || {
        b.set(b.get() + 1);
        Some(client_on(&r))
    });
    assert_eq!(built.get(), 0, "nothing connects before it is asked for");

    // A component that listens and lets its handle go.
    let heard = Rc::new(Cell::new(0));
    let h = heard.clone();
    echo_rs::echo()
        .expect("configured")
        .channel("rooms")
        .listen(".RoomsUpdated", move |_| h.set(h.get() + 1));
    runtime.advance(Duration::from_secs(1));
    assert!(runtime.server_event("rooms", "RoomsUpdated", &json!({})));
    assert_eq!(heard.get(), 1, "still listening after the caller dropped its handle");
    let socket = echo_rs::echo().unwrap().socket_id();
    assert_eq!(echo_rs::echo().unwrap().socket_id(), socket, "the same client");
    assert_eq!(built.get(), 1);

    // After sign-in: disconnect; the next client is a new one.
    echo_rs::disconnect_echo();
    runtime.run_until_idle();
    assert!(!runtime.is_open());
    assert!(
        runtime.warnings().is_empty(),
        "a deliberate disconnect is quiet: {:?}",
        runtime.warnings()
    );
    let next = echo_rs::echo().expect("rebuilt");
    runtime.run_until_idle();
    assert_eq!(built.get(), 2);
    assert_ne!(next.socket_id(), socket);
    assert!(next.channel_names().is_empty(), "the old channels went with the old client");
    echo_rs::disconnect_echo();
}

#[test]
fn realtime_off_or_unconfigured_is_none_and_reconfiguring_replaces_the_client() {
    // Not configured on this thread.
    assert!(echo_rs::echo().is_none());
    echo_rs::disconnect_echo(); // nothing to do
                                // Realtime off (no key): the builder says so.
    echo_rs::configure_echo_with(|| None);
    assert!(echo_rs::echo().is_none());

    let runtime = FakeRuntime::new();
    let r = runtime.clone();
    echo_rs::configure_echo_with(move || Some(client_on(&r)));
    let first = echo_rs::echo().unwrap();
    runtime.run_until_idle();
    let r = runtime.clone();
    echo_rs::configure_echo_with(move || Some(client_on(&r)));
    assert_eq!(
        first.connection_state(),
        ConnectionState::Disconnected,
        "the old client is disconnected"
    );
    let second = echo_rs::echo().unwrap();
    runtime.run_until_idle();
    assert_eq!(second.connection_state(), ConnectionState::Connected);
    echo_rs::disconnect_echo();
}
