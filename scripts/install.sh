#!/usr/bin/env bash
# Installs everything the demo and the tests need, skipping what is already
# there. Only the package registries are used (Debian, crates.io, npm).
set -euo pipefail
source "$(dirname "$0")/env.sh"

need_apt=()
command -v protoc >/dev/null || need_apt+=(protobuf-compiler)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The tools are built without LTO and with parallel codegen: a third of the
# build time of their own release profiles, fast enough for a demo and tests.
export CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly.
wbg_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
[ -n "$wbg_version" ] || die "no wasm-bindgen in Cargo.lock"
grep -q "wasm_bindgen = \"$wbg_version\"" "$ROOT/Trunk.toml" \
  || die "Trunk.toml [tools] wasm_bindgen must be \"$wbg_version\" (the version in Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg_version" ]; then
  log "cargo install wasm-bindgen-cli $wbg_version (about 3 minutes)"
  # Not --locked: its own lockfile pins crates the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$wbg_version"
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  log "cargo install trunk $TRUNK_VERSION (about 10 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(sockudo --version 2>/dev/null | awk '{print $NF}')" != "$SOCKUDO_VERSION" ]; then
  log "cargo install sockudo $SOCKUDO_VERSION (about 12 minutes)"
  cargo install sockudo --version "$SOCKUDO_VERSION" --locked
fi

if [ ! -x "$ROOT/tools/node_modules/.bin/playwright-core" ] || [ ! -x "$ROOT/tools/node_modules/.bin/wasm-opt" ]; then
  log "npm ci in tools/ (playwright-core, binaryen)"
  (cd "$ROOT/tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

# Trunk runs cargo offline: fetch every crate first.
cargo fetch --manifest-path "$ROOT/Cargo.toml" >/dev/null 2>&1 || cargo fetch --manifest-path "$ROOT/Cargo.toml"
log "tools ready"
