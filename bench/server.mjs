// The bench's own HTTP server: serves bench/pages and bench/dist, and signs
// private channels at POST /auth (HMAC-SHA256 of "socket_id:channel" with the
// app secret, which stays here and never reaches a page).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

export function startServer({ root, port, key, secret }) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    if (req.method === "POST" && url.pathname === "/auth") {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const form = new URLSearchParams(body);
        const socketId = form.get("socket_id"), channel = form.get("channel_name");
        const sig = crypto.createHmac("sha256", secret).update(`${socketId}:${channel}`).digest("hex");
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ auth: `${key}:${sig}` }));
      });
      return;
    }
    const rel = url.pathname.startsWith("/dist/") ? url.pathname : path.join("/pages", url.pathname);
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream", "Cache-Control": "no-store" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
