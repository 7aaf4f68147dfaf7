#!/usr/bin/env bash
# Installs what a command needs and skips whatever is already there; safe to rerun.
# Versions: ../shared/toolchain.md (and docs/release.md).
#
#   scripts/install.sh            what `make run` needs: the wasm32 target, wasm-bindgen-cli,
#                                 wasm-split-cli, the npm tools (binaryen, esbuild) and the crates
#   scripts/install.sh --browser  also Chromium and ChromeDriver (make test, make bench)
#   scripts/install.sh --trunk    also Trunk (make dev)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

TRUNK_VERSION=0.21.14
WASM_SPLIT_VERSION=0.2.4
want_browser=false
want_trunk=false
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=true ;;
    --trunk) want_trunk=true ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

step "Node.js and npm (the bundle's scripts, wasm-opt, Playwright)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    long "installing Debian's nodejs and npm" "1 minute"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
  else
    echo "Node.js is missing: install Node.js 20 with npm (as root on Debian: apt-get install -y nodejs npm)" >&2
    exit 1
  fi
fi
# Playwright 1.65 stops on Node.js below 20, and bench/bench.mjs uses import.meta.dirname (20.11).
node_ok=$(node -p 'const [a, b] = process.versions.node.split(".").map(Number); a > 20 || (a === 20 && b >= 11)')
[ "$node_ok" = true ] || {
  echo "Node.js $(node --version) is too old: 20.11 or later (Debian 12's own nodejs is 18; 20 is tested)" >&2
  exit 1
}
echo "node $(node --version), npm $(npm --version)"

step "a C compiler and linker (rustc links through cc; SQLite and ring build C)"
if ! command -v cc >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    long "installing Debian's build-essential" "1 minute"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential
  else
    echo "No C compiler: install one (as root on Debian: apt-get install -y build-essential)" >&2
    exit 1
  fi
fi
cc --version | head -1

step "wasm32 target"
# Looked for in the sysroot: a target unpacked by the fallback below is not listed by rustup.
if [ ! -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib" ]; then
  if ! rustup target add wasm32-unknown-unknown; then
    fallback="$ROOT/../shared/toolchain/add-wasm32-target.sh"
    [ -f "$fallback" ] || { echo "rustup could not add wasm32-unknown-unknown and no fallback exists" >&2; exit 1; }
    bash "$fallback"
  fi
fi
echo "ok"

step "the standard library's source (the release wasm builds std without panic messages)"
# Not fatal: without it the release build links the prebuilt std and says so. A machine whose
# rustup cannot reach its server is asked once per toolchain, not at every run; delete the
# marker to ask again.
no_src_marker="$CARGO_HOME/.rust-src-unavailable-$(rustc --version | awk '{print $2}')"
if ! wasm_std_source && [ ! -f "$no_src_marker" ]; then
  if ! timeout 180 rustup component add rust-src; then
    echo "warning: rustup could not add rust-src; the release wasm keeps std's panic messages" >&2
    mkdir -p "$CARGO_HOME" && touch "$no_src_marker"
  fi
fi
if wasm_std_source; then echo "ok"; else echo "not installed (to try again: rm $no_src_marker)"; fi

step "wasm-bindgen-cli (the version in Cargo.lock)"
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$WB_VERSION" ] || { echo "wasm-bindgen not found in Cargo.lock" >&2; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ] \
   || ! command -v wasm-bindgen-test-runner >/dev/null; then
  long "compiling wasm-bindgen-cli $WB_VERSION" "3 minutes"
  # Not --locked: the CLI's own lockfile names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi
wasm-bindgen --version

step "wasm-split-cli $WASM_SPLIT_VERSION (cuts the release wasm into chunks)"
# The crate is wasm_split_cli_support; its binary needs the build-binary feature. Its version must
# understand the split points of the wasm_split_helpers that Cargo.lock gives Leptos.
if [ "$(cat "$CARGO_HOME/.wasm-split-cli-version" 2>/dev/null || true)" != "$WASM_SPLIT_VERSION" ] \
   || ! command -v wasm-split-cli >/dev/null; then
  long "compiling wasm-split-cli $WASM_SPLIT_VERSION" "2 minutes"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --force
  echo "$WASM_SPLIT_VERSION" > "$CARGO_HOME/.wasm-split-cli-version"
fi
command -v wasm-split-cli

if $want_trunk; then
  step "trunk $TRUNK_VERSION (make dev only)"
  if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
    long "compiling Trunk $TRUNK_VERSION" "6 to 10 minutes"
    cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
  trunk --version
fi

if $want_browser; then
  step "rustfmt and clippy (make test checks both)"
  installed=$(rustup component list --installed 2>/dev/null || true)
  for component in rustfmt clippy; do
    grep -q "^$component" <<<"$installed" || timeout 180 rustup component add "$component" \
      || { echo "rustup could not add $component, which make test needs" >&2; exit 1; }
  done
  echo "ok"

  step "Chromium and ChromeDriver (tests and benchmarks)"
  if [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ]; then
    if [ "$(id -u)" = 0 ]; then
      long "installing Debian's chromium and chromium-driver" "1 to 2 minutes"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
    else
      echo "Chromium is missing: install the Debian packages 'chromium' and 'chromium-driver' (as root: apt-get install -y chromium chromium-driver)" >&2
      exit 1
    fi
  fi
  "$CHROMIUM" --version
fi

step "npm tools (binaryen 132, esbuild, Playwright, axe-core, ws)"
stamp=node_modules/.installed-from-lock
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$(sha256sum package-lock.json | cut -d' ' -f1)" ]; then
  npm ci --no-audit --no-fund
  sha256sum package-lock.json | cut -d' ' -f1 > "$stamp"
fi
wasm-opt --version | grep -q 'version 132' || { echo "wasm-opt from node_modules is not binaryen 132" >&2; exit 1; }
echo "wasm-opt: $(command -v wasm-opt)"

step "crates"
cargo fetch --locked
echo "ok"
