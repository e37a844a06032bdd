#!/usr/bin/env bash
# Installs what is missing, then runs the demo: Sockudo, the demo API and
# `trunk serve`. Ctrl-C stops all three.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/services.sh"

"$ROOT/scripts/install.sh"
export DATABASE_PATH="${DATABASE_PATH:-$RUN_DIR/demo.sqlite}"
trap stop_services EXIT INT TERM
start_sockudo
start_api
start_trunk

cat <<MSG

  The booking demo is running:   http://127.0.0.1:$DEMO_PORT/
  Change a room (it updates live in the browser):
    curl -X PATCH http://127.0.0.1:$API_PORT/api/admin/rooms/1 \\
         -H 'Content-Type: application/json' -d '{"name":"Garden Villa (renovated)"}'
  Logs: $RUN_DIR/{sockudo,api,trunk}.log      Stop: Ctrl-C

MSG
wait
