#!/usr/bin/env bash
# `make run`: the release console and the dev platform on one origin, with the demo tenant.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/install.sh"
step "release bundle"
"$ROOT/scripts/build-release.sh"
step "dev platform"
cargo build --locked -p dev-platform
PORT="${PORT:-8080}"
mkdir -p "$ROOT/data"
cat <<MSG

  Console:  http://127.0.0.1:$PORT/
  Sign in (demo only, password for all: demo-password):
    owner@demo.test      Platform Owner  (create, delete)
    developer@demo.test  Developer       (create, delete)
    admin@demo.test      Platform Admin  (view only)
    owner@other.test     Platform Owner of another tenant
  Data: $ROOT/data/dev-platform.sqlite3 (delete it to start over). Ctrl-C stops.

MSG
exec "$ROOT/target/debug/dev-platform" --port "$PORT" --db "$ROOT/data/dev-platform.sqlite3" --static "$RELEASE_DIR" "$@"
