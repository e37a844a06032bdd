//! Native benchmarks of the client (`cargo bench -p laravel-echo-rs`): an
//! event from the server to the app's listener through the whole `Echo`
//! (the socket sink, the core, the listener lookup), on the in-memory test
//! double with 1,000 channels subscribed. The core alone is benchmarked in
//! `crates/echo-proto/benches/core.rs`; the whole client in a browser by
//! scripts/bench.sh.

use std::cell::Cell;
use std::hint::black_box;
use std::rc::Rc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use echo_rs::testing::FakeEcho;
use echo_rs::Value;
use serde_json::json;

fn dispatch(c: &mut Criterion) {
    let mut group = c.benchmark_group("Echo dispatch, 1,000 channels");
    group.throughput(Throughput::Elements(1));
    let fake = FakeEcho::new("key").expect("valid options");
    let heard = Rc::new(Cell::new(0u64));
    for i in 0..1000 {
        let channel = fake.echo().channel(&format!("channel-{i}"));
        let heard = heard.clone();
        channel.listen(".RoomsUpdated", move |_: &Value| heard.set(heard.get() + 1));
        channel.listen(".Other", |_: &Value| {});
    }
    fake.echo().channel("channel-500").listen_to_all(|_, _| {});
    let data = json!({ "room_ids": [1, 2, 3] });
    group.bench_function("event with a listener", |b| {
        b.iter(|| fake.emit(black_box("channel-500"), ".RoomsUpdated", data.clone()))
    });
    group.bench_function("event no listener reads", |b| {
        b.iter(|| fake.emit(black_box("channel-500"), ".Unheard", data.clone()))
    });
    group.finish();
    assert!(heard.get() > 0, "the listener heard the events");
}

criterion_group!(benches, dispatch);
criterion_main!(benches);
