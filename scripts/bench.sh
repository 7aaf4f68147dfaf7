#!/usr/bin/env bash
# `make bench`: release bundle, its instrumented twin (feature `bench`) and the optimised dev
# platform, measured in headless Chromium. `scripts/bench.sh --smoke` (run by make test) does one
# run of each measure with the debug platform, so the script cannot rot; it does not enforce the
# budgets. Other arguments go to bench/bench.mjs: `scripts/bench.sh --only rows` measures only
# rows visible (and reports without enforcing the budgets).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
if [ "${1:-}" = "--smoke" ]; then
  [ -f "$RELEASE_DIR/index.html" ] || "$ROOT/scripts/build-release.sh"
  [ -f "$BENCH_DIR/index.html" ] || "$ROOT/scripts/build-release.sh" --bench
  "$ROOT/scripts/build-floor.sh"
  cargo build -p dev-platform --locked
  exec node bench/bench.mjs --dist "$RELEASE_DIR" --bench-dist "$BENCH_DIR" \
    --platform target/debug/dev-platform --load-tool target/debug/platform-load \
    --out target/bench-smoke --smoke
fi
"$ROOT/scripts/install.sh" --browser
step "release bundle"
"$ROOT/scripts/build-release.sh"
step "bench bundle (the release build plus its instruments)"
"$ROOT/scripts/build-release.sh" --bench
step "the first view's floor (the console's parts removed one by one)"
"$ROOT/scripts/build-floor.sh"
step "dev platform (server profile)"
cargo build --profile server -p dev-platform --locked --bins
step "measuring"
node bench/bench.mjs --dist "$RELEASE_DIR" --bench-dist "$BENCH_DIR" \
  --platform target/server/dev-platform --out target/bench "$@"
