#!/usr/bin/env bash
# Installs everything Atrium needs to build, run and test, and skips what is already present.
# Idempotent: safe to run on every `run`/`test` invocation. Needs rustup, node/npm and apt (as root
# or with sudo) on a Debian machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.11"
# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" 2>/dev/null | sed -n 's/^version = "\(.*\)"/\1/p' || true)"
TOOLS_BUILD_DIR="${ATRIUM_CACHE_DIR:-$HOME/.cache/atrium}/tools-src"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then return; fi
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

# Installs a crate from a copy of its registry source after pinning some of its dependencies,
# because the published lock files of these tools need a newer rustc or name a yanked crate.
install_from_source() { # crate version "dep@precise ..."
  local crate="$1" version="$2" pins="$3"
  log "installing $crate $version from source (pins: ${pins:-none})"
  (cd /tmp && cargo info "$crate@$version" >/dev/null)
  local src
  src="$(ls -d "$HOME"/.cargo/registry/src/*/"$crate-$version" | head -n1)"
  rm -rf "$TOOLS_BUILD_DIR/$crate-$version"
  mkdir -p "$TOOLS_BUILD_DIR"
  cp -r "$src" "$TOOLS_BUILD_DIR/"
  (
    cd "$TOOLS_BUILD_DIR/$crate-$version"
    for pin in $pins; do cargo update -p "${pin%@*}" --precise "${pin#*@}"; done
    # A build tool need not be fast: skip fat LTO and a one-core link (18 min -> a few).
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
      CARGO_TARGET_DIR="$TOOLS_BUILD_DIR/target" \
      cargo install --path . --locked --force
  )
}

ensure_cargo_leptos() {
  if cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION\$"; then return; fi
  install_from_source cargo-leptos "$CARGO_LEPTOS_VERSION" "cargo-util-schemas@0.14.1"
}

ensure_wasm_bindgen() {
  if wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then return; fi
  install_from_source wasm-bindgen-cli "$WASM_BINDGEN_VERSION" "webpki-roots@1.0.10"
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  log "installing Debian's chromium"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
}

ensure_sandbox_tools() {
  # The code runner: bubblewrap for namespaces, util-linux for prlimit and setpriv, GNU time for
  # the rusage of the program inside the sandbox.
  local missing=()
  [ -x /usr/bin/bwrap ] || missing+=(bubblewrap)
  { [ -x /usr/bin/prlimit ] && [ -x /usr/bin/setpriv ]; } || missing+=(util-linux)
  [ -x /usr/bin/time ] || missing+=(time)
  if [ "${#missing[@]}" -eq 0 ]; then return; fi
  log "installing ${missing[*]} (code runner sandbox)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_node_packages() {
  # end2end holds Playwright, axe-core and binaryen (wasm-opt for release builds), all from the lockfile.
  if [ -f "$ROOT/end2end/node_modules/.package-lock.json" ] &&
    cmp -s "$ROOT/end2end/package-lock.json" "$ROOT/end2end/node_modules/.atrium-lock"; then return; fi
  log "installing node packages from end2end/package-lock.json"
  (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp "$ROOT/end2end/package-lock.json" "$ROOT/end2end/node_modules/.atrium-lock"
}

ensure_editor_bundles() {
  # The editor islands (ProseMirror/Yjs) are bundled from editors/package-lock.json by esbuild into
  # public/generated/editors/ (gitignored; cargo-leptos copies public/ into the site).
  local dir="$ROOT/editors" stamp="$ROOT/public/generated/editors/.built"
  if ! { [ -f "$dir/node_modules/.package-lock.json" ] &&
    cmp -s "$dir/package-lock.json" "$dir/node_modules/.atrium-lock"; }; then
    log "installing editor packages from editors/package-lock.json"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$dir/node_modules/.atrium-lock"
  fi
  if [ -f "$stamp" ] && [ -z "$(find "$dir/src" "$dir/build.mjs" "$dir/package-lock.json" \
    "$dir/node_modules/.atrium-lock" -newer "$stamp" -print -quit)" ]; then return; fi
  log "bundling the editor islands (esbuild)"
  node "$dir/build.mjs"
}

ensure_stylance() {
  if stylance --version 2>/dev/null | grep -q "0.8.4"; then return; fi
  log "installing stylance-cli 0.8.4 (bundles scoped component CSS)"
  cargo install stylance-cli --version 0.8.4 --locked
}

main() {
  ensure_wasm_target
  # Before chromium's background apt-get, so the two never contend for the apt lock.
  ensure_sandbox_tools
  ensure_chromium &
  local chromium_pid=$!
  ensure_node_packages
  ensure_editor_bundles
  ensure_cargo_leptos
  ensure_wasm_bindgen
  ensure_stylance
  wait "$chromium_pid"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
