//! Leaks: 10,000 subscribe/listen/leave cycles of every channel kind, and
//! 10,000 listen/stop cycles on a channel that stays, leave the client's
//! listener and channel counts at zero (or where they started) and its
//! memory flat. Memory is measured by a counting global allocator: the live
//! heap after 1,000 cycles and after 10,000 more must match within a few KB.
//!
//! One test function only: the allocator counts the whole process, so no
//! other test may run beside it.
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicIsize, Ordering};

use echo_rs::testing::FakeRuntime;
use echo_rs::{Authorizer, ChannelAuth, Echo, EchoOptions};
use serde_json::json;

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded to `System` unchanged; only the sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Signs everything, records nothing (FakeEcho's authorizer keeps every
/// request for inspection, which would grow on purpose).
fn authorizer() -> Authorizer {
    Rc::new(|request| {
        let auth = ChannelAuth {
            auth: format!("app-key:sig-{}", request.socket_id),
            channel_data: request
                .channel
                .starts_with("presence-")
                .then(|| json!({ "user_id": 1 }).to_string()),
            shared_secret: request
                .channel
                .starts_with("private-encrypted-")
                .then(|| "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned()),
        };
        Box::pin(async move { Ok(auth) })
    })
}

const NAMES: [&str; 4] = ["rooms", "private-orders.1", "presence-lobby", "private-encrypted-vault"];

/// One mount/unmount: subscribe every kind, add listeners the way the hooks
/// do, let the subscriptions complete, receive an event, leave everything.
fn cycle(echo: &Echo, runtime: &FakeRuntime, hits: &Rc<Cell<u64>>) {
    let h = hits.clone();
    let rooms = echo.channel("rooms");
    rooms.listen(".Tick", move |_| h.set(h.get() + 1));
    rooms.subscribed(|_| {});
    rooms.error(|_| {});
    echo.private("orders.1").listen(".Tick", |_| {});
    let lobby = echo.join("lobby");
    lobby.here(|_| {});
    lobby.joining(|_| {});
    lobby.leaving(|_| {});
    echo.encrypted_private("vault").listen(".Tick", |_| {});
    let state = echo.on_connection_change(|_| {});
    runtime.run_until_idle();
    assert!(runtime.server_event("rooms", "Tick", &json!({ "n": 1 })));
    echo.stop_listening(state);
    echo.leave("rooms");
    echo.leave("orders.1");
    echo.leave("lobby");
    echo.leave_channel("private-encrypted-vault");
    runtime.run_until_idle();
    runtime.clear_sent_frames();
}

/// Listen and stop on a channel that stays subscribed (a hook unmounting
/// while another keeps the channel).
fn listen_cycle(echo: &Echo) {
    let channel = echo.channel("kept");
    let a = channel.listen(".Tick", |_| {});
    let b = channel.listen_to_all(|_, _| {});
    let c = channel.subscribed(|_| {});
    let d = channel.error(|_| {});
    for handle in [a, b, c, d] {
        channel.stop_listening(handle);
    }
}

#[test]
fn ten_thousand_cycles_leave_no_listener_no_channel_and_flat_memory() {
    let runtime = FakeRuntime::new();
    let options = EchoOptions::reverb("app-key", "localhost", 8080, "http");
    let echo = Echo::with_runtime(options, Rc::new(runtime.clone()), Some(authorizer())).unwrap();
    runtime.run_until_idle();
    let kept = echo.channel("kept");
    kept.listen(".Other", |_| {});
    runtime.run_until_idle();
    let hits = Rc::new(Cell::new(0));

    for _ in 0..1_000 {
        cycle(&echo, &runtime, &hits);
        listen_cycle(&echo);
    }
    let baseline = live();
    for _ in 0..10_000 {
        cycle(&echo, &runtime, &hits);
        listen_cycle(&echo);
    }
    let after = live();

    assert_eq!(hits.get(), 11_000, "every cycle's event delivered exactly once");
    for name in NAMES {
        assert_eq!(echo.listener_count(name), 0, "{name}: listeners left behind");
    }
    assert_eq!(echo.listener_count("kept"), 1, "only the listener that was never stopped");
    assert_eq!(echo.channel_names(), ["kept"], "only the channel never left");
    assert_eq!(
        runtime.subscriptions(),
        ["kept"],
        "the server was told to unsubscribe every left channel"
    );
    assert_eq!(runtime.pending_tasks(), 0, "no authorization left running");
    assert!(runtime.pending_timers() <= 1, "{} timers armed", runtime.pending_timers());
    assert_eq!(runtime.connection_count(), 1, "no reconnect on the way");
    let growth = after - baseline;
    assert!(
        growth.abs() < 16 * 1024,
        "live heap moved by {growth} bytes over 10,000 cycles (baseline {baseline})"
    );
}
