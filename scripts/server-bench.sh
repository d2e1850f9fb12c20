#!/usr/bin/env bash
# Load benchmark of the HTTP service on loopback (issue 5): durable submissions/s and /v1/validate,
# with p50/p99 latency. Builds release binaries, starts `serve` on a fresh database in a temp dir
# (rate limit off), runs the bounded load generator (examples/load.rs), stops the server.
# Usage: bash scripts/server-bench.sh [REQUESTS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS="${1:-50000}"
CONNECTIONS="${2:-32}"
cargo build --release --features server --bin signup-guard --example load
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
WORK="$(mktemp -d)"
PORT_FILE="$WORK/stderr"
"$TARGET_DIR/release/signup-guard" serve --addr 127.0.0.1:0 --db "$WORK/bench.db" \
    --rate-limit 0 --www "$WORK" --pkg "$WORK" 2>"$PORT_FILE" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do
    ADDR="$(sed -n 's|.*listening on http://\([^ ]*\).*|\1|p' "$PORT_FILE")"
    [ -n "$ADDR" ] && break
    sleep 0.1
done
echo "server on $ADDR (pid $SERVER), $(nproc) cores shared with the load generator"
"$TARGET_DIR/release/examples/load" --addr "$ADDR" --target validate --requests "$REQUESTS" --connections "$CONNECTIONS"
"$TARGET_DIR/release/examples/load" --addr "$ADDR" --target submissions --requests "$REQUESTS" --connections "$CONNECTIONS"
"$TARGET_DIR/release/signup-guard" consent-log verify --db "$WORK/bench.db"
