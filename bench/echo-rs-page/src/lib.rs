//! The echo-rs page of the benchmark harness (`bench/`, run by
//! `scripts/bench.sh`). The page's JS (`bench/pages/echo-rs.html`) calls these
//! exports; the listeners are Rust closures, as in an echo-rs application,
//! and do the same work as the listeners of the other two pages: count the
//! event, record its latency from the `t` (epoch milliseconds) in its data,
//! and note the first event of each channel.
//!
//! By default a listener is typed, as an echo-rs application reads event
//! data: `listen_typed` into [`BenchEvent`], which names the one field it
//! reads, so the rest of the payload is skipped rather than built. With
//! `use_value_listeners(true)` (the page's `?listener=value`) it is a
//! `listen` listener that gets the whole payload as a `serde_json::Value`,
//! like the JS pages' `JSON.parse`d objects.
#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use echo_rs::{Channel, Echo, EchoOptions, ListenerHandle, Value};
use wasm_bindgen::prelude::*;

/// The event every page listens for.
const BENCH_EVENT: &str = ".bench";

/// The benchmark's event as a typed listener reads it: the trigger time `t`
/// (epoch milliseconds); the padding is not decoded.
#[cfg(feature = "typed")]
#[derive(serde::Deserialize)]
struct BenchEvent {
    t: f64,
}

#[cfg(feature = "typed")]
impl echo_rs::BroadcastEvent for BenchEvent {
    const NAME: &'static str = BENCH_EVENT;
}

#[derive(Default)]
struct Stats {
    count: u32,
    latencies: Vec<f64>,
    first_seen: Vec<bool>,
    seen: u32,
    all_seen_at: f64,
    subscribed: u32,
    subscribed_target: u32,
    all_subscribed_at: f64,
    first_at: f64,
    last_at: f64,
}

struct Page {
    echo: Echo,
    channels: HashMap<String, (Channel, ListenerHandle)>,
}

thread_local! {
    static VALUE_LISTENERS: Cell<bool> = const { Cell::new(false) };
    static STATS: RefCell<Stats> = RefCell::new(Stats::default());
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
}

thread_local! {
    static PERFORMANCE: Option<(web_sys::Performance, f64)> =
        web_sys::window().and_then(|w| w.performance()).map(|p| { let origin = p.time_origin(); (p, origin) });
}

/// `performance.timeOrigin + performance.now()`, as the JS pages compute it.
fn now_epoch() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, |(p, origin)| origin + p.now()))
}

/// `performance.now()`.
fn now_page() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, |(p, _)| p.now()))
}

/// Makes later `subscribe` calls add `listen` (`&Value`) listeners instead
/// of typed ones.
#[wasm_bindgen]
pub fn use_value_listeners(on: bool) {
    VALUE_LISTENERS.with(|v| v.set(on));
}

/// Connects to the server at `host:port` with app `key`; private channels are
/// authorized at `auth_endpoint`.
#[wasm_bindgen]
pub fn start(key: &str, host: &str, port: u16, auth_endpoint: &str) -> Result<(), JsError> {
    let mut options = EchoOptions::reverb(key, host, port, "http");
    options.auth_endpoint = auth_endpoint.to_owned();
    let echo = Echo::new(options).map_err(|e| JsError::new(&e.to_string()))?;
    PAGE.with(|p| {
        *p.borrow_mut() = Some(Page {
            echo,
            channels: HashMap::new(),
        })
    });
    Ok(())
}

/// The connection state (`connected` …).
#[wasm_bindgen]
pub fn state() -> String {
    PAGE.with(|p| {
        p.borrow()
            .as_ref()
            .map_or("none".into(), |p| p.echo.connection_state().as_str().into())
    })
}

/// Subscribes `name` (`private-` prefixed when `private`) with one listener
/// for `.bench`; `index` numbers the channel for first-event tracking.
#[wasm_bindgen]
pub fn subscribe(name: &str, private: bool, index: u32) {
    PAGE.with(|p| {
        let mut page = p.borrow_mut();
        let Some(page) = page.as_mut() else { return };
        let channel = if private {
            page.echo.private(name)
        } else {
            page.echo.channel(name)
        };
        channel.subscribed(|_| {
            STATS.with(|s| {
                let mut s = s.borrow_mut();
                s.subscribed += 1;
                if s.subscribed == s.subscribed_target {
                    s.all_subscribed_at = now_epoch();
                }
            })
        });
        let handle = listen(&channel, index);
        page.channels.insert(channel.name().to_owned(), (channel, handle));
    });
}

/// The page's listener for channel number `index`: typed, unless
/// `use_value_listeners(true)` was called or the page is built without the
/// `typed` feature.
fn listen(channel: &Channel, index: u32) -> ListenerHandle {
    #[cfg(feature = "typed")]
    if !VALUE_LISTENERS.with(Cell::get) {
        return channel.listen_typed(move |event: BenchEvent| on_event(index, event.t));
    }
    channel.listen(BENCH_EVENT, move |data: &Value| {
        on_event(index, data.get("t").and_then(Value::as_f64).unwrap_or(0.0))
    })
}

fn on_event(index: u32, t: f64) {
    let now = now_epoch();
    STATS.with(|s| {
        let mut s = s.borrow_mut();
        if s.count == 0 {
            s.first_at = now;
        }
        s.count += 1;
        s.last_at = now;
        if s.latencies.len() < s.latencies.capacity() {
            s.latencies.push(now - t);
        }
        let index = index as usize;
        if index < s.first_seen.len() && !s.first_seen[index] {
            s.first_seen[index] = true;
            s.seen += 1;
            if s.seen as usize == s.first_seen.len() {
                s.all_seen_at = now_page();
            }
        }
    });
}

/// Leaves the channel `name` (full name).
#[wasm_bindgen]
pub fn leave(name: &str) {
    let echo = PAGE.with(|p| {
        let mut page = p.borrow_mut();
        let page = page.as_mut()?;
        page.channels.remove(name);
        Some(page.echo.clone())
    });
    if let Some(echo) = echo {
        echo.leave_channel(name);
    }
}

/// Clears the counters; keeps room for `latencies` latencies, tracks first
/// events on `channels` channels and the moment `subscribed_target`
/// subscriptions have succeeded.
#[wasm_bindgen]
pub fn reset(latencies: u32, channels: u32, subscribed_target: u32) {
    STATS.with(|s| {
        *s.borrow_mut() = Stats {
            latencies: Vec::with_capacity(latencies as usize),
            first_seen: vec![false; channels as usize],
            subscribed_target,
            ..Stats::default()
        }
    });
}

/// Events received since the last reset.
#[wasm_bindgen]
pub fn count() -> u32 {
    STATS.with(|s| s.borrow().count)
}

/// Subscriptions succeeded since the last reset.
#[wasm_bindgen]
pub fn subscribed_count() -> u32 {
    STATS.with(|s| s.borrow().subscribed)
}

/// `performance.now()` when every tracked channel had its first event (0: not yet).
#[wasm_bindgen]
pub fn all_seen_at() -> f64 {
    STATS.with(|s| s.borrow().all_seen_at)
}

/// Epoch milliseconds when the subscription target was reached (0: not yet).
#[wasm_bindgen]
pub fn all_subscribed_at() -> f64 {
    STATS.with(|s| s.borrow().all_subscribed_at)
}

/// The recorded latencies, in milliseconds.
#[wasm_bindgen]
pub fn latencies() -> Vec<f64> {
    STATS.with(|s| s.borrow().latencies.clone())
}

/// Epoch milliseconds of the first event since the last reset.
#[wasm_bindgen]
pub fn first_at() -> f64 {
    STATS.with(|s| s.borrow().first_at)
}

/// Epoch milliseconds of the latest event.
#[wasm_bindgen]
pub fn last_at() -> f64 {
    STATS.with(|s| s.borrow().last_at)
}
