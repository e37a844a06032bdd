//! echo-yew in headless Chromium against a real Sockudo: an event the demo
//! API broadcasts refetches exactly the queries under the row's key prefix,
//! and the page shows the new data. `scripts/test.sh` starts the services.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::time::Duration;

use echo_rs::EchoOptions;
use echo_yew::*;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const fn env_or(value: Option<&'static str>, default: &'static str) -> &'static str {
    match value {
        Some(v) => v,
        None => default,
    }
}
const KEY: &str = env_or(option_env!("REVERB_APP_KEY"), "local-key");
const WS_HOST: &str = env_or(option_env!("REVERB_HOST"), "127.0.0.1");
const WS_PORT: &str = env_or(option_env!("REVERB_PORT"), "6001");
const API: &str = env_or(option_env!("ECHO_TEST_API_URL"), "http://127.0.0.1:8000");

thread_local! {
    static ROOM_FETCHES: Cell<u32> = const { Cell::new(0) };
    static VENUE_FETCHES: Cell<u32> = const { Cell::new(0) };
    static SUBSCRIBED: Cell<bool> = const { Cell::new(false) };
}

async fn count(counter: &'static std::thread::LocalKey<Cell<u32>>) -> Result<u32, String> {
    Ok(counter.with(|n| {
        n.set(n.get() + 1);
        n.get()
    }))
}

async fn wait_until(what: &str, timeout: Duration, condition: impl Fn() -> bool) {
    let start = js_sys_now();
    while !condition() {
        assert!(
            js_sys_now() - start < timeout.as_millis() as f64,
            "timed out after {timeout:?} waiting for {what}"
        );
        gloo_timers::future::sleep(Duration::from_millis(20)).await;
    }
}

fn js_sys_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

#[component]
fn Page() -> Html {
    use_realtime_global_subscriber(vec![GlobalSubscription::new("rooms", ".RoomsUpdated", &["rooms"])]);
    // Mounted alongside, to know when the rooms channel is subscribed.
    let rooms_channel = use_public_channel("rooms");
    SUBSCRIBED.with(|s| s.set(rooms_channel.subscribed));
    let rooms = use_query(vec!["rooms".into(), "probe".into()], || count(&ROOM_FETCHES));
    let venues = use_query(vec!["venues".into()], || count(&VENUE_FETCHES));
    html! {
        <>
            <p id="yew-rooms-fetches">{ rooms.data.map(|n| n.to_string()).unwrap_or_default() }</p>
            <p id="yew-venues-fetches">{ venues.data.map(|n| n.to_string()).unwrap_or_default() }</p>
        </>
    }
}

#[component]
fn App() -> Html {
    let options = EchoOptions::reverb(KEY, WS_HOST, WS_PORT.parse().expect("REVERB_PORT"), "http");
    html! {
        <QueryClientProvider>
            <EchoProvider options={Some(options)}><Page/></EchoProvider>
        </QueryClientProvider>
    }
}

#[wasm_bindgen_test]
async fn an_event_from_the_backend_refetches_the_queries_under_its_prefix() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root = document.create_element("div").expect("a div");
    document.body().expect("a body").append_child(&root).expect("appended");
    let _app = yew::Renderer::<App>::with_root(root).render();
    wait_until("the rooms channel to be subscribed", Duration::from_secs(10), || {
        SUBSCRIBED.with(Cell::get)
    })
    .await;
    wait_until("the first fetches", Duration::from_secs(5), || {
        ROOM_FETCHES.with(Cell::get) == 1 && VENUE_FETCHES.with(Cell::get) == 1
    })
    .await;

    let login = gloo_net::http::Request::post(&format!("{API}/api/login"))
        .header("Content-Type", "application/json")
        .body(r#"{"email":"admin@casamarcelino.test","password":"admin-password"}"#)
        .expect("body")
        .send()
        .await
        .unwrap_or_else(|e| panic!("the demo API at {API} is not reachable: {e}"));
    assert!(login.ok(), "admin login answered HTTP {}", login.status());
    let token: String = login
        .text()
        .await
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["token"].as_str().map(str::to_owned))
        .expect("a token");
    let response = gloo_net::http::Request::patch(&format!("{API}/api/admin/rooms/4"))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .body(r#"{"capacity": 2}"#)
        .expect("body")
        .send()
        .await
        .unwrap_or_else(|e| panic!("the demo API at {API} is not reachable: {e}"));
    assert!(response.ok(), "PATCH answered HTTP {}", response.status());

    wait_until("RoomsUpdated to refetch the rooms query", Duration::from_secs(10), || {
        ROOM_FETCHES.with(Cell::get) == 2
    })
    .await;
    gloo_timers::future::sleep(Duration::from_millis(300)).await;
    assert_eq!(VENUE_FETCHES.with(Cell::get), 1, "a query outside the prefix is not refetched");
    let shown = document.get_element_by_id("yew-rooms-fetches").and_then(|e| e.text_content());
    assert_eq!(shown.as_deref(), Some("2"), "the refetched value is rendered");
}
