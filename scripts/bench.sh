#!/usr/bin/env bash
# Benchmarks echo-rs against laravel-echo + pusher-js and a raw WebSocket
# floor in headless Chromium against a local Sockudo, all in one run
# (bench/run.mjs), and writes bench/results/latest.{md,svg,json}.
# Not part of scripts/test.sh. Traffic stays on 127.0.0.1; about 6 minutes.
#   BENCH_QUICK=1 scripts/bench.sh   fewer rounds (one of most measures, two of
#       first event), to try it out
#   BENCH_REVERB_PORT (6301), BENCH_PORT (6302, pages and /auth) and
#   BENCH_RUN_DIR (/tmp/bench-run): the run's Sockudo port, page server port
#       and directory, apart from dev and test runs
#   BENCH_ONLY=first1,first20,latency100 scripts/bench.sh
#       only these measures (delivery200 delivery5k latency100 latency2000
#       first1 first20 reconnect memory, or the groups delivery latency
#       first); results of partial and quick runs go to $BENCH_RUN_DIR/results
#       and bench/results/latest.* stay as they are
#   BENCH_FIRST_ROUNDS=N   rounds of each first-event measure (default 15, quick 2)
#   BENCH_LATENCY_ROUNDS=N rounds of each latency measure (default 5, quick 1)
#   BENCH_CLIENTS=floor,laravel-echo,echo-rs   the pages of bench/pages to
#       measure, round by round (e.g. a variant of a page next to it); with
#       BENCH_ONLY. bench.sh rebuilds bench/dist: to measure variants with files
#       of their own, run bench/run.mjs directly (same environment)
#   BENCH_PHASES=1   the first-event measures also print the median time of
#       each phase per client (wasm/script loaded, socket open,
#       connection_established, auth sent/answered, pusher:subscribe sent,
#       subscription_succeeded, first event), from CDP Network events
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/services.sh"

# Ports and a run directory of its own, apart from dev and test runs.
export REVERB_PORT="${BENCH_REVERB_PORT:-6301}"
export BENCH_PORT="${BENCH_PORT:-6302}"
export RUN_DIR="${BENCH_RUN_DIR:-/tmp/bench-run}"
mkdir -p "$RUN_DIR"
source "$(dirname "$0")/page.sh"

for tool in sockudo wasm-bindgen /usr/bin/chromium node; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install.sh"
done
(echo >"/dev/tcp/127.0.0.1/$REVERB_PORT") 2>/dev/null && die "port $REVERB_PORT is taken: set BENCH_REVERB_PORT"
(echo >"/dev/tcp/127.0.0.1/$BENCH_PORT") 2>/dev/null && die "port $BENCH_PORT is taken: set BENCH_PORT"

log "npm ci in tools/ and bench/ (wasm-opt, playwright-core, laravel-echo, pusher-js, esbuild)"
(cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error)
page_tools

log "building the laravel-echo page's bundle (esbuild --minify)"
rm -rf "$BENCH/dist"
"$ESBUILD" "$BENCH/src/laravel-echo-entry.js" --bundle --minify --format=iife \
  --log-level=warning --outfile="$BENCH/dist/laravel-echo.min.js"

# The page without its typed listener, for the size of echo-rs itself (a
# serde-derived type brings core's float formatting along; see bench/README.md).
log "building the echo-rs page with \`listen\` listeners only (for its size)"
build_page "$BENCH/dist/echo-rs-untyped" --no-default-features
log "building the echo-rs page (release, wasm-bindgen --target web, wasm-opt -Oz)"
build_page "$BENCH/dist/echo-rs"

# run.mjs starts (and restarts) Sockudo itself and records it in
# $RUN_DIR/sockudo.pid; make sure it is gone after.
trap stop_services EXIT INT TERM

log "running the benchmark (three clients, interleaved)"
timeout 900 node "$BENCH/run.mjs"
if [ -n "${BENCH_ONLY:-}" ] || [ "${BENCH_QUICK:-}" = 1 ]; then
  log "wrote $RUN_DIR/results/latest.{md,svg,json} (a trial run; bench/results untouched)"
else
  log "wrote bench/results/latest.md, latest.svg and latest.json"
fi
