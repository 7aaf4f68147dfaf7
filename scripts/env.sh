# Sourced by the other scripts: tool paths and settings shared by every step.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# node_modules/.bin first: binaryen 132's wasm-opt must win over any other on PATH.
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk may not download tools here; make a missing one a clear error instead of a hang.
export TRUNK_OFFLINE=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
RELEASE_DIR="$ROOT/dist-release"
BENCH_DIR="$ROOT/dist-bench"
export RELEASE_DIR BENCH_DIR

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
# Says what a long step is and how long it takes on a 2-core machine, before it starts.
long() { printf '    %s (about %s on 2 cores; %s)\n' "$1" "$2" "${3:-once per machine}"; }

# A free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
