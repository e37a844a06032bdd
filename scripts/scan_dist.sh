#!/usr/bin/env bash
# Builds the demo the way it ships (`trunk build --release`) and fails if the
# app secret appears in anything the browser loads (dist/: HTML, JS, wasm,
# CSS, assets). `--no-build` scans the dist/ already there (test.sh does that
# after the end-to-end test, whose trunk serve built it). SCAN_DIST names
# another dist directory to scan (test.sh scans the Yew demo's too).
set -euo pipefail
source "$(dirname "$0")/env.sh"

if [ "${1:-}" != "--no-build" ]; then
  command -v wasm-opt >/dev/null || die "wasm-opt is missing: cd tools && npm ci"
  log "trunk build --release"
  (cd "$ROOT" && trunk build --release)
fi
DIST="${SCAN_DIST:-$ROOT/dist}"
[ -d "$DIST" ] && [ -n "$(ls -A "$DIST")" ] || die "$DIST is empty: build the demo first"

secrets=("local-secret")
[ -n "${REVERB_APP_SECRET:-}" ] && secrets+=("$REVERB_APP_SECRET")
found=0
for secret in "${secrets[@]}"; do
  if grep -rlaF -- "$secret" "$DIST"; then
    printf '\033[1;31merror:\033[0m the app secret appears in the files above\n' >&2
    found=1
  fi
done
[ "$found" = 0 ] || exit 1
log "the app secret is in none of the $(find "$DIST" -type f | wc -l) files of $DIST"
