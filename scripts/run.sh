#!/usr/bin/env bash
# Sets up everything, builds a release, and starts Atrium on http://127.0.0.1:3000 with an
# embedded SQLite database (./atrium.db) and demo data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
stylance app
cargo leptos build --release
export ATRIUM_DATABASE_URL="${ATRIUM_DATABASE_URL:-sqlite://$ROOT/atrium.db}"
export ATRIUM_LOG_FORMAT="${ATRIUM_LOG_FORMAT:-pretty}"
echo "Atrium: http://127.0.0.1:3000 (sign in as admin_a / atrium-demo)"
exec "$CARGO_TARGET_DIR/release/atrium" "$@"
