#!/usr/bin/env bash
# Runs Sockudo in the foreground with the app from the REVERB_* settings
# (see env.sh). Used by services.sh and by the fault-control fixture.
set -euo pipefail
source "$(dirname "$0")/env.sh"
# Run in $RUN_DIR so that no config/ folder of ours is picked up. The rate
# limiter is off: it allows 20 WebSocket connections a minute per IP, and a
# test run opens more than that from 127.0.0.1. Stops take 1 s, not 10.
cd "$RUN_DIR"
exec env HOST="$REVERB_HOST" PORT="$REVERB_PORT" \
  SOCKUDO_DEFAULT_APP_ID="$REVERB_APP_ID" \
  SOCKUDO_DEFAULT_APP_KEY="$REVERB_APP_KEY" \
  SOCKUDO_DEFAULT_APP_SECRET="$REVERB_APP_SECRET" \
  SOCKUDO_DEFAULT_APP_ENABLE_CLIENT_MESSAGES=true \
  SOCKUDO_ENABLE_CLIENT_MESSAGES=true \
  METRICS_ENABLED=false \
  SHUTDOWN_GRACE_PERIOD=1 \
  RATE_LIMITER_ENABLED=false \
  sockudo
