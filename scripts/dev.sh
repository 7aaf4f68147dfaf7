#!/usr/bin/env bash
# `make dev`: trunk serve (hot reload) on :8080, proxying /api and /auth to the dev platform on :8081.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/install.sh" --trunk
cargo build -p dev-platform --locked
# Trunk would otherwise proxy to whatever holds the port.
if (exec 3<>/dev/tcp/127.0.0.1/8081) 2>/dev/null; then
  echo "port 8081 is taken: stop what holds it (another make dev?) and run this again" >&2
  exit 1
fi
mkdir -p "$ROOT/data"
# Trunk's proxy gives the platform its own Host: the console's origin must be allowed by name.
"$ROOT/target/debug/dev-platform" --port 8081 --db "$ROOT/data/dev-platform.sqlite3" \
  --allow-origin http://127.0.0.1:8080 &
platform=$!
trap 'kill $platform 2>/dev/null || true' EXIT
# Trunk would otherwise proxy to nothing.
up=false
for _ in $(seq 50); do
  kill -0 "$platform" 2>/dev/null || { echo "the dev platform did not start (its log above says why)" >&2; exit 1; }
  if (exec 3<>/dev/tcp/127.0.0.1/8081) 2>/dev/null; then up=true; break; fi
  sleep 0.2
done
$up || { echo "the dev platform did not listen on 8081 within 10 s" >&2; exit 1; }
echo "Console with hot reload: http://127.0.0.1:8080/  (demo sign-ins: README, docs/dev-platform.md)"
trunk serve
