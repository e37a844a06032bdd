//! Native tests: echo-rs on the tokio runtime against a real Sockudo, with
//! events triggered and channels authorized by the demo API. `scripts/test.sh`
//! starts both and runs these with
//! `cargo test -p laravel-echo-rs --features tokio --test native_sockudo`.
//!
//! Read at run time: `REVERB_APP_KEY` (default `local-key`), `REVERB_HOST`
//! (`127.0.0.1`), `REVERB_PORT` (`6001`) and `ECHO_TEST_API_URL`
//! (`http://127.0.0.1:8000`). A service that is not reachable fails the test,
//! naming it.
#![cfg(all(feature = "tokio", not(target_arch = "wasm32")))]

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use echo_rs::{ConnectionState, Echo, EchoError, EchoOptions, Value};

const TIMEOUT: Duration = Duration::from_secs(10);

mod native_support;
use native_support::{env, poll_until, require_sockudo, run_local, unique};

fn ws_host() -> String {
    env("REVERB_HOST", "127.0.0.1")
}

fn ws_port() -> u16 {
    env("REVERB_PORT", "6001").parse().expect("REVERB_PORT is a port number")
}

fn api() -> String {
    env("ECHO_TEST_API_URL", "http://127.0.0.1:8000").trim_end_matches('/').to_owned()
}

fn options() -> EchoOptions {
    EchoOptions {
        auth_endpoint: format!("{}/broadcasting/auth", api()),
        ..EchoOptions::reverb(env("REVERB_APP_KEY", "local-key"), ws_host(), ws_port(), "http")
    }
}

/// Runs `test` inside a `LocalSet`, after checking that Sockudo and the demo
/// API answer.
fn local_test(test: impl Future<Output = ()>) {
    run_local(async {
        require_services().await;
        test.await;
    });
}

async fn require_services() {
    require_sockudo().await;
    let up = format!("{}/up", api());
    match reqwest::Client::new().get(&up).send().await {
        Ok(response) if response.status().is_success() => {}
        Ok(response) => panic!("the demo API at {up} answered HTTP {}", response.status()),
        Err(e) => panic!("the demo API is not reachable at {up} ({e}): start it (scripts/services.sh start_api) or set ECHO_TEST_API_URL"),
    }
}

/// Polls `condition` until it holds; panics naming `what` after [`TIMEOUT`].
async fn wait_until(what: &str, condition: impl Fn() -> bool) {
    poll_until(what, TIMEOUT, condition).await;
}

/// Signs in through the demo API's `/api/login` and returns the bearer token.
async fn login(email: &str, password: &str) -> String {
    let url = format!("{}/api/login", api());
    let response = reqwest::Client::new()
        .post(&url)
        .header("Content-Type", "application/json")
        .body(serde_json::json!({ "email": email, "password": password }).to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("the demo API is not reachable at {url}: {e}"));
    assert!(
        response.status().is_success(),
        "login as {email} answered HTTP {}",
        response.status()
    );
    let body: Value = serde_json::from_str(&response.text().await.expect("a body")).expect("login answers JSON");
    body["token"].as_str().expect("login answers a token").to_owned()
}

/// Renames a room through the demo API's admin endpoint (as the seeded
/// admin); the API answers at once and broadcasts `RoomsUpdated` on `rooms`
/// from its queue worker.
async fn rename_room(id: u32, name: &str) {
    let url = format!("{}/api/admin/rooms/{id}", api());
    let token = login("admin@casamarcelino.test", "admin-password").await;
    let response = reqwest::Client::new()
        .patch(&url)
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .body(serde_json::json!({ "name": name }).to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("the demo API is not reachable at {url}: {e}"));
    assert!(response.status().is_success(), "PATCH {url} answered HTTP {}", response.status());
}

fn mentions_room(data: &Value, id: u32) -> bool {
    data["room_ids"].as_array().is_some_and(|ids| ids.contains(&Value::from(id)))
}

fn counter() -> (Rc<RefCell<usize>>, impl Fn(echo_rs::Subscription) + 'static) {
    let count = Rc::new(RefCell::new(0));
    let c = count.clone();
    (count, move |_| *c.borrow_mut() += 1)
}

#[test]
fn connects_subscribes_and_receives_an_event_through_the_http_api() {
    local_test(async {
        let echo = Echo::new_tokio(options()).expect("valid options");
        let states = Rc::new(RefCell::new(Vec::new()));
        let s = states.clone();
        echo.on_connection_change(move |state| s.borrow_mut().push(state));
        let channel = echo.channel("rooms");
        let (subscribed, on_subscribed) = counter();
        channel.subscribed(on_subscribed);
        let received: Rc<RefCell<Vec<Value>>> = Rc::default();
        let r = received.clone();
        // Only this test renames room 1 among the native tests.
        channel.listen(".RoomsUpdated", move |data| {
            if mentions_room(data, 1) {
                r.borrow_mut().push(data.clone());
            }
        });

        wait_until("subscription_succeeded on rooms", || *subscribed.borrow() == 1).await;
        assert_eq!(echo.connection_state(), ConnectionState::Connected);
        assert_eq!(states.borrow().last(), Some(&ConnectionState::Connected));
        let socket_id = echo.socket_id().expect("a socket id once connected");
        assert!(
            socket_id.split('.').count() == 2 && socket_id.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())),
            "socket id {socket_id:?} is not of the form 123.456"
        );

        rename_room(1, &unique("Garden Villa ")).await;
        wait_until("RoomsUpdated for room 1 on rooms", || !received.borrow().is_empty()).await;
        assert!(received.borrow()[0]["updated_at"].is_string(), "payload {}", received.borrow()[0]);
        echo.disconnect();
    });
}

#[test]
fn a_private_channel_is_authorized_by_the_demo_api_with_the_bearer_token() {
    local_test(async {
        // The token getter is thread-local: it applies to this test's thread only.
        let token = login("admin@casamarcelino.test", "admin-password").await;
        echo_rs::set_echo_token_getter(move || Some(token.clone()));
        let echo = Echo::new_tokio(options()).expect("valid options");
        let errors: Rc<RefCell<Vec<EchoError>>> = Rc::default();
        let e = errors.clone();
        echo.on_error(move |error| e.borrow_mut().push(error.clone()));
        // The demo API signs private-admin.dashboard for admin and staff only.
        let channel = echo.private("admin.dashboard");
        let (subscribed, on_subscribed) = counter();
        channel.subscribed(on_subscribed);

        wait_until(&format!("subscription_succeeded on {}", channel.name()), || {
            *subscribed.borrow() == 1 || !errors.borrow().is_empty()
        })
        .await;
        assert!(errors.borrow().is_empty(), "errors: {:?}", errors.borrow());
        assert!(channel.is_subscribed());
        echo.disconnect();
        echo_rs::reset_echo_token_getter();
    });
}

#[test]
fn a_refused_authorization_fails_only_its_channel() {
    local_test(async {
        echo_rs::reset_echo_token_getter();
        let echo = Echo::new_tokio(options()).expect("valid options");
        let private = echo.private(&unique("native-refused-"));
        let errors: Rc<RefCell<Vec<EchoError>>> = Rc::default();
        let e = errors.clone();
        private.error(move |error| e.borrow_mut().push(error.clone()));
        let public = echo.channel("rooms");
        let (subscribed, on_subscribed) = counter();
        public.subscribed(on_subscribed);

        wait_until("the private channel's auth error", || !errors.borrow().is_empty()).await;
        match &errors.borrow()[0] {
            EchoError::Auth { channel, cause, reason } => {
                assert_eq!(channel, private.name());
                assert!(cause.is_forbidden(), "403 is a forbidden cause: {cause:?}");
                assert!(reason.contains("HTTP 403"), "reason {reason:?} should name HTTP 403");
            }
            other => panic!("expected an auth error, got {other:?}"),
        }
        wait_until("subscription_succeeded on rooms", || *subscribed.borrow() == 1).await;
        assert!(public.is_subscribed());
        assert!(!private.is_subscribed());
        assert_eq!(echo.connection_state(), ConnectionState::Connected);
        echo.disconnect();
    });
}

#[test]
fn a_whisper_reaches_the_other_client_on_a_presence_channel() {
    local_test(async {
        // Client events need a private or presence channel; the demo API signs
        // presence channels for any signed-in user.
        let token = login("staff@casamarcelino.test", "staff-password").await;
        echo_rs::set_echo_token_getter(move || Some(token.clone()));
        let name = unique("native-whisper-");
        let sender = Echo::new_tokio(options()).expect("valid options");
        let receiver = Echo::new_tokio(options()).expect("valid options");
        let from = sender.join(&name);
        let to = receiver.join(&name);
        let (sender_ready, on_sender) = counter();
        let (receiver_ready, on_receiver) = counter();
        from.subscribed(on_sender);
        to.subscribed(on_receiver);
        let heard: Rc<RefCell<Vec<Value>>> = Rc::default();
        let h = heard.clone();
        to.listen_for_whisper("typing", move |data| h.borrow_mut().push(data.clone()));
        let echoed: Rc<RefCell<Vec<Value>>> = Rc::default();
        let h = echoed.clone();
        from.listen_for_whisper("typing", move |data| h.borrow_mut().push(data.clone()));

        wait_until("both clients subscribed", || {
            *sender_ready.borrow() == 1 && *receiver_ready.borrow() == 1
        })
        .await;
        let data = serde_json::json!({ "user": 8, "typing": true });
        from.whisper("typing", &data).expect("whisper on a subscribed presence channel");
        wait_until("the whisper at the other client", || !heard.borrow().is_empty()).await;
        assert_eq!(heard.borrow()[0], data);
        assert!(echoed.borrow().is_empty(), "the server does not echo a client event to its sender");
        sender.disconnect();
        receiver.disconnect();
        echo_rs::reset_echo_token_getter();
    });
}

#[test]
fn listeners_survive_disconnect_and_connect_and_stop_listening_removes_one() {
    local_test(async {
        let echo = Echo::new_tokio(options()).expect("valid options");
        let channel = echo.channel("rooms");
        let (subscribed, on_subscribed) = counter();
        channel.subscribed(on_subscribed);
        let kept: Rc<RefCell<Vec<Value>>> = Rc::default();
        let removed: Rc<RefCell<Vec<Value>>> = Rc::default();
        let k = kept.clone();
        // Only this test renames room 4 among the native tests.
        channel.listen(".RoomsUpdated", move |data| {
            if mentions_room(data, 4) {
                k.borrow_mut().push(data.clone());
            }
        });
        let r = removed.clone();
        let handle = channel.listen(".RoomsUpdated", move |data| {
            if mentions_room(data, 4) {
                r.borrow_mut().push(data.clone());
            }
        });
        wait_until("first subscription", || *subscribed.borrow() == 1).await;

        echo.disconnect();
        assert_eq!(echo.connection_state(), ConnectionState::Disconnected);
        assert_eq!(echo.socket_id(), None);
        channel.stop_listening(handle);
        echo.connect();
        wait_until("resubscription after connect()", || *subscribed.borrow() == 2).await;

        rename_room(4, &unique("Treetop Cabin ")).await;
        wait_until("RoomsUpdated for room 4 after reconnecting", || !kept.borrow().is_empty()).await;
        // Give a duplicate delivery a chance to show up.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(kept.borrow().len(), 1, "one event, delivered once");
        assert!(removed.borrow().is_empty(), "a removed listener must not be called");
        echo.disconnect();
    });
}

/// pusher-js's `customHandler` / Echo's `authorizer`: the app signs channels
/// its own way (here: its own HTTP call to the demo API with a header of its
/// choosing) and echo-rs uses the answer.
#[test]
fn a_custom_authorizer_signs_a_private_channel() {
    local_test(async {
        echo_rs::reset_echo_token_getter();
        let token = login("staff@casamarcelino.test", "staff-password").await;
        let calls = Rc::new(RefCell::new(Vec::new()));
        let seen = calls.clone();
        let authorizer: echo_rs::Authorizer = Rc::new(move |request: echo_rs::AuthRequest| {
            seen.borrow_mut().push(request.channel.clone());
            let token = token.clone();
            Box::pin(async move {
                let response = reqwest::Client::new()
                    .post(format!("{}/broadcasting/auth", api()))
                    .header("Authorization", format!("Bearer {token}"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(request.form_body())
                    .send()
                    .await
                    .map_err(|e| EchoError::Auth {
                        channel: request.channel.clone(),
                        cause: echo_rs::AuthFailure::Transport,
                        reason: e.to_string(),
                    })?;
                let status = response.status().as_u16();
                let body = response.text().await.unwrap_or_default();
                echo_rs::proto::parse_auth_response(&request.channel, "custom authorizer", status, &body)
            })
        });
        let echo = Echo::with_runtime(options(), Rc::new(echo_rs::runtime::TokioRuntime::new()), Some(authorizer)).expect("valid options");
        let channel = echo.private("admin.dashboard");
        let (subscribed, on_subscribed) = counter();
        channel.subscribed(on_subscribed);
        wait_until("the dashboard signed by the custom authorizer", || *subscribed.borrow() == 1).await;
        assert_eq!(*calls.borrow(), ["private-admin.dashboard"]);
        echo.disconnect();
    });
}

#[test]
fn two_clients_on_one_thread_are_authorized_as_two_users() {
    local_test(async {
        // Each client reads its own token; no thread-wide getter is involved.
        echo_rs::reset_echo_token_getter();
        let staff_token = login("staff@casamarcelino.test", "staff-password").await;
        let guest_token = login("guest@casamarcelino.test", "guest-password").await;
        let client = |token: String| {
            let authorization = echo_rs::ChannelAuthorization::new().bearer_token(move || Some(token.clone()));
            Echo::with_authorization(options(), Rc::new(echo_rs::runtime::TokioRuntime::new()), authorization).expect("valid options")
        };
        let staff = client(staff_token);
        let guest = client(guest_token);
        // The demo API signs private-admin.dashboard for admin and staff only.
        let staff_channel = staff.private("admin.dashboard");
        let (subscribed, on_subscribed) = counter();
        staff_channel.subscribed(on_subscribed);
        let errors: Rc<RefCell<Vec<EchoError>>> = Rc::default();
        let e = errors.clone();
        guest
            .private("admin.dashboard")
            .error(move |error| e.borrow_mut().push(error.clone()));

        wait_until("staff subscribed and guest refused", || {
            *subscribed.borrow() == 1 && !errors.borrow().is_empty()
        })
        .await;
        assert!(staff_channel.is_subscribed());
        let errors = errors.borrow();
        assert!(errors[0].is_forbidden(), "the guest is signed in but not allowed: {:?}", errors[0]);
        assert!(!errors[0].needs_sign_in(), "{:?}", errors[0]);
        staff.disconnect();
        guest.disconnect();
    });
}
