# Starting and stopping the demo's services; sourced after env.sh.
# Each service logs to $RUN_DIR/<name>.log and records its pid in
# $RUN_DIR/<name>.pid.

PIDS=()

wait_for_http() { # url name seconds
  local url="$1" name="$2" seconds="${3:-60}"
  for _ in $(seq $((seconds * 4))); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.25
  done
  tail -n 30 "$RUN_DIR/$name.log" >&2 || true
  die "$name did not answer at $url within ${seconds}s (log: $RUN_DIR/$name.log)"
}

port_free() { ! (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_bg() { # name dir command...
  local name="$1" dir="$2"; shift 2
  (cd "$dir" && exec "$@") >"$RUN_DIR/$name.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$RUN_DIR/$name.pid"
  PIDS+=("$pid")
}

start_sockudo() {
  command -v sockudo >/dev/null || die "sockudo is not installed: run scripts/install.sh"
  port_free "$REVERB_PORT" || die "port $REVERB_PORT is taken: stop what listens there or set REVERB_PORT"
  log "starting Sockudo on $REVERB_HOST:$REVERB_PORT (app $REVERB_APP_ID, key $REVERB_APP_KEY)"
  # Run in $RUN_DIR so that no config/ folder of ours is picked up. The rate
  # limiter is off: it allows 20 WebSocket connections a minute per IP, and a
  # test run opens more than that from 127.0.0.1.
  start_bg sockudo "$RUN_DIR" env HOST="$REVERB_HOST" PORT="$REVERB_PORT" \
    SOCKUDO_DEFAULT_APP_ID="$REVERB_APP_ID" \
    SOCKUDO_DEFAULT_APP_KEY="$REVERB_APP_KEY" \
    SOCKUDO_DEFAULT_APP_SECRET="$REVERB_APP_SECRET" \
    SOCKUDO_DEFAULT_APP_ENABLE_CLIENT_MESSAGES=true \
    SOCKUDO_ENABLE_CLIENT_MESSAGES=true \
    METRICS_ENABLED=false \
    RATE_LIMITER_ENABLED=false \
    sockudo
  wait_for_http "http://$REVERB_HOST:$REVERB_PORT/up/$REVERB_APP_ID" sockudo 60
}

start_api() {
  log "building the demo API"
  cargo build -q -p echo-demo-api --manifest-path "$ROOT/Cargo.toml"
  port_free "$API_PORT" || die "port $API_PORT is taken: stop what listens there or set API_PORT"
  log "starting the demo API on $API_HOST:$API_PORT"
  start_bg api "$ROOT" "$ROOT/target/debug/echo-demo-api"
  wait_for_http "http://$API_HOST:$API_PORT/up" api 60
}

start_trunk() { # extra trunk serve args...
  port_free "$DEMO_PORT" || die "port $DEMO_PORT is taken: stop what listens there or set DEMO_PORT"
  log "trunk serve on http://127.0.0.1:$DEMO_PORT (first build takes a few minutes)"
  start_bg trunk "$ROOT" trunk serve --port "$DEMO_PORT" "$@"
  wait_for_http "http://127.0.0.1:$DEMO_PORT/" trunk 900
}

stop_services() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}
