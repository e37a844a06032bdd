//! echo-leptos hooks under Leptos's renderer, in headless Chromium against
//! `echo_rs::testing::FakeEcho`: what re-rendering a component does to its
//! subscription. The hook tests that need no DOM are in tests/hooks.rs, which
//! runs natively and in the browser.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use echo_leptos::*;
use echo_rs::testing::FakeEcho;
use leptos::mount::UnmountHandle;
use leptos::prelude::*;
use leptos::tachys::view::Mountable;
use serde_json::json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fake() -> FakeEcho {
    FakeEcho::new("app-key").expect("a fake client")
}

/// Mounts `view` under a root that provides `fake`'s client.
fn mount<N: IntoView + 'static>(fake: &FakeEcho, view: impl FnOnce() -> N + 'static) -> UnmountHandle<impl Mountable> {
    let echo = fake.echo().clone();
    let body = web_sys::window().unwrap().document().unwrap().body().unwrap();
    leptos::mount::mount_to(body, move || {
        provide_echo_with(move || Some(echo.clone()));
        view()
    })
}

/// Lets Leptos run its effects and deferred leaves, then the fake client's
/// runtime, a few times over.
async fn settle(fake: &FakeEcho) {
    for _ in 0..3 {
        gloo_timers::future::sleep(Duration::from_millis(10)).await;
        fake.run_until_idle();
    }
}

#[component]
fn RoomsCounter(hits: RwSignal<u32>) -> impl IntoView {
    use_realtime_event("rooms", ".RoomsUpdated", move |_| hits.update(|n| *n += 1));
}

#[component]
fn Labelled(label: String, seen: RwSignal<Vec<String>>) -> impl IntoView {
    use_realtime_event("rooms", ".RoomsUpdated", move |_| seen.update(|v| v.push(label.clone())));
}

#[wasm_bindgen_test]
async fn re_rendering_with_a_new_prop_keeps_the_subscription_and_uses_the_new_handler() {
    let fake = fake();
    let label = RwSignal::new("first".to_owned());
    let seen = RwSignal::new(Vec::<String>::new());
    let mounted = mount(&fake, move || {
        view! { {move || view! { <Labelled label=label.get() seen=seen/> }} }
    });
    settle(&fake).await;
    assert_eq!(fake.subscribe_count("rooms"), 1);

    label.set("second".to_owned());
    settle(&fake).await;
    assert_eq!(fake.subscribe_count("rooms"), 1, "no resubscribe on re-render");
    assert_eq!(fake.unsubscribe_count("rooms"), 0, "no leave on re-render");
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(seen.get_untracked(), ["second"], "only the new handler runs, once");
    drop(mounted);
}

#[wasm_bindgen_test]
async fn a_keyed_child_re_rendered_twice_in_one_tick_keeps_one_subscription_and_one_listener() {
    let fake = fake();
    let key = RwSignal::new(0);
    let hits = RwSignal::new(0);
    let mounted = mount(&fake, move || {
        // A keyed child: every change of `key` unmounts it and mounts a new one.
        view! { {move || { key.get(); view! { <RoomsCounter hits=hits/> } }} }
    });
    settle(&fake).await;
    key.set(1);
    key.set(2);
    settle(&fake).await;
    key.set(3);
    settle(&fake).await;
    assert_eq!(fake.subscribe_count("rooms"), 1);
    assert_eq!(fake.unsubscribe_count("rooms"), 0);
    assert_eq!(fake.listener_count("rooms"), 1, "one set of listeners");
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(hits.get_untracked(), 1, "the event is handled once");
    drop(mounted);
}
