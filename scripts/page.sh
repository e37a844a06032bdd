# The echo-rs bench page (bench/echo-rs-page) as the browser gets it, built
# one way for scripts/bench.sh (which measures it) and scripts/size.sh (which
# weighs it); sourced after env.sh.

BENCH="$ROOT/bench"
WASM_OPT="$ROOT/tools/node_modules/.bin/wasm-opt"
ESBUILD="$BENCH/node_modules/.bin/esbuild"
# The features of the wasm the page is built for (what wasm-bindgen emits
# and Chromium runs), all enabled.
WASM_OPT_FLAGS=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
# The wasm cargo builds, before wasm-bindgen.
PAGE_WASM="${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/release/echo_rs_bench_page.wasm"

# Installs what the page build needs and is missing: wasm-opt (tools/) and
# esbuild (bench/). wasm-bindgen comes from scripts/install.sh.
page_tools() {
  command -v wasm-bindgen >/dev/null || die "wasm-bindgen is missing: run scripts/install.sh"
  [ -x "$WASM_OPT" ] || (cd "$ROOT/tools" && npm ci --no-audit --no-fund --loglevel=error)
  [ -x "$ESBUILD" ] || (cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error)
}

# build_page OUT_DIR [cargo build args...]: a release build (the workspace's
# profile: opt-level "s", LTO, one codegen unit), `wasm-bindgen --target web`,
# `wasm-opt -Oz`, and the glue minified by esbuild like the laravel-echo
# bundle. Writes OUT_DIR/echo_rs_bench_page_bg.wasm and
# OUT_DIR/echo_rs_bench_page.js; the cargo output stays at $PAGE_WASM.
build_page() {
  local out="$1"
  shift
  cargo build -q --release --manifest-path "$ROOT/Cargo.toml" -p echo-rs-bench-page --target wasm32-unknown-unknown "$@"
  local staging="$RUN_DIR/page.wasm-bindgen"
  rm -rf "$staging"
  wasm-bindgen --target web --no-typescript --out-dir "$staging" "$PAGE_WASM"
  mkdir -p "$out"
  "$WASM_OPT" -Oz "${WASM_OPT_FLAGS[@]}" -o "$out/echo_rs_bench_page_bg.wasm" "$staging/echo_rs_bench_page_bg.wasm"
  "$ESBUILD" "$staging/echo_rs_bench_page.js" --minify --format=esm --log-level=warning \
    --outfile="$out/echo_rs_bench_page.js"
  rm -rf "$staging"
}
