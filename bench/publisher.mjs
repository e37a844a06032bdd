// Triggers events through Sockudo's Pusher HTTP API: POST
// /apps/{id}/batch_events with up to 10 events a request, signed like
// /events (auth_key, auth_timestamp, auth_version, body_md5, auth_signature),
// over keep-alive connections. Several requests are kept in flight for the
// high rates; each event's data carries `t`, the epoch milliseconds
// (performance.timeOrigin + performance.now()) at which it was triggered.
import http from "node:http";
import crypto from "node:crypto";

export class Publisher {
  constructor({ host, port, appId, key, secret }) {
    Object.assign(this, { host, port, appId, key, secret });
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    this.path = `/apps/${appId}/batch_events`;
  }

  static now() {
    return performance.timeOrigin + performance.now();
  }

  // events: [{ channel, name, data (object) }], at most 10.
  post(events) {
    const body = JSON.stringify({ batch: events.map((e) => ({ channel: e.channel, name: e.name, data: JSON.stringify(e.data) })) });
    const params = new URLSearchParams({
      auth_key: this.key,
      auth_timestamp: String(Math.floor(Date.now() / 1000)),
      auth_version: "1.0",
      body_md5: crypto.createHash("md5").update(body).digest("hex"),
    });
    params.sort();
    const query = decodeURIComponent(params.toString());
    const signature = crypto.createHmac("sha256", this.secret).update(`POST\n${this.path}\n${query}`).digest("hex");
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: this.host, port: this.port, method: "POST", path: `${this.path}?${query}&auth_signature=${signature}`, agent: this.agent,
          headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } },
        (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`batch_events ${res.statusCode}: ${text}`))));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  // Sends `total` events to `channel` as fast as it can, `inFlight` requests at a time.
  async flood(channel, total, padding, inFlight = 6) {
    let sent = 0;
    const worker = async () => {
      while (sent < total) {
        const n = Math.min(10, total - sent);
        sent += n;
        const t = Publisher.now();
        const events = [];
        for (let i = 0; i < n; i++) events.push({ channel, name: "bench", data: { t, p: padding } });
        await this.post(events);
      }
    };
    const start = Publisher.now();
    await Promise.all(Array.from({ length: inFlight }, worker));
    return (Publisher.now() - start) / 1000;
  }

  // `rate` events a second to `channel` for `seconds`, in ticks of `tickMs`.
  async steady(channel, rate, seconds, padding, tickMs = 10) {
    const perTick = (rate * tickMs) / 1000;
    const ticks = Math.round((seconds * 1000) / tickMs);
    const start = Publisher.now();
    const pending = [];
    let due = 0, sent = 0;
    for (let k = 0; k < ticks; k++) {
      const wait = start + k * tickMs - Publisher.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      due += perTick;
      while (sent + 1 <= due + 1e-9) {
        const n = Math.min(10, Math.floor(due - sent + 1e-9));
        const t = Publisher.now();
        const events = [];
        for (let i = 0; i < n; i++) events.push({ channel, name: "bench", data: { t, p: padding } });
        sent += n;
        pending.push(this.post(events));
      }
    }
    await Promise.all(pending);
    return sent;
  }

  // Until stop() is called: one event to each channel every `tickMs`.
  background(channels, padding, tickMs = 5) {
    let running = true;
    const loop = (async () => {
      while (running) {
        const t = Publisher.now();
        const posts = [];
        for (let i = 0; i < channels.length; i += 10) {
          posts.push(this.post(channels.slice(i, i + 10).map((channel) => ({ channel, name: "bench", data: { t, p: padding } }))).catch(() => {}));
        }
        await Promise.all(posts);
        await new Promise((r) => setTimeout(r, tickMs));
      }
    })();
    return async () => {
      running = false;
      await loop;
    };
  }
}
