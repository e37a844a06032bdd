// The benchmark: echo-rs against laravel-echo + pusher-js and the raw
// WebSocket floor, all three measured in one run, interleaved round by round
// (floor, laravel-echo, echo-rs, floor, …) so that a busy machine slows all
// three alike. Started by scripts/bench.sh, which builds bench/dist first.
//
// Starts and restarts its own Sockudo (scripts/sockudo.sh on $REVERB_PORT),
// serves the pages and /auth on $BENCH_PORT, drives Debian's Chromium
// headless through playwright-core, and writes bench/results/latest.{json,md,svg}.
// Every socket is on 127.0.0.1.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

import { Publisher } from "./publisher.mjs";
import { startServer } from "./server.mjs";
import { writeReport } from "./report.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const env = process.env;
const CFG = {
  appId: env.REVERB_APP_ID || "echo-rs-app",
  key: env.REVERB_APP_KEY || "local-key",
  secret: env.REVERB_APP_SECRET || "local-secret",
  host: "127.0.0.1",
  port: Number(env.REVERB_PORT || 6301),
  benchPort: Number(env.BENCH_PORT || 6302),
};
const QUICK = env.BENCH_QUICK === "1"; // fewer rounds, for trying the harness out
// BENCH_ONLY=first1,first20,latency100 …: only these measures (keys of the
// results: delivery200 delivery5k latency100 latency2000 first1 first20
// reconnect memory, or the groups delivery, latency, first); the results of
// a partial or quick run go to $RUN_DIR/results, not bench/results.
const ONLY = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(",").map((s) => s.trim()).filter(Boolean)) : null;
const wanted = (key) => !ONLY || ONLY.has(key) || ONLY.has(key.replace(/[0-9k]+$/, ""));
// BENCH_PHASES=1: the first-event measures also log when each phase happened
// (from the CDP Network domain and the pages' performance marks).
const PHASES = env.BENCH_PHASES === "1";
// BENCH_CLIENTS=echo-rs,echo-rs-old …: measure these pages of bench/pages
// instead (variants of a page, compared round by round); with BENCH_ONLY.
const CLIENTS = env.BENCH_CLIENTS ? env.BENCH_CLIENTS.split(",") : ["floor", "laravel-echo", "echo-rs"];
// The echo-rs page with `listen` (`&Value`) listeners instead of typed ones;
// measured for delivery only, next to the others.
const VALUE_PAGE = "echo-rs-value";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error("[bench]", ...a);

// ---------------------------------------------------------------- Sockudo
let sockudo = null;
async function startSockudo() {
  sockudo = spawn(path.join(ROOT, "scripts/sockudo.sh"), [], {
    env: { ...env, REVERB_PORT: String(CFG.port), REVERB_HOST: CFG.host },
    stdio: ["ignore", fs.openSync(path.join(env.RUN_DIR || "/tmp/bench-run", "sockudo.log"), "a"), "inherit"],
  });
  // "<pid> <process name>", as scripts/services.sh writes it: stop_services
  // (bench.sh's exit trap) stops the pid only while it still runs sockudo.
  fs.writeFileSync(path.join(env.RUN_DIR || "/tmp/bench-run", "sockudo.pid"), `${sockudo.pid} sockudo\n`);
  const tUp = await waitForPort(CFG.port, 60_000);
  for (let i = 0; i < 400; i++) {
    try {
      const r = await fetch(`http://${CFG.host}:${CFG.port}/up/${CFG.appId}`);
      if (r.ok) return tUp;
    } catch {}
    await sleep(25);
  }
  throw new Error("Sockudo did not come up");
}
async function stopSockudo() {
  if (!sockudo) return;
  const proc = sockudo;
  sockudo = null;
  const exited = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGTERM");
  await Promise.race([exited, sleep(10_000)]);
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill("SIGKILL");
    await exited;
  }
}
// Epoch ms of the first accepted TCP connection, polling every 5 ms.
async function waitForPort(port, timeout) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, CFG.host);
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return Publisher.now();
    await sleep(5);
  }
  throw new Error(`port ${port} did not open`);
}

// ---------------------------------------------------------------- pages
let browser;
async function openPage(client, query = "", { phases = false } = {}) {
  if (client === VALUE_PAGE) {
    client = "echo-rs";
    query = `?listener=value${query ? `&${query.slice(1)}` : ""}`;
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (e) => log(`${client} page error:`, e.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
  const trace = phases ? await tracePhases(cdp) : null;
  await page.goto(`http://127.0.0.1:${CFG.benchPort}/${client}.html${query}`);
  return { page, cdp, context, trace, close: () => context.close() };
}

// Records network timestamps (CDP Network domain, monotonic seconds) of one
// page load; `phases()` turns them into ms since the document's request.
async function tracePhases(cdp) {
  const requests = new Map(); // requestId -> { url, sent, response, finished }
  const frames = []; // { dir, t, event, channel }
  let ws = {};
  const frame = (dir) => (e) => {
    try {
      const m = JSON.parse(e.response.payloadData);
      frames.push({ dir, t: e.timestamp, event: m.event, channel: m.channel ?? (typeof m.data === "object" ? m.data?.channel : undefined) });
    } catch {}
  };
  cdp.on("Network.requestWillBeSent", (e) => requests.set(e.requestId, { url: e.request.url, sent: e.timestamp }));
  cdp.on("Network.responseReceived", (e) => { const r = requests.get(e.requestId); if (r) r.response = e.timestamp; });
  cdp.on("Network.loadingFinished", (e) => { const r = requests.get(e.requestId); if (r) r.finished = e.timestamp; });
  cdp.on("Network.webSocketWillSendHandshakeRequest", (e) => (ws.open ??= e.timestamp));
  cdp.on("Network.webSocketHandshakeResponseReceived", (e) => (ws.opened ??= e.timestamp));
  cdp.on("Network.webSocketFrameReceived", frame("in"));
  cdp.on("Network.webSocketFrameSent", frame("out"));
  await cdp.send("Network.enable");
  return {
    async phases(page) {
      const reqs = [...requests.values()];
      const doc = reqs.find((r) => r.url.includes(".html"));
      if (!doc) return null;
      const ms = (t) => (t == null ? null : (t - doc.sent) * 1000);
      const first = (xs) => (xs.length ? Math.min(...xs) : null);
      const last = (xs) => (xs.length ? Math.max(...xs) : null);
      const of = (pred, key) => reqs.filter((r) => pred(r.url)).map((r) => r[key]).filter((t) => t != null);
      const script = (u) => u.endsWith(".js") && !u.endsWith("common.js");
      const auth = (u) => u.endsWith("/auth");
      const inFrames = (ev) => frames.filter((f) => f.dir === "in" && f.event === ev);
      const outFrames = (ev) => frames.filter((f) => f.dir === "out" && f.event === ev);
      // The first frame of each channel: the moment the last channel had one.
      const firstPer = (fs) => { const m = new Map(); for (const f of fs) if (!m.has(f.channel)) m.set(f.channel, f.t); return [...m.values()]; };
      const wasmFetches = of((u) => u.endsWith(".wasm"), "sent").length;
      if (wasmFetches > 1) log(`the wasm was fetched ${wasmFetches} times (a preload not taken?)`);
      const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType("mark").map((m) => [m.name, m.startTime])));
      const out = {
        html: ms(doc.finished),
        "script loaded": ms(last(of(script, "finished"))),
        "wasm requested": ms(first(of((u) => u.endsWith(".wasm"), "sent"))),
        "wasm loaded": ms(first(of((u) => u.endsWith(".wasm"), "finished"))),
        ...marks,
        "ws handshake sent": ms(ws.open),
        "ws open": ms(ws.opened),
        connection_established: ms(inFrames("pusher:connection_established")[0]?.t),
        "auth sent, first": ms(first(of(auth, "sent"))),
        "auth sent, last": ms(last(of(auth, "sent"))),
        "auth answered, first": ms(first(of(auth, "finished"))),
        "auth answered, last": ms(last(of(auth, "finished"))),
        "subscribe sent, first": ms(first(outFrames("pusher:subscribe").map((f) => f.t))),
        "subscribe sent, last": ms(last(outFrames("pusher:subscribe").map((f) => f.t))),
        "succeeded, last": ms(last(inFrames("pusher_internal:subscription_succeeded").map((f) => f.t))),
        "event frame, first": ms(first(inFrames("bench").map((f) => f.t))),
        "event frame on every channel": ms(last(firstPer(inFrames("bench")))),
      };
      return out;
    },
  };
}
async function waitFor(page, fn, arg, timeout = 30_000) {
  try {
    await page.waitForFunction(fn, arg, { timeout, polling: 10 });
    return true;
  } catch {
    return false;
  }
}
// Polls `expression` every 10 ms through CDP Runtime.evaluate until it is
// truthy; returns its value (null on timeout). Used while a page loads:
// Playwright's waitForFunction first injects its own script (about 15 ms of
// parsing on this machine's main thread), which would land in whatever phase
// the page is in at that moment.
async function pollCdp(cdp, expression, timeout) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    try {
      const { result } = await cdp.send("Runtime.evaluate", { expression, returnByValue: true });
      if (result.value) return result.value;
    } catch {} // the page is still navigating
    await sleep(10);
  }
  return null;
}

// Polls every 100 ms (rarely, so the polls cost the page little CPU) until
// `total` events arrived or none came for 1.5 s (the server drops events for
// a client that falls behind).
async function settle(page, total) {
  let last = -1, since = Date.now();
  for (;;) {
    const n = await page.evaluate(() => B.stats().count);
    if (n >= total) return true;
    if (n !== last) (last = n), (since = Date.now());
    else if (Date.now() - since > 1500) return false;
    await sleep(100);
  }
}
async function startClient(p) {
  await p.page.waitForFunction(() => window.B, null, { timeout: 20_000 });
  await p.page.evaluate((c) => B.start(c), { key: CFG.key, host: CFG.host, port: CFG.port, authEndpoint: "/auth" });
  if (!(await waitFor(p.page, () => B.state() === "connected"))) throw new Error("client did not connect");
}
async function subscribe(p, names, priv = false) {
  await p.page.evaluate(
    ([names, priv]) => {
      B.reset(0, 0, names.length);
      names.forEach((n, i) => B.subscribe(n, priv, i));
    },
    [names, priv],
  );
  if (!(await waitFor(p.page, (n) => B.stats().subscribed >= n, names.length))) throw new Error("subscriptions did not succeed");
}
async function metrics(cdp) {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}
async function heapBytes(p) {
  await p.cdp.send("HeapProfiler.collectGarbage");
  await sleep(100);
  await p.cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await p.cdp.send("Runtime.getHeapUsage");
  const wasm = await p.page.evaluate(() => B.wasmBytes());
  return { js: usedSize, wasm, total: usedSize + wasm };
}

// ---------------------------------------------------------------- payloads
// Event data like a broadcast Laravel model list: {t, items:[{id, name, …}]},
// padded to about `bytes` of JSON.
function payload(bytes) {
  const items = [];
  const base = { t: 1.7e12 + 0.123, items };
  for (let i = 0; JSON.stringify(base).length < bytes - 90; i++) {
    items.push({ id: i + 1, name: `Room ${i + 1}`, price: 120.5 + i, available: i % 2 === 0, tags: ["sea", "view"] });
  }
  const rest = bytes - JSON.stringify(base).length - 8;
  if (rest > 0) base.note = "x".repeat(rest);
  delete base.t;
  return base;
}
const withT = (t, body) => ({ t, ...body });

// ---------------------------------------------------------------- stats
const median = (xs) => {
  const v = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : null;
};
const percentile = (xs, p) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))] : null;
};

// ---------------------------------------------------------------- measures
const pub = new Publisher(CFG);
// The publisher sends each event's data through JSON.stringify; `t` first.
pub.post = ((post) => (events) => post(events.map((e) => ({ ...e, data: withT(e.data.t, e.data.p) }))))(pub.post.bind(pub));

async function delivery(bytes, total, rounds) {
  const body = payload(bytes);
  const clients = [...CLIENTS, VALUE_PAGE];
  const out = Object.fromEntries(clients.map((c) => [c, { rate: [], cpu: [], script: [], lost: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (const client of clients) {
      const p = await openPage(client);
      try {
        await startClient(p);
        await subscribe(p, ["delivery"]);
        await p.page.evaluate(() => B.reset(0, 0, 0));
        const m0 = await metrics(p.cdp);
        await pub.flood("delivery", total, body);
        const done = await settle(p.page, total);
        const m1 = await metrics(p.cdp);
        const s = await p.page.evaluate(() => B.stats());
        out[client].rate.push(s.count > 1 ? ((s.count - 1) * 1000) / (s.lastAt - s.firstAt) : null);
        out[client].cpu.push(s.count ? ((m1.TaskDuration - m0.TaskDuration) * 1e6) / s.count : null);
        out[client].script.push(s.count ? ((m1.ScriptDuration - m0.ScriptDuration) * 1e6) / s.count : null);
        out[client].lost.push(total - s.count);
        log(`delivery ${bytes} B ${client}: ${s.count}/${total}${done ? "" : " (the rest dropped)"}, ${out[client].rate.at(-1)?.toFixed(0)} ev/s, ${out[client].cpu.at(-1)?.toFixed(1)} µs/ev`);
      } finally {
        await p.close();
      }
    }
  }
  return Object.fromEntries(clients.map((c) => [c, { rate: median(out[c].rate), cpu: median(out[c].cpu), script: median(out[c].script), lost: Math.max(...out[c].lost) }]));
}

// p50 and p99 are the medians of the rounds' own p50 and p99: one round in
// which the machine stalled (it happens to every client here, the floor too)
// would otherwise decide a pooled p99.
async function latency(rate, seconds, rounds) {
  const body = payload(200);
  const out = Object.fromEntries(CLIENTS.map((c) => [c, { p50: [], p99: [], lost: 0 }]));
  for (let r = 0; r < rounds; r++) {
    for (const client of CLIENTS) {
      const p = await openPage(client);
      try {
        await startClient(p);
        await subscribe(p, ["latency"]);
        await p.page.evaluate((n) => B.reset(n, 0, 0), rate * seconds + 100);
        const sent = await pub.steady("latency", rate, seconds, body);
        await waitFor(p.page, (n) => B.stats().count >= n, sent, 20_000);
        const lat = await p.page.evaluate(() => B.latencies());
        out[client].p50.push(percentile(lat, 50));
        out[client].p99.push(percentile(lat, 99));
        out[client].lost += sent - lat.length;
        log(`latency ${rate}/s ${client}: ${lat.length}/${sent}, p50 ${percentile(lat, 50)?.toFixed(2)} ms, p99 ${percentile(lat, 99)?.toFixed(2)} ms`);
      } finally {
        await p.close();
      }
    }
  }
  return Object.fromEntries(CLIENTS.map((c) => [c, { p50: median(out[c].p50), p99: median(out[c].p99), lost: out[c].lost, rounds: { p50: out[c].p50, p99: out[c].p99 } }]));
}

async function firstEvent(channels, rounds) {
  const names = Array.from({ length: channels }, (_, i) => `private-first-${channels}-${i}`);
  const stop = pub.background(names, payload(200), 5);
  const out = Object.fromEntries(CLIENTS.map((c) => [c, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const client of CLIENTS) {
        const q = `?auto=1&channels=${channels}&private=1&prefix=first-${channels}-&key=${CFG.key}&host=${CFG.host}&port=${CFG.port}`;
        const p = await openPage(client, q, { phases: PHASES });
        try {
          const at = await pollCdp(p.cdp, "window.B ? B.stats().allSeenAt : 0", 20_000);
          out[client].push(at);
          log(`first event, ${channels} private channel(s), ${client}: ${at?.toFixed(1)} ms`);
          if (p.trace) {
            const ph = await p.trace.phases(p.page);
            (phaseLog[`first${channels}`] ??= Object.fromEntries(CLIENTS.map((c) => [c, []])))[client].push({ ...ph, "listener saw all": at });
          }
        } finally {
          await p.close();
        }
      }
    }
  } finally {
    await stop();
  }
  return Object.fromEntries(CLIENTS.map((c) => [c, median(out[c])]));
}

// Per measure, per client, one phase record per round (BENCH_PHASES=1).
const phaseLog = {};
function phaseTable(key) {
  const byClient = phaseLog[key];
  const names = [...new Set(CLIENTS.flatMap((c) => byClient[c].flatMap((r) => Object.keys(r))))];
  const rowsOf = names.map((n) => [n, ...CLIENTS.map((c) => median(byClient[c].map((r) => r[n])))]);
  rowsOf.sort((a, b) => (a.at(-1) ?? a[2] ?? 1e9) - (b.at(-1) ?? b[2] ?? 1e9));
  const f = (x) => (x == null ? "" : x.toFixed(1));
  return [`phases of ${key} (median ms since the document request):`, `| phase | ${CLIENTS.join(" | ")} |`, `|---|${CLIENTS.map(() => "---:").join("|")}|`,
    ...rowsOf.map(([n, ...v]) => `| ${n} | ${v.map(f).join(" | ")} |`)].join("\n");
}

async function reconnect(channels, rounds) {
  const names = Array.from({ length: channels }, (_, i) => `reconnect-${i}`);
  const out = Object.fromEntries(CLIENTS.map((c) => [c, []]));
  for (let r = 0; r < rounds; r++) {
    for (const client of CLIENTS) {
      const p = await openPage(client);
      try {
        await startClient(p);
        await subscribe(p, names);
        await p.page.evaluate((n) => B.reset(0, 0, n), channels);
        await stopSockudo();
        await waitFor(p.page, () => B.state() !== "connected", null, 10_000);
        await sleep(1000);
        const tUp = await startSockudo();
        const ok = await waitFor(p.page, () => B.stats().allSubscribedAt > 0, null, 60_000);
        const at = ok ? (await p.page.evaluate(() => B.stats().allSubscribedAt)) - tUp : null;
        out[client].push(at);
        log(`reconnect, ${channels} channels, ${client}: ${at?.toFixed(1)} ms`);
      } finally {
        await p.close();
      }
    }
  }
  return Object.fromEntries(CLIENTS.map((c) => [c, median(out[c])]));
}

async function memory(channels, cycles, rounds) {
  const out = Object.fromEntries(CLIENTS.map((c) => [c, { after: [], growth: [], js: [], wasm: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (const client of CLIENTS) {
      const p = await openPage(client);
      try {
        await startClient(p);
        await subscribe(p, Array.from({ length: channels }, (_, i) => `memory-${i}`));
        await sleep(300);
        const m1 = await heapBytes(p);
        for (let done = 0; done < cycles; done += 500) {
          await p.page.evaluate(
            async ([from, n]) => {
              for (let i = from; i < from + n; i++) {
                B.subscribe(`cycle-${i}`, false, 0);
                B.leave(`cycle-${i}`);
              }
              await new Promise((r) => setTimeout(r, 0));
            },
            [done, Math.min(500, cycles - done)],
          );
        }
        await sleep(2000);
        const m2 = await heapBytes(p);
        out[client].after.push(m1.total);
        out[client].js.push(m1.js);
        out[client].wasm.push(m1.wasm);
        out[client].growth.push(m2.total - m1.total);
        log(`memory ${client}: ${(m1.total / 1024).toFixed(0)} KiB after ${channels} channels (js ${(m1.js / 1024).toFixed(0)}, wasm ${(m1.wasm / 1024).toFixed(0)}), +${((m2.total - m1.total) / 1024).toFixed(0)} KiB after ${cycles} cycles`);
      } finally {
        await p.close();
      }
    }
  }
  return Object.fromEntries(CLIENTS.map((c) => [c, { after: median(out[c].after), js: median(out[c].js), wasm: median(out[c].wasm), growth: median(out[c].growth) }]));
}

function sizes() {
  const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
  const raw = (file) => fs.statSync(file).size;
  const dist = path.join(HERE, "dist");
  const page = (dir) => {
    const files = [`${dir}/echo_rs_bench_page_bg.wasm`, `${dir}/echo_rs_bench_page.js`].map((f) => path.join(dist, f));
    return { gzip: files.map(gz).reduce((a, b) => a + b), raw: files.map(raw).reduce((a, b) => a + b), wasmGzip: gz(files[0]), glueGzip: gz(files[1]) };
  };
  const le = path.join(dist, "laravel-echo.min.js");
  return {
    floor: { gzip: 0, raw: 0 },
    "laravel-echo": { gzip: gz(le), raw: raw(le) },
    // echo-rs with `listen` listeners (the library); the page as measured, with its typed listener.
    "echo-rs": page("echo-rs-untyped"),
    "echo-rs-typed": page("echo-rs"),
  };
}

// ---------------------------------------------------------------- main
async function main() {
  const started = Date.now();
  fs.mkdirSync(env.RUN_DIR || "/tmp/bench-run", { recursive: true });
  const server = await startServer({ root: HERE, port: CFG.benchPort, key: CFG.key, secret: CFG.secret });
  await startSockudo();
  browser = await chromium.launch({
    executablePath: env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const R = QUICK ? 1 : 3;
  const results = { size: sizes() };
  try {
    if (wanted("delivery200")) results.delivery200 = await delivery(200, QUICK ? 5000 : 20000, R);
    if (wanted("delivery5k")) results.delivery5k = await delivery(5 * 1024, QUICK ? 1000 : 4000, R);
    if (wanted("latency100")) results.latency100 = await latency(100, 3, Number(env.BENCH_LATENCY_ROUNDS) || (QUICK ? 1 : 5));
    if (wanted("latency2000")) results.latency2000 = await latency(2000, 3, Number(env.BENCH_LATENCY_ROUNDS) || (QUICK ? 1 : 5));
    const firstRounds = Number(env.BENCH_FIRST_ROUNDS) || (QUICK ? 2 : 15);
    if (wanted("first1")) results.first1 = await firstEvent(1, firstRounds);
    if (wanted("first20")) results.first20 = await firstEvent(20, firstRounds);
    if (wanted("reconnect")) results.reconnect = await reconnect(100, R);
    if (wanted("memory")) results.memory = await memory(1000, 10000, QUICK ? 1 : 2);
    for (const key of Object.keys(phaseLog)) log(phaseTable(key));
    if (PHASES) results.phases = phaseLog;
  } finally {
    const version = browser.version();
    await browser.close();
    await stopSockudo();
    server.close();
    results.machine = {
      date: new Date().toISOString().slice(0, 10),
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      os: fs.existsSync("/etc/debian_version") ? `Debian ${fs.readFileSync("/etc/debian_version", "utf8").trim()}` : os.type(),
      chromium: version,
      node: process.version,
      seconds: Math.round((Date.now() - started) / 1000),
      quick: QUICK,
    };
  }
  // A partial or quick run is a trial: bench/results keeps the latest full run.
  const outDir = ONLY || QUICK ? path.join(env.RUN_DIR || "/tmp/bench-run", "results") : path.join(HERE, "results");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "latest.json"), JSON.stringify(results, null, 2) + "\n");
  const md = writeReport(results, outDir);
  console.log(md);
}

main().catch(async (e) => {
  console.error(e);
  await stopSockudo().catch(() => {});
  process.exit(1);
});
