#!/usr/bin/env bash
# Builds the release bundle into dist-release/: opt-level z + LTO, the pages other than the
# dashboard cut into wasm chunks loaded on demand (feature `split`, src/routes.rs), wasm-opt -Oz on
# every module, content-hashed names, and brotli + gzip copies of each asset (what a CDN serves;
# the dev platform serves them too). Trunk 0.21 cannot run wasm-split, so this is the release
# pipeline; `make dev` still uses Trunk.
#
#   scripts/build-release.sh           the release bundle, into dist-release/
#   scripts/build-release.sh --bench   the same with the benchmark's instruments, into dist-bench/
# WASM_OPT_DEBUG=1 keeps the function names (for reading a stack trace of the release build).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

features=split
out="$RELEASE_DIR"
bundle_flags=()
if [ "${1:-}" = "--bench" ]; then
  features=split,bench
  out="$BENCH_DIR"
  bundle_flags=(--bench)
fi

stage="$ROOT/target/bundle-stage"
rm -rf "$stage"
mkdir -p "$stage/split" "$stage/bindgen"

[ -d "$ROOT/target/wasm32-unknown-unknown/release" ] \
  || long "compiling the console's crates for the release build" "3 minutes" "once per checkout"
# --emit-relocs on the final link only: wasm-split-cli follows the relocations to move code.
wasm_release_cargo rustc --release --locked --target wasm32-unknown-unknown --bin apikeys-console \
  --features "$features" -- -Clink-args=--emit-relocs
wasm-split-cli "$ROOT/target/wasm32-unknown-unknown/release/apikeys-console.wasm" "$stage/split" \
  --out-name apikeys-console --target web
# The chunks link against the main module's own exports: keep them (and their names).
wasm-bindgen --target web --keep-lld-exports --no-demangle --no-typescript \
  --out-dir "$stage/bindgen" --out-name apikeys-console "$stage/split/apikeys-console.wasm"
rm "$stage/split/apikeys-console.wasm"

printf '%s\n' "$stage/bindgen/apikeys-console_bg.wasm" "$stage"/split/*.wasm \
  | xargs -P 2 -I{} wasm-opt -Oz ${WASM_OPT_DEBUG:+-g} "${WASM_OPT_FEATURES[@]}" {} -o {}

node "$ROOT/scripts/bundle.mjs" "$stage" "$out" "${bundle_flags[@]}"
# The CDN header file (`_headers`): the same CSP, with this index.html's script hashes, and the
# same headers the dev platform sends, from the dev platform's own code.
cargo run -q --locked -p dev-platform --bin dev-platform -- headers --static "$out" --write
node "$ROOT/scripts/precompress.mjs" "$out"
ls -l "$out"
