# Starting and stopping the demo's services; sourced after env.sh.
# Each service logs to $RUN_DIR/<name>.log and records "<pid> <process>" in
# $RUN_DIR/<name>.pid, <process> being the program it runs (`sockudo`,
# `echo-demo-api`, `trunk`, `fault_control`); scripts/fault_control.py and
# bench/run.mjs write their Sockudo's pid file the same way. stop_services
# stops a pid only while its command line still runs that program.

# "<pid> <process>" of every service this shell started.
PIDS=()
# Seconds stop_services waits after SIGTERM before it sends SIGKILL.
STOP_TIMEOUT="${STOP_TIMEOUT:-5}"

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

start_bg() { # name process dir command...
  local name="$1" process="$2" dir="$3"; shift 3
  (cd "$dir" && exec "$@") >"$RUN_DIR/$name.log" 2>&1 &
  local pid=$!
  echo "$pid $process" >"$RUN_DIR/$name.pid"
  PIDS+=("$pid $process")
}

# Whether pid $1 runs the program $2: one of the words of its command line is
# $2, by file name and without a .sh or .py suffix (`sockudo`, the script
# scripts/sockudo.sh before it execs sockudo, `python3 …/fault_control.py`).
runs() { # pid process
  local word
  [ -r "/proc/$1/cmdline" ] || return 1
  while IFS= read -r -d '' word; do
    word="${word##*/}"
    word="${word%.sh}"
    word="${word%.py}"
    [ "$word" = "$2" ] && return 0
  done <"/proc/$1/cmdline" 2>/dev/null
  return 1
}

# Whether pid $1 exists and is not a zombie.
alive() { # pid
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}

# Whether pid $1 is a child of this shell (a service just forked by start_bg
# may not have exec'd its program yet).
child_of_this_shell() { # pid
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  stat="${stat#* }"
  [ "${stat%% *}" = "$$" ]
}

start_sockudo() {
  command -v sockudo >/dev/null || die "sockudo is not installed: run scripts/install.sh"
  port_free "$REVERB_PORT" || die "port $REVERB_PORT is taken: stop what listens there or set REVERB_PORT"
  log "starting Sockudo on $REVERB_HOST:$REVERB_PORT (app $REVERB_APP_ID, key $REVERB_APP_KEY)"
  start_bg sockudo sockudo "$ROOT" "$ROOT/scripts/sockudo.sh"
  wait_for_http "http://$REVERB_HOST:$REVERB_PORT/up/$REVERB_APP_ID" sockudo 60
}

start_api() {
  log "building the demo API"
  cargo build -q -p echo-demo-api --manifest-path "$ROOT/Cargo.toml"
  port_free "$API_PORT" || die "port $API_PORT is taken: stop what listens there or set API_PORT"
  log "starting the demo API on $API_HOST:$API_PORT"
  start_bg api echo-demo-api "$ROOT" "${CARGO_TARGET_DIR:-$ROOT/target}/debug/echo-demo-api"
  wait_for_http "http://$API_HOST:$API_PORT/up" api 60
}

# The trunk config to serve with: Trunk.toml (the Leptos demo) or
# demo/yew-app/Trunk.toml (the Yew demo) proxies /api and /broadcasting to
# 127.0.0.1:8000; for another API_HOST/API_PORT a copy pointing there is
# written to the run directory, its relative paths (target, dist, watch)
# made absolute (trunk reads a config's relative paths from the config's
# own folder). Sets TRUNK_CONFIG to the arguments to add: none for the
# root Trunk.toml as it is.
trunk_config() { # name [config]
  local source="${2:-$ROOT/Trunk.toml}"
  local dir="${source%/*}"
  TRUNK_CONFIG=()
  if [ "$API_HOST:$API_PORT" = "127.0.0.1:8000" ]; then
    [ "$source" = "$ROOT/Trunk.toml" ] || TRUNK_CONFIG=(--config "$source")
    return 0
  fi
  local file="$RUN_DIR/Trunk.$1.toml"
  sed -e "/^\(target\|dist\|watch\) = /s|\"\([^\"/][^\"]*\)\"|\"$dir/\1\"|g" \
    -e "s|http://127.0.0.1:8000/|http://$API_HOST:$API_PORT/|" "$source" >"$file"
  grep -q "http://$API_HOST:$API_PORT/api/" "$file" || die "could not point $file at the API on $API_HOST:$API_PORT"
  TRUNK_CONFIG=(--config "$file")
}

start_trunk() { # [name port [extra trunk serve args...]]
  local name="${1:-trunk}" port="${2:-$DEMO_PORT}"
  shift 2 2>/dev/null || shift $#
  port_free "$port" || die "port $port is taken: stop what listens there or set DEMO_PORT"
  trunk_config "$name"
  log "trunk serve ($name) on http://127.0.0.1:$port (the first build takes a few minutes)"
  start_bg "$name" trunk "$ROOT" trunk "${TRUNK_CONFIG[@]}" serve --port "$port" "$@"
  wait_for_http "http://127.0.0.1:$port/" "$name" 900
}

# The Yew demo (demo/yew-app) on $YEW_DEMO_PORT, against the same API and
# WebSocket server.
start_trunk_yew() { # [extra trunk serve args...]
  local name="trunk-yew" port="$YEW_DEMO_PORT"
  port_free "$port" || die "port $port is taken: stop what listens there or set YEW_DEMO_PORT"
  trunk_config "$name" "$ROOT/demo/yew-app/Trunk.toml"
  log "trunk serve ($name, the Yew demo) on http://127.0.0.1:$port (the first build takes a few minutes)"
  start_bg "$name" trunk "$ROOT" trunk "${TRUNK_CONFIG[@]}" serve --port "$port" "$@"
  wait_for_http "http://127.0.0.1:$port/" "$name" 900
}

start_fault_control() {
  port_free "$FAULT_CONTROL_PORT" || die "port $FAULT_CONTROL_PORT is taken: set FAULT_CONTROL_PORT"
  log "starting the fault-control fixture on 127.0.0.1:$FAULT_CONTROL_PORT"
  start_bg fault-control fault_control "$ROOT" python3 "$ROOT/scripts/fault_control.py"
  wait_for_http "http://127.0.0.1:$FAULT_CONTROL_PORT/up" fault-control 20
}

# Waits up to $1 tenths of a second for every pid of the caller's `targets`
# to be gone; the caller's `survivors` then holds those still running.
await_exit() {
  local pid
  for _ in $(seq "$1"); do
    survivors=()
    for pid in "${targets[@]}"; do
      alive "$pid" && survivors+=("$pid")
    done
    [ ${#survivors[@]} -eq 0 ] && return
    sleep 0.1
  done
}

# Stops what this shell started and what the pid files in $RUN_DIR name
# (services restarted by the fault-control fixture or bench/run.mjs are known
# by pid file only): SIGTERM, then SIGKILL for what is still running after
# $STOP_TIMEOUT seconds. A pid is stopped only while it runs the program
# recorded with it, so a stale pid file never stops an unrelated process
# that got its pid. Removes the pid files.
stop_services() {
  local entry pid process file targets=() survivors=()
  for entry in "${PIDS[@]}"; do
    read -r pid process <<<"$entry"
    if runs "$pid" "$process" || child_of_this_shell "$pid"; then
      targets+=("$pid")
    fi
  done
  for file in "$RUN_DIR"/*.pid; do
    [ -f "$file" ] || continue
    pid="" process=""
    read -r pid process _ <"$file" || true
    if [[ " ${targets[*]} " == *" $pid "* ]]; then
      : # started by this shell, already on the list
    elif [[ "$pid" =~ ^[0-9]+$ ]] && [ -n "$process" ] && runs "$pid" "$process"; then
      targets+=("$pid")
    elif [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid"; then
      log "not stopping pid $pid of ${file##*/}: it does not run ${process:-a recorded program}"
    fi
    rm -f "$file"
  done
  for pid in "${targets[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  await_exit $((STOP_TIMEOUT * 10))
  if [ ${#survivors[@]} -gt 0 ]; then
    log "still running ${STOP_TIMEOUT}s after SIGTERM, sending SIGKILL: ${survivors[*]}"
    for pid in "${survivors[@]}"; do
      kill -KILL "$pid" 2>/dev/null || true
    done
    await_exit 50
  fi
  # Reap the ones that were children of this shell.
  for entry in "${PIDS[@]}"; do
    wait "${entry%% *}" 2>/dev/null || true
  done
  PIDS=()
}
