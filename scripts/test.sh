#!/usr/bin/env bash
# `make test`: every check and test layer; exits non-zero on the first failure.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
started=$(date +%s)
"$ROOT/scripts/install.sh"

step "cargo fmt --check"
cargo fmt --all --check

step "clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy (wasm32, console, all targets)"
cargo clippy -p apikeys-console --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
# The release build's split points (src/routes.rs) only exist with the feature.
cargo clippy -p apikeys-console --target wasm32-unknown-unknown --features split --locked -- -D warnings

step "native unit and HTTP tests"
cargo test --workspace --locked

step "browser tests (wasm-bindgen-test, headless Chromium)"
cargo test -p apikeys-console --target wasm32-unknown-unknown --locked

step "release bundle"
"$ROOT/scripts/build-release.sh"

step "end-to-end (Playwright, release bundle, dev platform)"
cargo build -p dev-platform --locked
E2E_PORT="$(free_port)" npx playwright test --config e2e/playwright.config.mjs ${E2E_ARGS:-}

step "bench smoke (one run of each measure; budgets are for make bench)"
"$ROOT/scripts/bench.sh" --smoke

echo
echo "make test: all layers passed in $(( $(date +%s) - started )) s"
