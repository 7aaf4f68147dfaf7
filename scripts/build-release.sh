#!/usr/bin/env bash
# Builds the release bundle (opt-level z, LTO, wasm-opt -Oz) into dist-release/, with brotli and
# gzip copies of each asset beside it (what a CDN serves; the dev platform serves them too).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
trunk build --release --dist "$RELEASE_DIR"
node "$ROOT/scripts/precompress.mjs" "$RELEASE_DIR"
ls -l "$RELEASE_DIR"
