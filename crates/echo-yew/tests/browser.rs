//! echo-yew hooks rendered by Yew in headless Chromium (wasm-bindgen-test),
//! on the test double `echo_rs::testing::FakeEcho`: what a user of the hooks
//! would notice (frames on the wire, handlers called, status shown).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::time::Duration;

use echo_rs::testing::FakeEcho;
use echo_rs::ConnectionStatus;
use echo_yew::*;
use serde_json::json;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    /// What the handlers heard: `{part}:{tag}` per event.
    static HEARD: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// The last status each `Status` component rendered.
    static STATUS: RefCell<Option<ConnectionStatus>> = const { RefCell::new(None) };
}

fn heard() -> Vec<String> {
    HEARD.with(|h| h.borrow().clone())
}

#[derive(Properties, PartialEq)]
struct CounterProps {
    part: AttrValue,
    channel: AttrValue,
    /// Changes the handler's captured state on each render.
    tag: u32,
}

/// A component listening for `.Updated` on its channel.
#[component]
fn Counter(props: &CounterProps) -> Html {
    let label = format!("{}:{}", props.part, props.tag);
    use_realtime_event(&props.channel, ".Updated", move |_| {
        HEARD.with(|h| h.borrow_mut().push(label.clone()))
    });
    html! {}
}

#[component]
fn Status() -> Html {
    let status = use_connection_status();
    STATUS.with(|s| *s.borrow_mut() = Some(status));
    html! {}
}

#[derive(Properties, PartialEq)]
struct AppProps {
    factory: Option<EchoFactory>,
    /// `(key, channel)` of each mounted counter.
    parts: Vec<(String, String)>,
    tag: u32,
}

#[component]
fn App(props: &AppProps) -> Html {
    html! {
        <EchoProvider factory={props.factory.clone()}>
            <Status/>
            { for props.parts.iter().map(|(key, channel)| html! {
                <Counter key={key.clone()} part={key.clone()} channel={channel.clone()} tag={props.tag}/>
            }) }
        </EchoProvider>
    }
}

struct Harness {
    fake: FakeEcho,
    app: yew::AppHandle<App>,
    factory: EchoFactory,
}

impl Harness {
    async fn mount(parts: &[(&str, &str)]) -> Self {
        HEARD.with(|h| h.borrow_mut().clear());
        let fake = FakeEcho::new("app-key").expect("a fake client");
        let echo = fake.echo().clone();
        let factory = EchoFactory::new(move || Some(echo.clone()));
        let root = gloo_utils_root();
        let app = yew::Renderer::<App>::with_root_and_props(root, props(Some(factory.clone()), parts, 0)).render();
        let harness = Self { fake, app, factory };
        harness.settle().await;
        harness
    }

    async fn render(&mut self, parts: &[(&str, &str)], tag: u32) {
        self.app.update(props(Some(self.factory.clone()), parts, tag));
        self.settle().await;
    }

    /// Lets Yew render and run effects, the deferred leaves run, and the
    /// fake client answer, a few times over.
    async fn settle(&self) {
        for _ in 0..3 {
            yew::scheduler::flush().await;
            gloo_timers::future::sleep(Duration::from_millis(10)).await;
            self.fake.run_until_idle();
        }
    }
}

fn props(factory: Option<EchoFactory>, parts: &[(&str, &str)], tag: u32) -> AppProps {
    AppProps {
        factory,
        parts: parts.iter().map(|(k, c)| (k.to_string(), c.to_string())).collect(),
        tag,
    }
}

fn gloo_utils_root() -> web_sys::Element {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root = document.create_element("div").expect("a div");
    document.body().expect("a body").append_child(&root).expect("appended");
    root
}

#[wasm_bindgen_test]
async fn two_components_share_one_subscription_and_the_last_one_leaves() {
    let mut h = Harness::mount(&[("a", "rooms"), ("b", "rooms")]).await;
    assert_eq!(h.fake.subscribe_count("rooms"), 1, "one pusher:subscribe for two components");
    assert!(h.fake.emit("rooms", ".Updated", json!({})));
    assert_eq!(heard(), ["a:0", "b:0"]);

    h.render(&[("b", "rooms")], 0).await;
    assert_eq!(h.fake.unsubscribe_count("rooms"), 0, "b still holds it");
    h.render(&[], 0).await;
    assert_eq!(h.fake.unsubscribe_count("rooms"), 1, "the last one leaves");
    assert_eq!(h.fake.listener_count("rooms"), 0, "no listener left behind");
}

#[wasm_bindgen_test]
async fn a_new_closure_on_every_render_never_resubscribes_and_sees_the_new_state() {
    let mut h = Harness::mount(&[("a", "rooms")]).await;
    h.render(&[("a", "rooms")], 1).await;
    h.render(&[("a", "rooms")], 2).await;
    assert!(h.fake.emit("rooms", ".Updated", json!({})));
    assert_eq!(heard(), ["a:2"], "the latest closure");
    assert_eq!(h.fake.subscribe_count("rooms"), 1);
    assert_eq!(h.fake.unsubscribe_count("rooms"), 0);
    assert_eq!(h.fake.listener_count("rooms"), 1);
}

#[wasm_bindgen_test]
async fn an_unmount_and_remount_in_one_render_keeps_the_subscription() {
    let mut h = Harness::mount(&[("a", "rooms")]).await;
    // A new key: Yew unmounts `a` and mounts `a2` in the same render.
    h.render(&[("a2", "rooms")], 0).await;
    assert_eq!(h.fake.unsubscribe_count("rooms"), 0);
    assert_eq!(h.fake.subscribe_count("rooms"), 1);
    assert!(h.fake.emit("rooms", ".Updated", json!({})));
    assert_eq!(heard(), ["a2:0"]);
}

#[wasm_bindgen_test]
async fn changing_the_channel_moves_the_subscription() {
    let mut h = Harness::mount(&[("a", "rooms")]).await;
    h.render(&[("a", "venues")], 0).await;
    assert_eq!(h.fake.unsubscribe_count("rooms"), 1);
    assert_eq!(h.fake.subscriptions(), ["venues"]);
    assert!(h.fake.emit("venues", ".Updated", json!({})));
    assert_eq!(heard(), ["a:0"]);
}

#[wasm_bindgen_test]
async fn the_connection_status_says_reconnecting_after_a_loss() {
    let h = Harness::mount(&[]).await;
    assert_eq!(STATUS.with(|s| *s.borrow()), Some(ConnectionStatus::Connected));
    h.fake.runtime().set_auto_handshake(false);
    h.fake.drop_connection(Some(1006));
    h.settle().await;
    assert_eq!(STATUS.with(|s| *s.borrow()), Some(ConnectionStatus::Reconnecting));
    h.fake.runtime().set_auto_handshake(true);
    h.fake.advance(Duration::from_secs(30));
    h.settle().await;
    assert_eq!(STATUS.with(|s| *s.borrow()), Some(ConnectionStatus::Connected));
}

#[wasm_bindgen_test]
async fn unmounting_the_provider_leaves_and_disconnects() {
    let h = Harness::mount(&[("a", "rooms")]).await;
    let fake = h.fake.clone();
    h.app.destroy();
    gloo_timers::future::sleep(Duration::from_millis(30)).await;
    fake.run_until_idle();
    assert!(fake.subscriptions().is_empty());
    assert_eq!(fake.echo().connection_state(), echo_rs::ConnectionState::Disconnected);
}

#[wasm_bindgen_test]
async fn without_options_realtime_is_off_and_nothing_connects() {
    let root = gloo_utils_root();
    let app = yew::Renderer::<App>::with_root_and_props(root, props(None, &[("a", "rooms")], 0)).render();
    yew::scheduler::flush().await;
    gloo_timers::future::sleep(Duration::from_millis(20)).await;
    assert_eq!(STATUS.with(|s| *s.borrow()), Some(ConnectionStatus::Disconnected));
    app.destroy();
}

thread_local! {
    /// The typed hook's last decode error, as rendered.
    static TYPED_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
}

#[derive(serde::Deserialize)]
struct RoomsUpdated {
    room_ids: Vec<u64>,
}

impl echo_rs::BroadcastEvent for RoomsUpdated {
    const NAME: &'static str = ".RoomsUpdated";
}

#[component]
fn Dashboard() -> Html {
    use_realtime_channel_with_options(
        "admin.dashboard",
        vec![".ContactFormSubmitted".into(), ".AdminDashboardNotification".into()],
        |event, data| HEARD.with(|h| h.borrow_mut().push(format!("{event} {}", data["id"]))),
        UseRealtimeEventOptions {
            private: true,
            ..Default::default()
        },
    );
    let error = use_realtime_event_typed(
        "rooms",
        |e: RoomsUpdated| HEARD.with(|h| h.borrow_mut().push(format!("rooms {:?}", e.room_ids))),
        UseRealtimeEventOptions::default(),
    );
    TYPED_ERROR.with(|t| *t.borrow_mut() = error.map(|e| e.to_string()));
    html! {}
}

#[derive(Properties, PartialEq)]
struct DashboardAppProps {
    factory: EchoFactory,
}

#[component]
fn DashboardApp(props: &DashboardAppProps) -> Html {
    html! { <EchoProvider factory={Some(props.factory.clone())}><Dashboard/></EchoProvider> }
}

#[wasm_bindgen_test]
async fn several_private_events_with_one_handler_and_typed_events_with_their_decode_errors() {
    HEARD.with(|h| h.borrow_mut().clear());
    let fake = FakeEcho::new("app-key").expect("a fake client");
    let echo = fake.echo().clone();
    let factory = EchoFactory::new(move || Some(echo.clone()));
    let app = yew::Renderer::<DashboardApp>::with_root_and_props(gloo_utils_root(), DashboardAppProps { factory }).render();
    let settle = || async {
        for _ in 0..3 {
            yew::scheduler::flush().await;
            gloo_timers::future::sleep(Duration::from_millis(10)).await;
            fake.run_until_idle();
        }
    };
    settle().await;
    assert_eq!(fake.subscriptions(), ["private-admin.dashboard", "rooms"]);
    assert!(fake.emit("private-admin.dashboard", ".ContactFormSubmitted", json!({ "id": 7 })));
    assert!(fake.emit("private-admin.dashboard", ".AdminDashboardNotification", json!({ "id": 8 })));
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({ "room_ids": [1, 2] })));
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({ "room_ids": "all" })));
    settle().await;
    assert_eq!(
        heard(),
        [".ContactFormSubmitted 7", ".AdminDashboardNotification 8", "rooms [1, 2]"]
    );
    let error = TYPED_ERROR.with(|t| t.borrow().clone()).expect("the decode error is shown");
    assert!(error.contains("RoomsUpdated"), "{error}");

    assert!(fake.emit("rooms", ".RoomsUpdated", json!({ "room_ids": [3] })));
    settle().await;
    assert_eq!(TYPED_ERROR.with(|t| t.borrow().clone()), None, "cleared by the next good event");
    app.destroy();
}
