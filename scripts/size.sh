#!/usr/bin/env bash
# Builds the echo-rs bench page exactly as scripts/bench.sh does (build_page
# in scripts/page.sh: release, wasm-bindgen --target web, wasm-opt -Oz, glue
# minified by esbuild) and prints the raw and gzip (level 9, Node's zlib as in
# the benchmark table) bytes of the wasm and the glue. No servers.
#   SIZE_TWIGGY=1 scripts/size.sh   also a `twiggy top` of the same build with
#                                   names (wasm-bindgen --keep-debug, wasm-opt -g)
#   scripts/size.sh --no-default-features   the page with `listen` listeners only
#                                   (arguments go to cargo build)
#   SIZE_TWIGGY_ROWS=40             rows of that table
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/page.sh"

OUT="${SIZE_OUT:-$RUN_DIR/size}"
page_tools
rm -rf "$OUT"
build_page "$OUT/dist" "$@"

raw() { wc -c <"$1" | tr -d ' '; }
# Node's zlib at level 9, as bench/run.mjs measures (the gzip command's
# output differs by a few hundred bytes).
gz() { node -e 'process.stdout.write(String(require("zlib").gzipSync(require("fs").readFileSync(process.argv[1]), { level: 9 }).length))' "$1"; }
w="$OUT/dist/echo_rs_bench_page_bg.wasm"
j="$OUT/dist/echo_rs_bench_page.js"
printf '%-6s %10s %10s\n' "" raw gzip
printf '%-6s %10s %10s\n' wasm "$(raw "$w")" "$(gz "$w")"
printf '%-6s %10s %10s\n' glue "$(raw "$j")" "$(gz "$j")"
total=$(($(gz "$w") + $(gz "$j")))
printf '%-6s %10s %10s  (%s KiB)\n' total "" "$total" "$(awk "BEGIN{printf \"%.1f\", $total/1024}")"

if [ "${SIZE_TWIGGY:-0}" = 1 ]; then
  command -v twiggy >/dev/null || die "twiggy is missing: cargo install twiggy"
  mkdir -p "$OUT/named"
  wasm-bindgen --target web --no-typescript --keep-debug --out-dir "$OUT/named" "$PAGE_WASM"
  "$WASM_OPT" -Oz "${WASM_OPT_FLAGS[@]}" -g -o "$OUT/named/named.wasm" "$OUT/named/echo_rs_bench_page_bg.wasm"
  twiggy top -n "${SIZE_TWIGGY_ROWS:-40}" "$OUT/named/named.wasm"
fi
