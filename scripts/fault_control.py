#!/usr/bin/env python3
"""Test fixture: stops and starts Sockudo on request, so that browser tests
can check that echo-rs recovers from a server crash.

Loopback only. POST /sockudo/kill (SIGKILL, like a crash) and
POST /sockudo/start (runs scripts/sockudo.sh again and waits until it
answers). GET /up for the health check. Sockudo's pid lives in
$RUN_DIR/sockudo.pid as "<pid> sockudo", shared with scripts/services.sh:
a pid is killed only while its command line still runs sockudo.
"""
import http.server
import os
import signal
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN_DIR = os.environ.get("RUN_DIR", os.path.join(ROOT, ".run"))
PID_FILE = os.path.join(RUN_DIR, "sockudo.pid")
PORT = int(os.environ.get("FAULT_CONTROL_PORT", "6099"))
SOCKUDO_UP = "http://{}:{}/up/{}".format(
    os.environ.get("REVERB_HOST", "127.0.0.1"), os.environ.get("REVERB_PORT", "6001"), os.environ.get("REVERB_APP_ID", "echo-rs-app"))


def sockudo_answers():
    try:
        with urllib.request.urlopen(SOCKUDO_UP, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def runs(pid, program):
    """Whether `pid` runs `program`: a word of its command line is `program`,
    by file name and without a .sh or .py suffix (as in scripts/services.sh)."""
    try:
        with open("/proc/{}/cmdline".format(pid), "rb") as f:
            words = f.read().split(b"\0")
    except OSError:
        return False
    for word in words:
        name = os.path.basename(word.decode(errors="replace"))
        for suffix in (".sh", ".py"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        if name == program:
            return True
    return False


def kill():
    try:
        with open(PID_FILE) as f:
            pid, program = f.read().split()[:2]
        pid = int(pid)
        if runs(pid, program):
            os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass
    for _ in range(100):
        if not sockudo_answers():
            return True
        time.sleep(0.05)
    return False


def start():
    if sockudo_answers():
        return True
    log = open(os.path.join(RUN_DIR, "sockudo.log"), "a")
    process = subprocess.Popen([os.path.join(ROOT, "scripts", "sockudo.sh")], stdout=log, stderr=log, start_new_session=True)
    with open(PID_FILE, "w") as f:
        f.write("{} sockudo\n".format(process.pid))
    for _ in range(200):
        if sockudo_answers():
            return True
        time.sleep(0.05)
    return False


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body.encode())

    def do_OPTIONS(self):
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.end_headers()

    def do_GET(self):
        self.reply(200, "ok") if self.path == "/up" else self.reply(404, "unknown")

    def do_POST(self):
        actions = {"/sockudo/kill": kill, "/sockudo/start": start}
        action = actions.get(self.path)
        if action is None:
            return self.reply(404, "unknown action")
        ok = action()
        self.reply(200 if ok else 500, "done" if ok else "failed")

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
