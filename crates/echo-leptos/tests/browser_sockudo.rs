//! echo-leptos in headless Chromium against a real Sockudo: an event the demo
//! API broadcasts refetches exactly the active queries under the row's
//! query-key prefix. `scripts/test.sh` starts the services.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::time::Duration;

use echo_leptos::*;
use echo_rs::EchoOptions;
use leptos::prelude::*;
use leptos_fetch::{QueryClient, QueryScopeLocal};
use wasm_bindgen_test::*;

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
    static CONTEXT: Cell<Option<EchoContext>> = const { Cell::new(None) };
}

async fn fetch_rooms_probe() -> u32 {
    ROOM_FETCHES.with(|n| {
        n.set(n.get() + 1);
        n.get()
    })
}

async fn fetch_venues_probe() -> u32 {
    VENUE_FETCHES.with(|n| {
        n.set(n.get() + 1);
        n.get()
    })
}

async fn wait_until(what: &str, timeout: Duration, condition: impl Fn() -> bool) {
    let start = web_time::Instant::now();
    while !condition() {
        assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
        gloo_timers::future::sleep(Duration::from_millis(20)).await;
    }
}

#[component]
fn Probe() -> impl IntoView {
    let client = QueryClient::new().provide();
    let queries = provide_realtime_queries(client);
    queries.register(QueryScopeLocal::new(fetch_rooms_probe), |_: &()| {
        vec!["rooms".into(), "probe".into()]
    });
    queries.register(QueryScopeLocal::new(fetch_venues_probe), |_: &()| vec!["venues".into()]);
    let options = EchoOptions::reverb(KEY, WS_HOST, WS_PORT.parse().expect("REVERB_PORT"), "http");
    CONTEXT.with(|c| c.set(Some(provide_echo(Some(options)))));
    use_realtime_global_subscriber(vec![GlobalSubscription::new("rooms", ".RoomsUpdated", &["rooms"])]);
    let rooms = client.local_resource(fetch_rooms_probe, || ());
    let venues = client.local_resource(fetch_venues_probe, || ());
    view! {
        <p id="rooms-fetches">{move || rooms.get()}</p>
        <p id="venues-fetches">{move || venues.get()}</p>
    }
}

#[wasm_bindgen_test]
async fn an_event_from_the_backend_refetches_the_queries_under_its_prefix() {
    leptos::mount::mount_to_body(Probe);
    let context = CONTEXT.with(Cell::get).expect("Probe provided the echo context");
    wait_until("the rooms channel to be subscribed", Duration::from_secs(10), || {
        context.client().is_some_and(|c| c.is_subscribed("rooms"))
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
        .body(r#"{"capacity": 3}"#)
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
    let shown = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .get_element_by_id("rooms-fetches")
        .unwrap()
        .text_content();
    assert_eq!(shown.as_deref(), Some("2"), "the refetched value is rendered");
}
