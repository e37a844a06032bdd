//! Browser tests: echo-rs in headless Chromium against a real Sockudo, with
//! events triggered through the demo API, whose queue worker calls the
//! server's Pusher HTTP API. `scripts/test.sh` starts both and runs these with
//! `cargo test -p laravel-echo-rs --target wasm32-unknown-unknown --test browser`.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use echo_rs::{ConnectionState, Echo, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod browser_support;
use browser_support::*;

/// Renames a room through the demo API's admin endpoint; the API answers at
/// once and broadcasts `RoomsUpdated` on `rooms` from its queue worker.
async fn rename_room(id: u32, name: &str) {
    let token = login("admin@casamarcelino.test", "admin-password").await;
    let body = serde_json::json!({ "name": name }).to_string();
    let response = gloo_net::http::Request::patch(&format!("{API}/api/admin/rooms/{id}"))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .body(body)
        .expect("request body")
        .send()
        .await
        .unwrap_or_else(|e| panic!("the demo API at {API} is not reachable: {e}"));
    assert!(response.ok(), "PATCH room {id} answered HTTP {}", response.status());
}

#[wasm_bindgen_test]
async fn connects_subscribes_and_receives_an_event_through_the_http_api() {
    let echo = Echo::new(options()).expect("valid options");
    let states = Rc::new(RefCell::new(Vec::new()));
    let s = states.clone();
    echo.on_connection_change(move |state| s.borrow_mut().push(state));

    let channel = echo.channel("rooms");
    let subscribed = Rc::new(RefCell::new(0));
    let n = subscribed.clone();
    channel.subscribed(move |_| *n.borrow_mut() += 1);
    let received: Rc<RefCell<Vec<Value>>> = Rc::default();
    let r = received.clone();
    channel.listen(".RoomsUpdated", move |data| r.borrow_mut().push(data.clone()));
    // The same event through the typed path (decoded from the received text)
    // and undecoded (`listen_data`), as the server double-encodes it.
    let typed: Rc<RefCell<Vec<RoomsUpdated>>> = Rc::default();
    let t = typed.clone();
    channel.listen_typed(move |event: RoomsUpdated| t.borrow_mut().push(event));
    let raw: Rc<RefCell<Vec<String>>> = Rc::default();
    let w = raw.clone();
    channel.listen_data(".RoomsUpdated", move |data| {
        w.borrow_mut().push(data.raw_text().unwrap_or_default().to_owned())
    });

    wait_until("subscription_succeeded on rooms", Duration::from_secs(10), || {
        *subscribed.borrow() == 1
    })
    .await;
    assert_eq!(echo.connection_state(), ConnectionState::Connected);
    assert_eq!(states.borrow().last(), Some(&ConnectionState::Connected));
    let socket_id = echo.socket_id().expect("a socket id once connected");
    assert!(
        socket_id.split('.').count() == 2 && socket_id.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())),
        "socket id {socket_id:?} is not of the form 123.456"
    );

    rename_room(2, &unique("Ocean View Suite")).await;
    wait_until("RoomsUpdated on rooms", Duration::from_secs(10), || !received.borrow().is_empty()).await;
    let payload = received.borrow()[0].clone();
    assert!(
        payload["room_ids"].as_array().is_some_and(|ids| ids.contains(&Value::from(2))),
        "payload {payload}"
    );
    assert!(payload["updated_at"].is_string(), "payload {payload}");
    assert!(
        typed.borrow().first().is_some_and(|e| e.room_ids.contains(&2)),
        "typed listener got nothing"
    );
    let text = raw.borrow().first().cloned().unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<Value>(&text).ok().as_ref(),
        Some(&payload),
        "raw data {text:?}"
    );
    echo.disconnect();
}

/// `RoomsUpdated` as a typed listener reads it: only the ids.
#[derive(serde::Deserialize)]
struct RoomsUpdated {
    room_ids: Vec<u64>,
}

impl echo_rs::BroadcastEvent for RoomsUpdated {
    const NAME: &'static str = ".RoomsUpdated";
}

#[wasm_bindgen_test]
async fn listeners_survive_disconnect_and_connect_and_stop_listening_removes_one() {
    let echo = Echo::new(options()).expect("valid options");
    let channel = echo.channel("rooms");
    let subscribed = Rc::new(RefCell::new(0));
    let n = subscribed.clone();
    channel.subscribed(move |_| *n.borrow_mut() += 1);
    let kept: Rc<RefCell<Vec<Value>>> = Rc::default();
    let removed: Rc<RefCell<Vec<Value>>> = Rc::default();
    let k = kept.clone();
    // Only this test renames room 3; other tests may rename other rooms meanwhile.
    channel.listen(".RoomsUpdated", move |data| {
        if data["room_ids"].as_array().is_some_and(|ids| ids.contains(&Value::from(3))) {
            k.borrow_mut().push(data.clone());
        }
    });
    let r = removed.clone();
    let handle = channel.listen(".RoomsUpdated", move |data| r.borrow_mut().push(data.clone()));
    wait_until("first subscription", Duration::from_secs(10), || *subscribed.borrow() == 1).await;

    echo.disconnect();
    assert_eq!(echo.connection_state(), ConnectionState::Disconnected);
    assert_eq!(echo.socket_id(), None);
    channel.stop_listening(handle);
    echo.connect();
    wait_until("resubscription after connect()", Duration::from_secs(10), || {
        *subscribed.borrow() == 2
    })
    .await;

    rename_room(3, &unique("Family Bungalow")).await;
    wait_until("RoomsUpdated after reconnecting", Duration::from_secs(10), || {
        !kept.borrow().is_empty()
    })
    .await;
    assert_eq!(kept.borrow().len(), 1, "one event, delivered once");
    assert!(removed.borrow().is_empty(), "a removed listener must not be called");
    echo.disconnect();
}

async fn fault(action: &str) {
    let response = gloo_net::http::Request::post(&format!("{FAULTS}/sockudo/{action}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("the fault-control fixture at {FAULTS} is not reachable (scripts/test.sh starts it): {e}"));
    assert!(response.ok(), "fault control {action} answered HTTP {}", response.status());
}

#[wasm_bindgen_test]
async fn recovers_after_sockudo_is_killed_and_restarted() {
    let echo = Echo::new(options()).expect("valid options");
    let states = Rc::new(RefCell::new(Vec::new()));
    let s = states.clone();
    echo.on_connection_change(move |state| s.borrow_mut().push(state));
    let channel = echo.channel("rooms");
    let subscribed = Rc::new(RefCell::new(0));
    let n = subscribed.clone();
    channel.subscribed(move |_| *n.borrow_mut() += 1);
    let received: Rc<RefCell<Vec<Value>>> = Rc::default();
    let r = received.clone();
    channel.listen(".RoomsUpdated", move |data| {
        if data["room_ids"].as_array().is_some_and(|ids| ids.contains(&Value::from(1))) {
            r.borrow_mut().push(data.clone());
        }
    });
    wait_until("first subscription", Duration::from_secs(10), || *subscribed.borrow() == 1).await;
    let first_socket = echo.socket_id();

    fault("kill").await;
    wait_until("the client to notice the server is gone", Duration::from_secs(10), || {
        echo.connection_state() != ConnectionState::Connected
    })
    .await;
    fault("start").await;
    wait_until("resubscription after the restart", Duration::from_secs(30), || {
        *subscribed.borrow() == 2
    })
    .await;
    assert_eq!(echo.connection_state(), ConnectionState::Connected);
    assert_ne!(echo.socket_id(), first_socket, "a new connection has a new socket id");
    assert!(
        !states.borrow().contains(&ConnectionState::Failed),
        "a crash is transient, never `failed`: {:?}",
        states.borrow()
    );

    rename_room(1, &unique("Garden Villa")).await;
    wait_until("an event after recovering", Duration::from_secs(10), || {
        !received.borrow().is_empty()
    })
    .await;
    assert_eq!(received.borrow().len(), 1, "delivered once");
    echo.disconnect();
}
