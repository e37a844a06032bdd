//! The query cache and the global subscriber in headless Chromium, on the
//! test double: events and resubscriptions refetch exactly the queries
//! under their prefix.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use echo_rs::testing::FakeEcho;
use echo_yew::*;
use serde_json::json;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    /// Fetches per key path.
    static FETCHES: RefCell<HashMap<String, u32>> = RefCell::new(HashMap::new());
    /// What each view last showed.
    static SHOWN: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    /// Keys whose fetch fails.
    static FAILING: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Keys whose fetch takes 80 ms (decided when it starts).
    static SLOW: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn fetches(key: &str) -> u32 {
    FETCHES.with(|f| f.borrow().get(key).copied().unwrap_or(0))
}

fn shown(view: &str) -> String {
    SHOWN.with(|s| s.borrow().get(view).cloned().unwrap_or_default())
}

/// Fetches `key`; whether it is slow is decided when the fetch starts.
fn fetch(key: String) -> impl std::future::Future<Output = Result<u32, String>> {
    let slow = SLOW.with(|s| s.borrow().contains(&key));
    async move {
        gloo_timers::future::sleep(Duration::from_millis(if slow { 80 } else { 1 })).await;
        if FAILING.with(|f| f.borrow().contains(&key)) {
            return Err(format!("{key} is down"));
        }
        Ok(FETCHES.with(|f| {
            let mut f = f.borrow_mut();
            let n = f.entry(key).or_default();
            *n += 1;
            *n
        }))
    }
}

#[derive(Properties, PartialEq)]
struct ViewProps {
    name: AttrValue,
    key_path: Vec<String>,
}

/// A page part showing one query: `{fetch number}` or `error: …`.
#[component]
fn View(props: &ViewProps) -> Html {
    let key = props.key_path.join("/");
    let state = use_query(props.key_path.clone(), move || fetch(key.clone()));
    let text = match (&state.data, &state.error) {
        (_, Some(error)) => format!("error: {error}"),
        (Some(n), None) => n.to_string(),
        (None, None) => "loading".to_owned(),
    };
    SHOWN.with(|s| s.borrow_mut().insert(props.name.to_string(), text));
    html! {}
}

#[component]
fn Realtime() -> Html {
    use_realtime_global_subscriber(vec![
        GlobalSubscription::new("rooms", ".RoomsUpdated", &["rooms"]),
        GlobalSubscription::new("venues", ".VenuesUpdated", &["venues"]),
    ]);
    html! {}
}

#[derive(Properties, PartialEq)]
struct AppProps {
    factory: EchoFactory,
    client: QueryClient,
    /// `(view name, key path)` of each mounted view.
    views: Vec<(String, Vec<String>)>,
}

#[component]
fn App(props: &AppProps) -> Html {
    html! {
        <QueryClientProvider client={Some(props.client.clone())}>
            <EchoProvider factory={Some(props.factory.clone())}>
                <Realtime/>
                { for props.views.iter().map(|(name, key)| html! {
                    <View key={name.clone()} name={name.clone()} key_path={key.clone()}/>
                }) }
            </EchoProvider>
        </QueryClientProvider>
    }
}

fn path(key: &str) -> Vec<String> {
    key.split('/').map(str::to_owned).collect()
}

struct Harness {
    fake: FakeEcho,
    client: QueryClient,
    factory: EchoFactory,
    app: yew::AppHandle<App>,
}

impl Harness {
    async fn mount(views: &[(&str, &str)]) -> Self {
        FETCHES.with(|f| f.borrow_mut().clear());
        SHOWN.with(|s| s.borrow_mut().clear());
        FAILING.with(|f| f.borrow_mut().clear());
        let fake = FakeEcho::new("app-key").expect("a fake client");
        let echo = fake.echo().clone();
        let factory = EchoFactory::new(move || Some(echo.clone()));
        let client = QueryClient::new();
        let document = web_sys::window().and_then(|w| w.document()).expect("a document");
        let root = document.create_element("div").expect("a div");
        document.body().expect("a body").append_child(&root).expect("appended");
        let app = yew::Renderer::<App>::with_root_and_props(root, props(&factory, &client, views)).render();
        let harness = Self {
            fake,
            client,
            factory,
            app,
        };
        harness.settle().await;
        harness
    }

    async fn show(&mut self, views: &[(&str, &str)]) {
        self.app.update(props(&self.factory, &self.client, views));
        self.settle().await;
    }

    async fn settle(&self) {
        for _ in 0..4 {
            yew::scheduler::flush().await;
            gloo_timers::future::sleep(Duration::from_millis(10)).await;
            self.fake.run_until_idle();
        }
    }
}

fn props(factory: &EchoFactory, client: &QueryClient, views: &[(&str, &str)]) -> AppProps {
    AppProps {
        factory: factory.clone(),
        client: client.clone(),
        views: views.iter().map(|(n, k)| (n.to_string(), path(k))).collect(),
    }
}

#[wasm_bindgen_test]
async fn an_event_refetches_the_queries_under_its_prefix_and_no_other() {
    let h = Harness::mount(&[("home", "rooms/home"), ("dates", "rooms/2026-12-01"), ("venues", "venues")]).await;
    assert_eq!(
        (shown("home"), shown("dates"), shown("venues")),
        ("1".into(), "1".into(), "1".into())
    );

    assert!(h.fake.emit("rooms", ".RoomsUpdated", json!({ "room_ids": [1] })));
    h.settle().await;
    assert_eq!((fetches("rooms/home"), fetches("rooms/2026-12-01"), fetches("venues")), (2, 2, 1));
    assert_eq!(shown("home"), "2", "the page shows the new data without a reload");
}

#[wasm_bindgen_test]
async fn two_views_of_one_key_share_one_fetch() {
    let h = Harness::mount(&[("a", "rooms/home"), ("b", "rooms/home")]).await;
    assert_eq!(fetches("rooms/home"), 1);
    assert!(h.fake.emit("rooms", ".RoomsUpdated", json!({})));
    h.settle().await;
    assert_eq!(fetches("rooms/home"), 2);
    assert_eq!((shown("a"), shown("b")), ("2".into(), "2".into()));
}

#[wasm_bindgen_test]
async fn a_query_off_screen_is_marked_stale_and_refetched_when_shown_again() {
    let mut h = Harness::mount(&[("home", "rooms/home")]).await;
    h.show(&[]).await;
    assert!(h.fake.emit("rooms", ".RoomsUpdated", json!({})));
    h.settle().await;
    assert_eq!(fetches("rooms/home"), 1, "nobody shows it: not fetched now");
    assert!(h.client.is_stale(&path("rooms/home")));
    h.show(&[("home", "rooms/home")]).await;
    assert_eq!(fetches("rooms/home"), 2);
    assert_eq!(shown("home"), "2");
}

#[wasm_bindgen_test]
async fn a_resubscription_refetches_because_events_were_missed() {
    let h = Harness::mount(&[("home", "rooms/home"), ("venues", "venues")]).await;
    h.fake.drop_connection(Some(1006));
    h.fake.advance(Duration::from_secs(30));
    h.settle().await;
    assert_eq!(
        (fetches("rooms/home"), fetches("venues")),
        (2, 2),
        "both channels were subscribed again"
    );
}

#[wasm_bindgen_test]
async fn a_failed_fetch_shows_its_error_until_one_succeeds() {
    let h = Harness::mount(&[("venues", "venues")]).await;
    FAILING.with(|f| f.borrow_mut().push("venues".into()));
    h.client.invalidate_prefix(&path("venues"));
    h.settle().await;
    assert_eq!(shown("venues"), "error: venues is down");
    FAILING.with(|f| f.borrow_mut().clear());
    assert!(h.fake.emit("venues", ".VenuesUpdated", json!({})));
    h.settle().await;
    assert_eq!(shown("venues"), "2");
}

#[wasm_bindgen_test]
async fn a_fetch_running_when_the_cache_is_cleared_lands_nothing() {
    let h = Harness::mount(&[("venues", "venues")]).await;
    assert_eq!(shown("venues"), "1");
    // A slow refetch starts (the signed-in user's); the user signs out and
    // the fresh fetch answers first.
    SLOW.with(|s| s.borrow_mut().push("venues".into()));
    h.client.invalidate_prefix(&path("venues"));
    SLOW.with(|s| s.borrow_mut().clear());
    h.client.clear();
    gloo_timers::future::sleep(Duration::from_millis(150)).await;
    h.settle().await;
    assert_eq!(fetches("venues"), 3, "the interrupted fetch and the fresh one both ran");
    assert_eq!(shown("venues"), "2", "the interrupted fetch's answer never shows");
}

#[wasm_bindgen_test]
async fn a_view_shown_again_retries_what_failed() {
    let mut h = Harness::mount(&[]).await;
    FAILING.with(|f| f.borrow_mut().push("venues".into()));
    h.show(&[("venues", "venues")]).await;
    assert_eq!(shown("venues"), "error: venues is down");
    h.show(&[]).await;
    FAILING.with(|f| f.borrow_mut().clear());
    h.show(&[("venues", "venues")]).await;
    assert_eq!(shown("venues"), "1", "retried on mount");
}
