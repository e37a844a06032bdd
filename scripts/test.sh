#!/usr/bin/env bash
# Runs every test: native unit and protocol tests and the echo-leptos hooks
# (echo-yew's run in the browser),
# in each feature combination the crates offer (default, no default features,
# rustls), browser tests (headless Chromium) and native tests (TokioRuntime)
# against a real Sockudo, and the end-to-end demo tests (Playwright; the
# Leptos demo and its Yew version).
# Installs what is missing first; starts and stops the services it needs.
# A missing tool fails the run, naming what is missing; nothing is skipped.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/services.sh"

"$ROOT/scripts/install.sh"
for tool in sockudo trunk wasm-bindgen wasm-bindgen-test-runner wasm-opt /usr/bin/chromium /usr/bin/chromedriver node; do
  command -v "$tool" >/dev/null || die "$tool is missing: scripts/install.sh should have installed it"
done

log "native tests (protocol core, client on the test double, echo-leptos hooks, demo API)"
cargo test --manifest-path "$ROOT/Cargo.toml" --workspace --exclude echo-demo-app --exclude echo-demo-yew --exclude echo-rs-bench-page

# The tests compiled only under other features: without `encryption` (an
# encrypted channel refused at authorization), and with `rustls` (wss:// and
# https:// open a TLS handshake, on loopback; the tokio runtime's doc example).
log "native tests without default features (no encryption)"
cargo test --manifest-path "$ROOT/Cargo.toml" -p echo-proto -p laravel-echo-rs --no-default-features --lib --tests
log "native tests with rustls (TLS on loopback)"
cargo test --manifest-path "$ROOT/Cargo.toml" -p laravel-echo-rs --features rustls --lib --test native_tls
cargo test --manifest-path "$ROOT/Cargo.toml" -p laravel-echo-rs --features rustls --doc

log "API docs: rustdoc without a warning (broken links included), native and wasm32"
RUSTDOCFLAGS="-D warnings" cargo doc -q --manifest-path "$ROOT/Cargo.toml" --no-deps -p echo-proto -p laravel-echo-rs \
  --features laravel-echo-rs/tokio
RUSTDOCFLAGS="-D warnings" cargo doc -q --manifest-path "$ROOT/Cargo.toml" --no-deps -p laravel-echo-rs -p echo-leptos -p echo-yew \
  --target wasm32-unknown-unknown

log "packaging: cargo publish --dry-run of every library crate"
# A dry run verifies each crate against the others as if from a registry,
# and cargo takes a registry crate of the same version as unchanged: the
# unpacked copies under $CARGO_HOME/registry/src/-<hash>/, target/package and
# the compiled artifacts of an earlier run would be reused, stale or not.
# Remove ours first (these crates are not on crates.io, so every copy is from
# a dry run); the crates themselves rebuild in seconds.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/{echo-proto,laravel-echo-rs,echo-leptos,echo-yew}-[0-9]* \
  "${CARGO_TARGET_DIR:-$ROOT/target}/package"
cargo clean -q --manifest-path "$ROOT/Cargo.toml" -p echo-proto -p laravel-echo-rs -p echo-leptos -p echo-yew
cargo publish --manifest-path "$ROOT/Cargo.toml" --dry-run --allow-dirty -p echo-proto -p laravel-echo-rs -p echo-leptos -p echo-yew

# Fresh database and ports of its own for this run.
export RUN_DIR="$RUN_DIR/test"
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
export DATABASE_PATH="$RUN_DIR/demo.sqlite"
trap stop_services EXIT INT TERM
start_sockudo
start_api
start_fault_control

log "browser tests (wasm-bindgen-test in headless Chromium, against Sockudo)"
export ECHO_TEST_API_URL="http://$API_HOST:$API_PORT"
export ECHO_TEST_FAULT_URL="http://127.0.0.1:$FAULT_CONTROL_PORT"
cargo test --manifest-path "$ROOT/Cargo.toml" -p laravel-echo-rs -p echo-leptos -p echo-yew --target wasm32-unknown-unknown --test '*'

log "native tests (echo-rs on TokioRuntime, against Sockudo and the demo API)"
cargo test --manifest-path "$ROOT/Cargo.toml" -p laravel-echo-rs --features tokio --lib --test native_sockudo
log "the native quick start (crates/echo-rs/examples/tokio.rs) receives an event from Sockudo"
cargo build -q --manifest-path "$ROOT/Cargo.toml" -p laravel-echo-rs --features tokio --example tokio
ECHO_EXAMPLE_EVENTS=1 timeout 60 "${CARGO_TARGET_DIR:-$ROOT/target}/debug/examples/tokio" >"$RUN_DIR/example-tokio.log" 2>&1 &
example=$!
for _ in $(seq 100); do grep -q "connection: connected" "$RUN_DIR/example-tokio.log" && break; sleep 0.1; done
token=$(curl -fsS "http://$API_HOST:$API_PORT/api/login" -H 'Content-Type: application/json' \
  -d '{"email":"admin@casamarcelino.test","password":"admin-password"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
curl -fsS -o /dev/null -X PATCH "http://$API_HOST:$API_PORT/api/admin/rooms/2" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name":"Sunset Suite (example)"}'
wait "$example" || { cat "$RUN_DIR/example-tokio.log" >&2; die "the tokio example did not receive RoomsUpdated"; }
grep -q "rooms changed" "$RUN_DIR/example-tokio.log" || die "the tokio example printed no event"

log "the browser quick starts compile (crates/echo-rs/examples/browser.rs, crates/echo-leptos/examples/leptos.rs)"
cargo build -q --manifest-path "$ROOT/Cargo.toml" -p laravel-echo-rs -p echo-leptos --examples --target wasm32-unknown-unknown

log "fault injection (a cutting/stalling/resetting proxy and a failing auth endpoint, against Sockudo)"
cargo test --manifest-path "$ROOT/Cargo.toml" -p laravel-echo-rs --features tokio --test faults_network

log "end-to-end test (Playwright + Chromium, the demo served by trunk)"
start_trunk
# The same demo built with no key: realtime off.
ECHO_WS_KEY= start_trunk trunk-realtime-off "$DEMO_OFF_PORT" --dist "$RUN_DIR/dist-realtime-off"
# The Yew version of the demo (demo/yew-app; tests/e2e/yew_*.test.cjs), a debug build too.
start_trunk_yew --dist "$RUN_DIR/dist-yew"
DEMO_URL="http://127.0.0.1:$DEMO_PORT" DEMO_OFF_URL="http://127.0.0.1:$DEMO_OFF_PORT" API_URL="http://$API_HOST:$API_PORT" \
  YEW_DEMO_URL="http://127.0.0.1:$YEW_DEMO_PORT" NODE_PATH="$ROOT/tools/node_modules" node --test "$ROOT"/tests/e2e/*.test.cjs

log "security: the app secret is in nothing the browser loads (dist/ as trunk built it)"
"$ROOT/scripts/scan_dist.sh" --no-build
SCAN_DIST="$RUN_DIR/dist-yew" "$ROOT/scripts/scan_dist.sh" --no-build

log "all tests passed"
