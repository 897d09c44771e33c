# Shared by run.sh and test.sh: where builds are cached and which tools are on PATH.
# The cargo target dir lives outside the clone so fresh CI clones build incrementally.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ATRIUM_CACHE_DIR="${ATRIUM_CACHE_DIR:-$HOME/.cache/atrium}"
# A linked git worktree gets its own target dir: cargo names workspace crates' artifacts by a
# hash that ignores the checkout's path, so two checkouts sharing one dir would each see the
# other's build as fresh. (Seed one with `cp -al` of the main dir to reuse built dependencies.)
if [ -z "${CARGO_TARGET_DIR:-}" ] && [ -f "$ROOT/.git" ]; then
  export CARGO_TARGET_DIR="$ATRIUM_CACHE_DIR/target-$(basename "$ROOT" | sed 's/^wt-//')"
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ATRIUM_CACHE_DIR/target}"
# wasm-opt for release builds comes from npm's binaryen (Debian's is too old for this wasm).
export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
mkdir -p "$CARGO_TARGET_DIR"
