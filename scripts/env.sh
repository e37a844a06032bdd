# Shared settings for the project's scripts; sourced, not run.
# Every value can be overridden from the environment.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${RUN_DIR:-$ROOT/.run}"
mkdir -p "$RUN_DIR"

# The WebSocket server's app, named like Laravel's REVERB_* settings.
export REVERB_APP_ID="${REVERB_APP_ID:-echo-rs-app}"
export REVERB_APP_KEY="${REVERB_APP_KEY:-local-key}"
export REVERB_APP_SECRET="${REVERB_APP_SECRET:-local-secret}"
export REVERB_HOST="${REVERB_HOST:-127.0.0.1}"
export REVERB_PORT="${REVERB_PORT:-6001}"
export REVERB_SCHEME="${REVERB_SCHEME:-http}"

# The stand-in Laravel API.
export API_HOST="${API_HOST:-127.0.0.1}"
export API_PORT="${API_PORT:-8000}"

# The demo frontend (trunk serve), and what it compiles in (where a Laravel + Vite app reads VITE_REVERB_*).
export DEMO_PORT="${DEMO_PORT:-8080}"
export DEMO_OFF_PORT="${DEMO_OFF_PORT:-8090}" # the demo built with realtime off, for tests
export YEW_DEMO_PORT="${YEW_DEMO_PORT:-8081}" # the Yew version of the demo (demo/yew-app)
export ECHO_WS_KEY="${ECHO_WS_KEY-$REVERB_APP_KEY}"
export ECHO_WS_PORT="${ECHO_WS_PORT:-$REVERB_PORT}"
export ECHO_WS_SCHEME="${ECHO_WS_SCHEME:-$REVERB_SCHEME}"

# The test fixture that stops and starts Sockudo on request (browser tests).
export FAULT_CONTROL_PORT="${FAULT_CONTROL_PORT:-6099}"

# Pinned tool versions.
SOCKUDO_VERSION="5.2.0"
TRUNK_VERSION="0.21.14"

export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }
