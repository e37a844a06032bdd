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
  start_bg sockudo "$ROOT" "$ROOT/scripts/sockudo.sh"
  wait_for_http "http://$REVERB_HOST:$REVERB_PORT/up/$REVERB_APP_ID" sockudo 60
}

start_api() {
  log "building the demo API"
  cargo build -q -p echo-demo-api --manifest-path "$ROOT/Cargo.toml"
  port_free "$API_PORT" || die "port $API_PORT is taken: stop what listens there or set API_PORT"
  log "starting the demo API on $API_HOST:$API_PORT"
  start_bg api "$ROOT" "${CARGO_TARGET_DIR:-$ROOT/target}/debug/echo-demo-api"
  wait_for_http "http://$API_HOST:$API_PORT/up" api 60
}

# The trunk config to serve with: Trunk.toml proxies /api and /broadcasting
# to 127.0.0.1:8000; for another API_HOST/API_PORT a copy pointing there is
# written to the run directory, with absolute paths (trunk reads a config's
# relative paths from the config's own folder). Sets TRUNK_CONFIG to the
# arguments to add.
trunk_config() { # name
  TRUNK_CONFIG=()
  [ "$API_HOST:$API_PORT" = "127.0.0.1:8000" ] && return 0
  local file="$RUN_DIR/Trunk.$1.toml"
  sed -e "s|^target = \"index.html\"|target = \"$ROOT/index.html\"|" \
    -e "s|^dist = \"dist\"|dist = \"$ROOT/dist\"|" \
    -e "s|^watch = \[\"index.html\", \"crates\", \"demo/app\"\]|watch = [\"$ROOT/index.html\", \"$ROOT/crates\", \"$ROOT/demo/app\"]|" \
    -e "s|http://127.0.0.1:8000/|http://$API_HOST:$API_PORT/|" "$ROOT/Trunk.toml" >"$file"
  grep -q "http://$API_HOST:$API_PORT/api/" "$file" || die "could not point $file at the API on $API_HOST:$API_PORT"
  TRUNK_CONFIG=(--config "$file")
}

start_trunk() { # [name port [extra trunk serve args...]]
  local name="${1:-trunk}" port="${2:-$DEMO_PORT}"
  shift 2 2>/dev/null || shift $#
  port_free "$port" || die "port $port is taken: stop what listens there or set DEMO_PORT"
  trunk_config "$name"
  log "trunk serve ($name) on http://127.0.0.1:$port (the first build takes a few minutes)"
  start_bg "$name" "$ROOT" trunk "${TRUNK_CONFIG[@]}" serve --port "$port" "$@"
  wait_for_http "http://127.0.0.1:$port/" "$name" 900
}

start_fault_control() {
  port_free "$FAULT_CONTROL_PORT" || die "port $FAULT_CONTROL_PORT is taken: set FAULT_CONTROL_PORT"
  log "starting the fault-control fixture on 127.0.0.1:$FAULT_CONTROL_PORT"
  start_bg fault-control "$ROOT" python3 "$ROOT/scripts/fault_control.py"
  wait_for_http "http://127.0.0.1:$FAULT_CONTROL_PORT/up" fault-control 20
}

stop_services() {
  local pid file
  # Services restarted by the fault-control fixture are known by pid file only.
  for file in "$RUN_DIR"/*.pid; do
    [ -f "$file" ] && PIDS+=("$(cat "$file")")
  done
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  done
  PIDS=()
}
