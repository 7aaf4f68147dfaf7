#!/usr/bin/env bash
# Builds the first view's floor (bench/floor-app) at each level into target/floor/LEVEL/:
# `dom` (the console's hand-off and decoder, rows by the DOM API), `view` (rows by a Leptos
# view), `router` (that view under the console's router). Same profile, flags and wasm-opt as the
# release bundle; `make bench` serves each in place of the console (docs/performance.md).
# WASM_OPT_DEBUG=1 keeps the function names (for bench/breakdown.mjs).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

for level in dom view router; do
  features=""
  [ "$level" = dom ] || features="$level"
  wasm_release_cargo build --release --locked --target wasm32-unknown-unknown \
    -p floor-app --features "$features"
  out="$ROOT/target/floor/$level"
  rm -rf "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name floor \
    "$ROOT/target/wasm32-unknown-unknown/release/floor-app.wasm"
  wasm-opt -Oz ${WASM_OPT_DEBUG:+-g} "${WASM_OPT_FEATURES[@]}" "$out/floor_bg.wasm" -o "$out/floor_bg.wasm"
  node "$ROOT/scripts/precompress.mjs" "$out"
done
ls -l "$ROOT"/target/floor/*/floor_bg.wasm
