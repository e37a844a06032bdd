//! Native benchmarks of the protocol core (`cargo bench -p echo-proto`): frames
//! decoded and dispatched per second through `Connection::handle_message` and
//! `poll_output`. The client's own dispatch (listener lookup included) is
//! `crates/echo-rs/benches/dispatch.rs`; the browser benchmark
//! (scripts/bench.sh) measures the whole client. These show regressions of
//! the core without a browser.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use echo_proto::{Connection, EchoOptions, Output};
use serde_json::{json, Value};
use web_time::Instant;

/// A connected connection subscribed to `channels`.
fn connected(channels: &[&str]) -> Connection {
    let now = Instant::now();
    let mut conn = Connection::new(EchoOptions::reverb("key", "127.0.0.1", 6001, "http"), false, 7);
    for channel in channels {
        conn.subscribe(channel, now);
    }
    conn.connect(now);
    conn.handle_open(now);
    conn.handle_message(
        now,
        r#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":120}"}"#,
    );
    for channel in channels {
        conn.handle_message(
            now,
            &format!(r#"{{"event":"pusher_internal:subscription_succeeded","channel":"{channel}","data":"{{}}"}}"#),
        );
    }
    while conn.poll_output().is_some() {}
    conn
}

/// An event frame as the server sends it: `data` double-encoded.
fn event_frame(channel: &str, event: &str, data: &Value) -> String {
    json!({ "event": event, "channel": channel, "data": data.to_string() }).to_string()
}

/// Event data like the browser benchmark's: a list of rooms padded to about
/// `bytes` of JSON.
fn payload(bytes: usize) -> Value {
    let mut items = Vec::new();
    let mut data = json!({ "t": 1.7e12, "items": [] });
    while data.to_string().len() + 90 < bytes {
        let i = items.len();
        items.push(json!({ "id": i + 1, "name": format!("Room {}", i + 1), "price": 120.5 + i as f64, "available": i % 2 == 0, "tags": ["sea", "view"] }));
        data["items"] = Value::Array(items.clone());
    }
    data
}

fn dispatch(c: &mut Criterion) {
    let mut group = c.benchmark_group("handle_message+poll_output");
    group.throughput(Throughput::Elements(1));
    let now = Instant::now();
    // How a listener reads the data: not at all (no listener for the
    // event), as a `Value` (`listen`), or typed (`listen_typed`, a struct
    // naming one field, as the browser benchmark's listener reads `t`).
    #[derive(serde::Deserialize)]
    struct Stamp {
        #[allow(dead_code)]
        t: f64,
    }
    for (size, bytes) in [("200 B", 200), ("5 KB", 5 * 1024)] {
        let frame = event_frame("rooms", "App\\Events\\RoomsUpdated", &payload(bytes));
        for read in ["unread", "read as Value", "read typed"] {
            let mut conn = connected(&["rooms"]);
            group.bench_function(format!("event {size}, {read}"), |b| {
                b.iter(|| {
                    conn.handle_message(now, black_box(&frame));
                    match conn.poll_output() {
                        Some(Output::Event(frame)) => match read {
                            "unread" => drop(black_box(frame)),
                            "read as Value" => drop(black_box(frame.data.value())),
                            _ => drop(black_box(frame.data.decode::<Stamp>().ok())),
                        },
                        other => panic!("expected an event, got {other:?}"),
                    };
                })
            });
        }
    }
    let mut conn = connected(&["rooms"]);
    let ping = r#"{"event":"pusher:ping","data":"{}"}"#;
    group.bench_function("ping (answered with pong)", |b| {
        b.iter(|| {
            conn.handle_message(now, black_box(ping));
            black_box(conn.poll_output());
        })
    });
    let mut conn = connected(&["rooms"]);
    let other = event_frame("venues", "App\\Events\\RoomsUpdated", &payload(200));
    group.bench_function("event for a channel not subscribed", |b| {
        b.iter(|| {
            conn.handle_message(now, black_box(&other));
            black_box(conn.poll_output());
        })
    });
    group.finish();
}

criterion_group!(benches, dispatch);
criterion_main!(benches);
