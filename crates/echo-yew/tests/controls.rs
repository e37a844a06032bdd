//! echo-react's hooks in Yew (`use_echo`, `use_channel`, `use_echo_model`,
//! `use_echo_notification`) and their controls, rendered in headless
//! Chromium on the test double.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::time::Duration;

use echo_rs::testing::FakeEcho;
use echo_yew::*;
use serde_json::json;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    static HEARD: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Each component's last returned state and controls, by name.
    static HOOKS: RefCell<Vec<(String, UseChannelReturn)>> = const { RefCell::new(Vec::new()) };
}

fn hear(what: String) {
    HEARD.with(|h| h.borrow_mut().push(what));
}

fn heard() -> Vec<String> {
    HEARD.with(|h| h.borrow().clone())
}

fn keep(name: &str, hook: &UseChannelReturn) {
    HOOKS.with(|h| {
        let mut h = h.borrow_mut();
        h.retain(|(n, _)| n != name);
        h.push((name.to_owned(), hook.clone()));
    });
}

fn hook(name: &str) -> UseChannelReturn {
    HOOKS
        .with(|h| h.borrow().iter().find(|(n, _)| n == name).map(|(_, r)| r.clone()))
        .expect("rendered")
}

#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
struct Booking {
    id: u64,
    status: String,
}

#[component]
fn Hooks() -> Html {
    let orders = use_echo("orders.1", ".OrderShipped", |data| {
        hear(format!("shipped {}", data["id"]));
        if data["then"] == "stop" {
            hook("orders").stop_listening();
        }
    });
    keep("orders", &orders);
    let chat = use_channel("chat.1");
    {
        let chat = chat.clone();
        use_effect_with((), move |_| {
            chat.listen_for_whisper("typing", |data| hear(format!("typing {}", data["name"])))
        });
    }
    keep("chat", &chat);
    let booking = use_echo_model(
        "App.Models.Booking",
        Some("42".to_owned()),
        vec![ModelEvent::Updated],
        |event, payload: ModelPayload<Booking>| hear(format!("{event} {}", payload.model.status)),
    );
    keep("booking", &booking);
    let notes = use_echo_notification("App.Models.User.1", vec!["App.Notifications.BookingConfirmed".into()], |data| {
        hear(format!("note {}", data["id"]))
    });
    keep("notes", &notes);
    html! {}
}

#[derive(Properties, PartialEq)]
struct AppProps {
    factory: EchoFactory,
}

#[component]
fn App(props: &AppProps) -> Html {
    html! { <EchoProvider factory={Some(props.factory.clone())}><Hooks/></EchoProvider> }
}

#[wasm_bindgen_test]
async fn echo_reacts_hooks_and_their_controls() {
    let fake = FakeEcho::new("app-key").expect("a fake client");
    let echo = fake.echo().clone();
    let factory = EchoFactory::new(move || Some(echo.clone()));
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root = document.create_element("div").expect("a div");
    document.body().expect("a body").append_child(&root).expect("appended");
    let app = yew::Renderer::<App>::with_root_and_props(root, AppProps { factory }).render();
    let settle = || async {
        for _ in 0..3 {
            yew::scheduler::flush().await;
            gloo_timers::future::sleep(Duration::from_millis(10)).await;
            fake.run_until_idle();
        }
    };
    settle().await;
    assert_eq!(
        fake.subscriptions(),
        [
            "private-App.Models.Booking.42",
            "private-App.Models.User.1",
            "private-chat.1",
            "private-orders.1"
        ]
    );
    assert!(hook("orders").subscribed, "the state re-renders");
    assert_eq!(hook("orders").subscription, Some(Subscription::First));

    // Stopped from its own handler, resumed, then left and joined again.
    assert!(fake.emit("private-orders.1", ".OrderShipped", json!({ "id": 1, "then": "stop" })));
    assert!(fake.emit("private-orders.1", ".OrderShipped", json!({ "id": 2 })));
    settle().await;
    assert!(!hook("orders").listening);
    hook("orders").listen();
    assert!(fake.emit("private-orders.1", ".OrderShipped", json!({ "id": 3 })));
    hook("orders").leave_channel();
    settle().await;
    assert!(!hook("orders").subscribed);
    assert!(
        !fake.subscriptions().contains(&"private-orders.1".to_owned()),
        "the only holder left"
    );
    hook("orders").join();
    settle().await;
    assert!(hook("orders").subscribed);
    assert!(fake.emit("private-orders.1", ".OrderShipped", json!({ "id": 4 })));

    // A channel handle: whispers both ways.
    assert!(fake.emit_whisper("private-chat.1", "typing", json!({ "name": "Ana" })));
    hook("chat").whisper("typing", &json!({ "name": "Ben" })).expect("subscribed");
    assert!(fake.sent_frames().iter().any(|f| f.contains("client-typing") && f.contains("Ben")));

    // Model events, typed; a bad payload is reported, not delivered.
    let model = |status: &str| json!({ "model": { "id": 42, "status": status }, "connection": null, "queue": null, "afterCommit": false });
    assert!(fake.emit("private-App.Models.Booking.42", ".BookingUpdated", model("confirmed")));
    assert!(fake.emit(
        "private-App.Models.Booking.42",
        ".BookingUpdated",
        json!({ "model": { "id": "x" } })
    ));
    settle().await;
    assert!(matches!(hook("booking").error, Some(echo_rs::EchoError::Decode { .. })));

    // Notifications: the filter takes the dotted form for a backslashed type.
    let note = |kind: &str, id: u32| json!({ "type": kind, "id": id });
    let event = echo_rs::NOTIFICATION_EVENT;
    assert!(fake.emit("private-App.Models.User.1", event, note("App\\Notifications\\BookingConfirmed", 1)));
    assert!(fake.emit("private-App.Models.User.1", event, note("App\\Notifications\\Other", 2)));
    hook("notes").stop_listening();
    assert!(fake.emit("private-App.Models.User.1", event, note("App\\Notifications\\BookingConfirmed", 3)));
    settle().await;

    assert_eq!(
        heard(),
        [
            "shipped 1",
            "shipped 3",
            "shipped 4",
            "typing \"Ana\"",
            "Updated confirmed",
            "note 1"
        ]
    );
    app.destroy();
    gloo_timers::future::sleep(Duration::from_millis(30)).await;
    fake.run_until_idle();
    assert!(fake.subscriptions().is_empty(), "unmounting leaves everything");
}

thread_local! {
    static ROOM: RefCell<Option<UsePresenceChannelReturn>> = const { RefCell::new(None) };
}

#[component]
fn Room() -> Html {
    let room = use_presence_channel("room.1");
    ROOM.with(|r| *r.borrow_mut() = Some(room.clone()));
    html! {}
}

#[component]
fn RoomApp(props: &AppProps) -> Html {
    html! { <EchoProvider factory={Some(props.factory.clone())}><Room/></EchoProvider> }
}

fn room() -> UsePresenceChannelReturn {
    ROOM.with(|r| r.borrow().clone()).expect("rendered")
}

fn ids(members: &[echo_rs::Member]) -> Vec<String> {
    let mut ids: Vec<String> = members.iter().map(|m| m.id.clone()).collect();
    ids.sort();
    ids
}

#[wasm_bindgen_test]
async fn presence_members_are_state_that_follows_here_joining_and_leaving() {
    let fake = FakeEcho::new("app-key").expect("a fake client");
    fake.set_user(json!(1), json!({ "name": "Me" }));
    fake.runtime()
        .set_members("presence-room.1", [json!({ "user_id": 2, "user_info": { "name": "Ann" } })]);
    let echo = fake.echo().clone();
    let factory = EchoFactory::new(move || Some(echo.clone()));
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root = document.create_element("div").expect("a div");
    document.body().expect("a body").append_child(&root).expect("appended");
    let app = yew::Renderer::<RoomApp>::with_root_and_props(root, AppProps { factory }).render();
    let settle = || async {
        for _ in 0..3 {
            yew::scheduler::flush().await;
            gloo_timers::future::sleep(Duration::from_millis(10)).await;
            fake.run_until_idle();
        }
    };
    settle().await;
    assert_eq!(ids(&room().roster.members), ["1", "2"], "here: everyone");
    assert_eq!(room().roster.count, 2);
    assert_eq!(room().roster.me.map(|m| m.id), Some("1".to_owned()));

    assert!(fake
        .runtime()
        .add_member("presence-room.1", &json!({ "user_id": 3, "user_info": { "name": "Bo" } })));
    assert!(fake.runtime().remove_member("presence-room.1", &json!(2)));
    settle().await;
    assert_eq!(ids(&room().roster.members), ["1", "3"]);
    assert_eq!(room().roster.joining.map(|m| m.id), Some("3".to_owned()));
    assert_eq!(room().roster.leaving.map(|m| m.id), Some("2".to_owned()));
    room().handle.whisper("typing", &json!({})).expect("joined");

    fake.runtime().set_auto_handshake(false);
    fake.drop_connection(Some(1006));
    settle().await;
    assert!(room().roster.members.is_empty(), "no members while the connection is lost");
    fake.runtime().set_auto_handshake(true);
    fake.advance(Duration::from_secs(30));
    settle().await;
    assert_eq!(ids(&room().roster.members), ["1", "3"], "here again on resubscription");
    assert_eq!(room().handle.subscription, Some(Subscription::Resubscription));
    app.destroy();
}
