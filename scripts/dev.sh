#!/usr/bin/env bash
# `make dev`: trunk serve (hot reload) on :8080, proxying /api and /auth to the dev platform on :8081.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/install.sh" --trunk
cargo build -p dev-platform --locked
mkdir -p "$ROOT/data"
# Trunk's proxy gives the platform its own Host: the console's origin must be allowed by name.
"$ROOT/target/debug/dev-platform" --port 8081 --db "$ROOT/data/dev-platform.sqlite3" \
  --allow-origin http://127.0.0.1:8080 &
platform=$!
trap 'kill $platform 2>/dev/null || true' EXIT
# Trunk would otherwise proxy to whatever holds the port, or to nothing.
for _ in $(seq 50); do
  kill -0 "$platform" 2>/dev/null || { echo "the dev platform did not start (is port 8081 taken?)" >&2; exit 1; }
  (exec 3<>/dev/tcp/127.0.0.1/8081) 2>/dev/null && break
  sleep 0.2
done
echo "Console with hot reload: http://127.0.0.1:8080/  (demo sign-ins: README, docs/dev-platform.md)"
trunk serve
