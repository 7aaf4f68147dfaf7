#!/usr/bin/env bash
# Builds the release bundle (opt-level z, LTO, wasm-opt -Oz) into dist-release/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
trunk build --release --dist "$RELEASE_DIR"
ls -l "$RELEASE_DIR"
