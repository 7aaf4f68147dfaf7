#!/usr/bin/env bash
# `make test`: every check and test layer; exits non-zero on the first failure.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
started=$(date +%s)
"$ROOT/scripts/install.sh" --browser

step "cargo fmt --check"
cargo fmt --all --check

step "the docs cite only paths, tests and test titles that are in the tree"
node scripts/check-docs.mjs

step "clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked --features apikeys-console/bench -- -D warnings

step "clippy (wasm32, console: tests, the release build's split points, the bench build)"
cargo clippy -p apikeys-console --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
cargo clippy -p apikeys-console --target wasm32-unknown-unknown --features split --locked -- -D warnings
cargo clippy -p apikeys-console --target wasm32-unknown-unknown --features split,bench --locked -- -D warnings

step "native unit, property and HTTP tests"
cargo test --workspace --locked --features apikeys-console/bench

step "browser tests (wasm-bindgen-test, headless Chromium)"
cargo test -p apikeys-console --target wasm32-unknown-unknown --locked

step "release bundle, and its instrumented twin for the benchmark and the panic test"
"$ROOT/scripts/build-release.sh"
"$ROOT/scripts/build-release.sh" --bench

step "end-to-end (Playwright, release bundle, dev platform)"
cargo build -p dev-platform --locked
E2E_PORT="$(free_port)" E2E_BENCH_PORT="$(free_port)" \
  npx playwright test --config e2e/playwright.config.mjs ${E2E_ARGS:-}

step "platform load smoke (32 clients, 5 s; the full minute runs in make bench)"
cargo run -q --locked -p dev-platform --bin platform-load -- --seconds 5

step "bench smoke (one run of each measure; budgets are for make bench)"
"$ROOT/scripts/bench.sh" --smoke

echo
echo "make test: all layers passed in $(( $(date +%s) - started )) s"
