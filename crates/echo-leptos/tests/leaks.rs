//! Leaks: 10,000 mount/unmount cycles of a component using every hook leave
//! the client's listener and channel counts at zero, the context's reference
//! counts at zero and the fake server with no subscription (all checked
//! exactly), and bounds the wasm memory growth.
//!
//! Memory: wasm memory never shrinks and grows in 64 KB pages, and Leptos'
//! own mount/unmount of an empty component already grows it by about 80
//! bytes a cycle in this harness. The hooks add about 300-400 bytes a cycle
//! more, and that is not echo-rs: a Leptos 0.8 `Effect` that read a
//! long-lived signal (here the context's `generation`, which every hook
//! tracks so that it re-subscribes on a new client) leaves a dead subscriber
//! entry (a `Weak` to the disposed effect) in that signal until the signal
//! next changes; reactive_graph 0.2.16 does not unsubscribe disposed effects.
//! A bare `Effect::new(move |_| context.generation())` shows the same growth.
//! So the hooks' growth over 10,000 cycles may exceed an empty component's
//! by at most 10 MB (1 KB a cycle); the exact byte count of the client itself
//! is checked natively in echo-rs's tests/leaks.rs with a counting allocator.
//!
//! Runs in headless Chromium against a real `Echo` on `FakeRuntime`, with an
//! authorizer that signs and records nothing (`FakeEcho` keeps every request
//! and frame for inspection, on purpose):
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p echo-leptos --target wasm32-unknown-unknown --test leaks`.
#![cfg(target_arch = "wasm32")]

use echo_leptos::*;
use std::rc::Rc;

use echo_rs::testing::FakeRuntime;
use echo_rs::{Authorizer, ChannelAuth, Echo, EchoOptions};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CHANNELS: [&str; 3] = ["rooms", "private-orders.1", "private-App.Models.User.1"];

#[component]
fn EveryHook() -> impl IntoView {
    use_realtime_event("rooms", ".RoomsUpdated", |_| {});
    use_realtime_event_with_options(
        "orders.1",
        ".OrderShipped",
        |_| {},
        UseRealtimeEventOptions {
            private: true,
            ..Default::default()
        },
    );
    use_echo_notification("App.Models.User.1", |_| {});
    let status = use_connection_status();
    let socket_id = use_socket_id();
    view! { <p>{move || format!("{:?} {:?}", status.get(), socket_id.get())}</p> }
}

struct Fake {
    echo: Echo,
    runtime: FakeRuntime,
}

impl Fake {
    fn subscriptions(&self) -> Vec<String> {
        self.runtime.run_until_idle();
        self.runtime.subscriptions()
    }

    fn listener_count(&self, channel: &str) -> usize {
        self.runtime.run_until_idle();
        self.echo.listener_count(channel)
    }

    fn run_until_idle(&self) {
        self.runtime.run_until_idle();
    }
}

fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    buffer.byte_length() as f64
}

async fn settle() {
    for _ in 0..3 {
        tick().await;
    }
}

#[wasm_bindgen_test]
async fn ten_thousand_mount_unmount_cycles_leave_no_listener_no_channel_and_bounded_memory() {
    let runtime = FakeRuntime::new();
    let authorizer: Authorizer = Rc::new(|request| {
        let auth = ChannelAuth {
            auth: format!("app-key:sig-{}", request.socket_id),
            ..ChannelAuth::default()
        };
        Box::pin(async move { Ok(auth) })
    });
    let options = EchoOptions::reverb("app-key", "localhost", 8080, "http");
    let echo = Echo::with_runtime(options, Rc::new(runtime.clone()), Some(authorizer)).unwrap();
    let fake = Fake { echo, runtime };
    let owner = Owner::new();
    owner.set();
    let client = fake.echo.clone();
    let context = provide_echo_with(move || Some(client.clone()));

    // The control: an empty component, 1,000 cycles to warm up, 10,000 measured.
    let mut control_start = 0.0;
    for cycle in 0..11_000u32 {
        if cycle == 1_000 {
            control_start = wasm_memory_bytes();
        }
        let mounted = leptos::mount::mount_to(document().body().unwrap(), move || {
            provide_context(context);
            view! { <p>"empty"</p> }
        });
        settle().await;
        drop(mounted);
        settle().await;
        fake.runtime.run_until_idle();
        fake.runtime.clear_sent_frames();
    }
    let control = wasm_memory_bytes() - control_start;

    let mut baseline = 0.0;
    for cycle in 0..11_000u32 {
        // `mount_to` (not `mount_to_body`, which never unmounts): dropping
        // the handle unmounts the view and disposes its owner.
        let mounted = leptos::mount::mount_to(document().body().unwrap(), move || {
            provide_context(context);
            view! { <EveryHook/> }
        });
        settle().await;
        if cycle % 1_000 == 0 {
            assert_eq!(fake.subscriptions(), {
                let mut c = CHANNELS.to_vec();
                c.sort();
                c
            });
            for channel in CHANNELS {
                assert_eq!(fake.listener_count(channel), 1, "cycle {cycle}: {channel}");
                assert_eq!(context.channel_refs(channel), 1, "cycle {cycle}: {channel}");
            }
        }
        drop(mounted);
        settle().await;
        fake.runtime.run_until_idle();
        fake.runtime.clear_sent_frames();
        if cycle == 1_000 {
            baseline = wasm_memory_bytes();
        }
    }
    settle().await;
    fake.run_until_idle();
    for channel in CHANNELS {
        assert_eq!(fake.listener_count(channel), 0, "{channel}: listeners left behind");
        assert_eq!(context.channel_refs(channel), 0, "{channel}: references left behind");
    }
    assert!(fake.echo.channel_names().is_empty(), "{:?}", fake.echo.channel_names());
    assert!(fake.subscriptions().is_empty(), "{:?}", fake.subscriptions());
    let growth = wasm_memory_bytes() - baseline;
    leptos::logging::log!("wasm memory over 10,000 cycles: hooks +{growth} bytes, empty component +{control} bytes");
    assert!(
        growth <= control + 10.0 * 1024.0 * 1024.0,
        "wasm memory grew by {growth} bytes over 10,000 cycles with the hooks, {control} without"
    );
}
