// Turns bench/results/latest.json into latest.md (the table the README
// shows) and latest.svg (a bar chart of echo-rs against laravel-echo).
import fs from "node:fs";
import path from "node:path";

const CLIENTS = ["floor", "laravel-echo", "echo-rs"];

// A delivery result with the echo-rs column taken from the `&Value`-listener page.
const valueListener = (d, c) => d?.[c === "echo-rs" ? "echo-rs-value" : c];

// [label, unit, better, get(results, client)]
const ROWS = [
  ["Delivery, 200 B events: events/s", "ev/s", "higher", (r, c) => r.delivery200?.[c]?.rate],
  ["Delivery, 200 B events: main-thread CPU per event", "µs", "lower", (r, c) => r.delivery200?.[c]?.cpu],
  ["Delivery, 5 KB events: events/s", "ev/s", "higher", (r, c) => r.delivery5k?.[c]?.rate],
  ["Delivery, 5 KB events: main-thread CPU per event", "µs", "lower", (r, c) => r.delivery5k?.[c]?.cpu],
  // echo-rs with `listen` listeners that get the whole payload as a Value.
  ["Delivery, 200 B events, `&Value` listener: main-thread CPU per event", "µs", "lower", (r, c) => valueListener(r.delivery200, c)?.cpu],
  ["Delivery, 5 KB events, `&Value` listener: events/s", "ev/s", "higher", (r, c) => valueListener(r.delivery5k, c)?.rate],
  ["Delivery, 5 KB events, `&Value` listener: main-thread CPU per event", "µs", "lower", (r, c) => valueListener(r.delivery5k, c)?.cpu],
  ["Latency at 100 ev/s: p50", "ms", "lower", (r, c) => r.latency100?.[c]?.p50],
  ["Latency at 100 ev/s: p99", "ms", "lower", (r, c) => r.latency100?.[c]?.p99],
  ["Latency at 2,000 ev/s: p50", "ms", "lower", (r, c) => r.latency2000?.[c]?.p50],
  ["Latency at 2,000 ev/s: p99", "ms", "lower", (r, c) => r.latency2000?.[c]?.p99],
  ["First event from page load, 1 private channel", "ms", "lower", (r, c) => r.first1?.[c]],
  ["First event on each of 20 private channels", "ms", "lower", (r, c) => r.first20?.[c]],
  ["Reconnect: server back → 100 channels subscribed", "ms", "lower", (r, c) => r.reconnect?.[c]],
  ["Size added to a page, gzipped", "KiB", "lower", (r, c) => (r.size?.[c]?.gzip == null ? null : r.size[c].gzip / 1024)],
  ["Size, with the typed listener (serde derive), gzipped", "KiB", "lower", (r, c) => {
    const s = r.size?.[c === "echo-rs" ? "echo-rs-typed" : c];
    return s?.gzip == null ? null : s.gzip / 1024;
  }],
  ["Memory after 1,000 channels (JS heap + wasm)", "KiB", "lower", (r, c) => (r.memory?.[c]?.after == null ? null : r.memory[c].after / 1024)],
  ["Memory growth over 10,000 subscribe/leave cycles", "KiB", "lower", (r, c) => (r.memory?.[c]?.growth == null ? null : r.memory[c].growth / 1024)],
];

function fmt(x) {
  if (x == null || !Number.isFinite(x)) return "n/a";
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString("en-US");
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}
function ratio(a, b) {
  return a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? null : a / b;
}
// How many times better echo-rs is than `other` (> 1: echo-rs wins).
function advantage(better, rs, other) {
  const q = ratio(rs, other);
  if (q == null || q === 0) return null;
  return better === "higher" ? q : 1 / q;
}

export function rows(results) {
  return ROWS.map(([label, unit, better, get]) => {
    const v = Object.fromEntries(CLIENTS.map((c) => [c, get(results, c)]));
    return { label, unit, better, v, vsEcho: ratio(v["echo-rs"], v["laravel-echo"]), vsFloor: ratio(v["echo-rs"], v.floor),
      adv: advantage(better, v["echo-rs"], v["laravel-echo"]) };
  });
}

export function markdown(results) {
  const m = results.machine || {};
  const lines = [
    `Run on ${m.date} — ${m.cpus} cores (${m.cpuModel}), ${m.os}, Chromium ${m.chromium}, Node ${m.node}; ${m.seconds} s${m.quick ? " (BENCH_QUICK: one round)" : ""}.`,
    "",
    "| Measure | Unit | Better | floor (raw WebSocket) | laravel-echo + pusher-js | echo-rs | echo-rs / laravel-echo | echo-rs / floor |",
    "|---|---|---|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows(results)) {
    const win = r.adv == null ? "" : r.adv >= 1 ? " ✓" : " ✗";
    lines.push(`| ${r.label} | ${r.unit} | ${r.better} | ${fmt(r.v.floor)} | ${fmt(r.v["laravel-echo"])} | ${fmt(r.v["echo-rs"])} | ${r.vsEcho == null ? "n/a" : r.vsEcho.toFixed(2) + win} | ${r.vsFloor == null ? "n/a" : r.vsFloor.toFixed(2)} |`);
  }
  lines.push("", "✓: echo-rs does better than laravel-echo + pusher-js on that measure; ✗: worse.");
  lines.push("", "The echo-rs page's listener is typed (`listen_typed` into a struct with the one field it reads, `t`), as an echo-rs app reads event data; the `&Value` rows measure the same page with `listen` listeners, which get the whole payload built as a `serde_json::Value` like the JS pages' `JSON.parse`d objects (floor and laravel-echo columns repeat their delivery results).");
  const lost = [];
  for (const [key, label] of [["delivery200", "200 B delivery"], ["delivery5k", "5 KB delivery"], ["latency100", "latency at 100 ev/s"], ["latency2000", "latency at 2,000 ev/s"]]) {
    for (const c of [...CLIENTS, "echo-rs-value"]) if (results[key]?.[c]?.lost > 0) lost.push(`${c}: ${results[key][c].lost} events in ${label}`);
  }
  if (lost.length) lines.push("", `Events the server dropped for a client that fell behind (Sockudo's send buffer): ${lost.join("; ")}.`);
  return lines.join("\n") + "\n";
}

export function svg(results) {
  const rs = rows(results);
  const W = 900, rowH = 26, top = 50, left = 380, right = 60, mid = left + (W - left - right) / 2, half = (W - left - right) / 2;
  const H = top + rs.length * rowH + 40;
  const maxLog = Math.max(1, ...rs.map((r) => (r.adv ? Math.abs(Math.log2(r.adv)) : 0)));
  const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">echo-rs against laravel-echo + pusher-js (times better; log scale)</text>`,
    `<text x="${W / 2}" y="38" text-anchor="middle" fill="#555">${esc(`${results.machine?.date} · ${results.machine?.cpus} cores · Chromium ${results.machine?.chromium}`)} · right of the line: echo-rs wins</text>`,
    `<line x1="${mid}" y1="${top - 6}" x2="${mid}" y2="${top + rs.length * rowH}" stroke="#333"/>`,
  ];
  rs.forEach((r, i) => {
    const y = top + i * rowH;
    out.push(`<text x="${left - 8}" y="${y + 16}" text-anchor="end">${esc(r.label)}</text>`);
    if (r.adv == null) {
      out.push(`<text x="${mid + 6}" y="${y + 16}" fill="#999">n/a</text>`);
      return;
    }
    const w = (Math.log2(r.adv) / maxLog) * half;
    const x = w >= 0 ? mid : mid + w;
    out.push(`<rect x="${x.toFixed(1)}" y="${y + 4}" width="${Math.abs(w).toFixed(1)}" height="${rowH - 8}" fill="${w >= 0 ? "#2a9d4b" : "#d1495b"}"/>`);
    const label = r.adv >= 1 ? `${r.adv.toFixed(2)}×` : `1/${(1 / r.adv).toFixed(2)}×`;
    out.push(`<text x="${(w >= 0 ? mid + w + 4 : mid + w - 4).toFixed(1)}" y="${y + 16}" text-anchor="${w >= 0 ? "start" : "end"}">${label}</text>`);
  });
  out.push(`<text x="${mid}" y="${H - 12}" text-anchor="middle" fill="#555">1× = same as laravel-echo; bars span ±${maxLog.toFixed(1)} doublings</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}

export function writeReport(results, outDir, name = "latest") {
  const md = markdown(results);
  fs.writeFileSync(path.join(outDir, `${name}.md`), md);
  fs.writeFileSync(path.join(outDir, `${name}.svg`), svg(results));
  return md;
}

// `node report.mjs` re-renders from latest.json.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), "results");
  process.stdout.write(writeReport(JSON.parse(fs.readFileSync(path.join(dir, "latest.json"), "utf8")), dir));
}
