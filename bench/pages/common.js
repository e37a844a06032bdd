// The work every page's listener does, and the harness API `window.B` that
// bench/run.mjs drives. The echo-rs page does the same work in Rust
// (bench/echo-rs-page/src/lib.rs). Loaded by floor.html and laravel-echo.html.
"use strict";
const S = { count: 0, lat: new Float64Array(0), latN: 0, firstSeen: new Uint8Array(0), seen: 0, allSeenAt: 0,
  subscribed: 0, subscribedTarget: 0, allSubscribedAt: 0, firstAt: 0, lastAt: 0 };

function onEvent(index, data) {
  const now = performance.timeOrigin + performance.now();
  if (S.count++ === 0) S.firstAt = now;
  S.lastAt = now;
  if (S.latN < S.lat.length) S.lat[S.latN++] = now - data.t;
  if (index < S.firstSeen.length && !S.firstSeen[index]) {
    S.firstSeen[index] = 1;
    if (++S.seen === S.firstSeen.length) S.allSeenAt = performance.now();
  }
}

function onSubscribed() {
  if (++S.subscribed === S.subscribedTarget) S.allSubscribedAt = performance.timeOrigin + performance.now();
}

// client: { start(cfg), state(), subscribe(name, priv, index), leave(fullName) }
function harness(client) {
  const B = {
    start: (cfg) => client.start(cfg),
    state: () => client.state(),
    subscribe: (name, priv, index) => client.subscribe(name, priv, index),
    leave: (fullName) => client.leave(fullName),
    reset(latencies, channels, subscribedTarget) {
      Object.assign(S, { count: 0, lat: new Float64Array(latencies), latN: 0, firstSeen: new Uint8Array(channels), seen: 0,
        allSeenAt: 0, subscribed: 0, subscribedTarget, allSubscribedAt: 0, firstAt: 0, lastAt: 0 });
    },
    stats: () => ({ count: S.count, subscribed: S.subscribed, allSeenAt: S.allSeenAt, allSubscribedAt: S.allSubscribedAt,
      firstAt: S.firstAt, lastAt: S.lastAt }),
    latencies: () => Array.from(S.lat.subarray(0, S.latN)),
    wasmBytes: () => 0,
  };
  window.B = B;
  autostart(B);
}

// ?auto=1&channels=N&private=1: start and subscribe on load (time to first event).
function autostart(B) {
  const q = new URLSearchParams(location.search);
  if (!q.get("auto")) return;
  const n = Number(q.get("channels") || 1);
  performance.mark("start");
  B.reset(0, n, n);
  B.start({ key: q.get("key"), host: q.get("host"), port: Number(q.get("port")), authEndpoint: "/auth" });
  for (let i = 0; i < n; i++) B.subscribe(`${q.get("prefix")}${i}`, q.get("private") === "1", i);
}
