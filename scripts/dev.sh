#!/usr/bin/env bash
# Installs what is missing, then runs the demo: Sockudo, the demo API and
# `trunk serve` (the Leptos demo on $DEMO_PORT, its Yew version on
# $YEW_DEMO_PORT). Ctrl-C stops them all.
#
# The demo is served as a release build (what a user should see first: a
# few hundred KiB of wasm instead of a 14 MB debug build; the first build
# takes a few minutes more). DEMO_PROFILE=debug serves a debug build, which
# rebuilds faster while editing the demo.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/services.sh"

"$ROOT/scripts/install.sh"
export DATABASE_PATH="${DATABASE_PATH:-$RUN_DIR/demo.sqlite}"
trap stop_services EXIT INT TERM
start_sockudo
start_api
if [ "${DEMO_PROFILE:-release}" = "release" ]; then
  start_trunk trunk "$DEMO_PORT" --release
  start_trunk_yew --release
else
  start_trunk trunk "$DEMO_PORT"
  start_trunk_yew
fi

cat <<MSG

  The booking demo is running:   http://127.0.0.1:$DEMO_PORT/
  Its Yew version (demo/yew-app): http://127.0.0.1:$YEW_DEMO_PORT/  (home, /booking/{reference}, /admin)
  Staff sign-in (http://127.0.0.1:$DEMO_PORT/admin): admin@casamarcelino.test / admin-password
  Or change a room from a shell and watch the home page update live:
    TOKEN=\$(curl -s http://127.0.0.1:$API_PORT/api/login -H 'Content-Type: application/json' \\
      -d '{"email":"admin@casamarcelino.test","password":"admin-password"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
    curl -X PATCH http://127.0.0.1:$API_PORT/api/admin/rooms/1 -H "Authorization: Bearer \$TOKEN" \\
      -H 'Content-Type: application/json' -d '{"name":"Garden Villa (renovated)"}'
  Logs: $RUN_DIR/{sockudo,api,trunk,trunk-yew}.log      Stop: Ctrl-C

MSG
wait
