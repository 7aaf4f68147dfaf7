# Sourced by the other scripts: tool paths and settings shared by every step.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
# node_modules/.bin first: binaryen 132's wasm-opt must win over any other on PATH.
export PATH="$ROOT/node_modules/.bin:$CARGO_HOME/bin:$PATH"
# Trunk may not download tools here; make a missing one a clear error instead of a hang.
export TRUNK_OFFLINE=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
# wasm-bindgen-test-runner gives a whole test file 20 s by default, then kills the browser with
# no word on which test was slow. tests/dashboard.rs takes about 20 s on this 2-core host.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"
RELEASE_DIR="$ROOT/dist-release"
BENCH_DIR="$ROOT/dist-bench"
export RELEASE_DIR BENCH_DIR

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
# Says what a long step is and how long it takes on a 2-core machine, before it starts.
long() { printf '    %s (about %s on 2 cores; %s)\n' "$1" "$2" "${3:-once per machine}"; }

# A free TCP port on loopback.
free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# RUSTFLAGS of the release wasm builds. The paths of the build machine in panic locations are
# shortened: fewer bytes, and they tell nothing about where the bundle was built. An environment
# RUSTFLAGS replaces the target's rustflags of .cargo/config.toml, so those are read from there
# and passed along.
wasm_release_rustflags() {
  local config_flags flags registry
  config_flags=$(sed -n 's/^rustflags = \[\(.*\)\]$/\1/p' "$ROOT/.cargo/config.toml" | tr -d '",')
  [ -n "$config_flags" ] || { echo "no rustflags found in .cargo/config.toml" >&2; return 1; }
  flags="$config_flags --remap-path-prefix=$(rustc --print sysroot)=rust --remap-path-prefix=$ROOT=."
  for registry in "$CARGO_HOME"/registry/src/*/; do
    flags+=" --remap-path-prefix=${registry%/}=crates"
  done
  printf '%s' "$flags"
}

# Whether rustup has the standard library's source (the rust-src component, scripts/install.sh).
wasm_std_source() {
  [ -f "$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.lock" ]
}

# `cargo SUBCOMMAND ARGS...` for a release wasm, with its RUSTFLAGS. Where the standard library's
# source is installed, std is compiled with the crates, with -Cpanic=immediate-abort: no panic
# messages, no locations and none of the formatting only they need (12 kB brotli less,
# docs/performance.md); a panic is then a bare wasm trap (src/panic.rs). Both flags are unstable:
# RUSTC_BOOTSTRAP lets this stable rustc take them, for this one command. core, alloc, std,
# compiler_builtins and dlmalloc keep the prebuilt std's opt-level 3: at the release profile's
# "z" no function of a dashboard load ran hot enough for V8 to optimise it, so V8 never cached
# the compiled module. Without the source the build links the prebuilt std, panic messages and
# all, and says so. PANIC_MESSAGES=1 asks for that build (to read a release panic's message, or
# to compare). RUSTC_BOOTSTRAP also reaches build scripts (proc-macro2 takes its nightly path),
# so switching between the two rebuilds the proc macros.
wasm_release_cargo() {
  local flags
  flags=$(wasm_release_rustflags)
  if [ "${PANIC_MESSAGES:-}" != 1 ] && wasm_std_source; then
    local speed=() crate
    for crate in core alloc std compiler_builtins dlmalloc; do
      speed+=(--config "profile.release.package.$crate.opt-level=3")
    done
    RUSTC_BOOTSTRAP=1 RUSTFLAGS="$flags -Zunstable-options -Cpanic=immediate-abort" \
      cargo "${speed[@]}" "$1" -Zbuild-std=std,panic_abort "${@:2}"
  else
    [ "${PANIC_MESSAGES:-}" = 1 ] \
      || echo "warning: no rust-src (rustup component add rust-src): std keeps its panic messages (12 kB brotli more)" >&2
    RUSTFLAGS="$flags" cargo "$@"
  fi
}

# The feature flags Rust 1.95 emits for wasm32 by default, and SIMD (.cargo/config.toml);
# wasm-opt must accept them all.
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd)
