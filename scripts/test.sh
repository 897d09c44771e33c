#!/usr/bin/env bash
# Runs the whole suite: formatting, clippy (ssr and hydrate), the wasm dependency check, unit and
# integration tests, then one debug build of server + wasm for the Playwright tests in Chromium.
# Ends with one "N passed, N failed" line for the whole suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

LOG_DIR="$(mktemp -d)"
passed=0
failed=0
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Adds the counts of `cargo test` summary lines in a log to the totals.
count_cargo_results() {
  local p f
  local lines
  lines=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed; [0-9]+ failed' "$1" || true)
  p=$(printf '%s\n' "$lines" | awk 'NF {s+=$4} END {print s+0}')
  f=$(printf '%s\n' "$lines" | awk 'NF {s+=$6} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}

step "setup"
bash scripts/setup.sh

step "format"
cargo fmt --all -- --check

step "clippy (ssr)"
cargo clippy -p app -p server --features app/ssr --all-targets -- -D warnings

step "clippy (hydrate)"
cargo clippy -p app -p frontend --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

step "no server crates in the wasm build"
for crate in sqlx tokio libsqlite3-sys mio utoipa reqwest; do
  # `cargo tree -i` prints the crate's line only when it is in the tree (and exits 0 either way).
  if cargo tree -p frontend --target wasm32-unknown-unknown -e normal -i "$crate" 2>/dev/null | grep -q "^$crate v"; then
    echo "error: $crate is in the hydrate build's dependency tree" >&2
    exit 1
  fi
done
echo "ok: no sqlx/tokio/mio/libsqlite3-sys/utoipa/reqwest in the wasm build"

step "unit and integration tests"
set +e
# A hung test fails the run here instead of using up the CI time limit.
timeout 1200 cargo test -p app --features ssr 2>&1 | tee "$LOG_DIR/app.log"
app_rc=${PIPESTATUS[0]}
timeout 1800 cargo test -p server 2>&1 | tee "$LOG_DIR/server.log"
server_rc=${PIPESTATUS[0]}
set -e
count_cargo_results "$LOG_DIR/app.log"
count_cargo_results "$LOG_DIR/server.log"

step "build site (debug) for end-to-end tests"
stylance app
cargo leptos build

step "end-to-end tests (Playwright, Debian Chromium)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DB_DIR="$(mktemp -d)"
ATRIUM_ADDR="127.0.0.1:$PORT" ATRIUM_DATABASE_URL="sqlite://$DB_DIR/atrium.db" \
  ATRIUM_SITE_ROOT="$ROOT/target/site" ATRIUM_PUBLIC_URL="http://127.0.0.1:$PORT" \
  ATRIUM_SIGN_IN_PER_MINUTE=1000 ATRIUM_FEED_SNAPSHOT=20 ATRIUM_FEED_PING_SECS=2 UPSELL_ENABLED=true \
  ATRIUM_UPLOAD_DIR="$DB_DIR/uploads" \
  "$CARGO_TARGET_DIR/debug/atrium" >"$LOG_DIR/server-e2e.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  kill -0 $SERVER_PID 2>/dev/null || { cat "$LOG_DIR/server-e2e.log"; exit 1; }
  sleep 0.2
done
set +e
(cd end2end && CI=1 ATRIUM_E2E_URL="http://127.0.0.1:$PORT" npx playwright test)
e2e_rc=$?
set -e
results="end2end/test-results/results.json"
if [ -f "$results" ]; then
  e2e_passed=$(node -e 'const r=require(process.argv[1]); console.log(r.stats.expected||0)' "$ROOT/$results")
  e2e_failed=$(node -e 'const r=require(process.argv[1]); console.log((r.stats.unexpected||0)+(r.stats.flaky||0))' "$ROOT/$results")
  passed=$((passed + e2e_passed)); failed=$((failed + e2e_failed))
fi
if [ "$e2e_rc" -ne 0 ]; then
  tail -n 50 "$LOG_DIR/server-e2e.log"
  # CI keeps only the end of the output, so the failing tests are named last.
  if [ -f "$results" ]; then node "$ROOT/end2end/failures.js" "$ROOT/$results"; fi
fi

echo
echo "$passed passed, $failed failed"
[ "$app_rc" -eq 0 ] && [ "$server_rc" -eq 0 ] && [ "$e2e_rc" -eq 0 ] && [ "$failed" -eq 0 ]
