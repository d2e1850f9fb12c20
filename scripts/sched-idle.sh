#!/usr/bin/env bash
# Why the cores idle under load (issue 14): runs examples/load on /v1/validate, then on
# /v1/submissions, against one server on a fresh database, records the kernel's scheduler
# events (`perf sched record`) for a second in the middle of each phase, and splits each phase's
# idle time by what else was runnable (scripts/sched-idle.py): a thread waiting in another
# core's run queue, a thread being woken onto the idle core, or nothing at all.
#
# Usage: bash scripts/sched-idle.sh [REQUESTS] [CONNECTIONS]   (default 150000 and 64)
#   SCHED_DELAY, SCHED_SECONDS   when the recording starts in each phase and how long it lasts
#                                (default 1 and 1 second; keep both inside the phase)
#
# Needs `perf` (Debian: linux-perf) and the right to trace the scheduler (root, or
# kernel.perf_event_paranoid = -1). The server listens on 127.0.0.1 with --rate-limit 0 and is
# stopped (SIGTERM) on exit. Recording costs a little CPU, so the phases' rates here run a few
# per cent below server-bench.sh's: read the split, not the rates.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS="${1:-150000}"
CONNECTIONS="${2:-64}"
DELAY="${SCHED_DELAY:-1}"
SECONDS_RECORDED="${SCHED_SECONDS:-1}"

command -v perf >/dev/null || { echo "sched-idle: needs perf (Debian: apt-get install linux-perf)" >&2; exit 2; }

TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
cargo build --release --features server --bin signup-guard --example load
BIN="$TARGET_DIR/release/signup-guard"
LOAD="$TARGET_DIR/release/examples/load"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sched-idle.XXXXXX")"
SERVER=""
cleanup() {
    if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
        kill -TERM "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/www"
"$BIN" serve --addr 127.0.0.1:0 --db "$WORK/db" --rate-limit 0 --www "$WORK/www" --pkg "$WORK/www" 2>"$WORK/server.log" &
SERVER=$!
ADDR=""
for _ in $(seq 300); do
    ADDR="$(sed -n 's|.*listening on http://\([^ ]*\).*|\1|p' "$WORK/server.log")" || true
    [ -n "$ADDR" ] && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done
[ -n "$ADDR" ] || { echo "sched-idle: the server did not start" >&2; exit 1; }
sleep 1 # start-up work (the retention sweep) out of the way

echo "== $(git log -1 --format='%h %<(50,trunc)%s'); load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo "examples/load: $REQUESTS requests over $CONNECTIONS connections per phase; recorded ${SECONDS_RECORDED} s from ${DELAY} s in"
for target in validate submissions; do
    "$LOAD" --addr "$ADDR" --target "$target" --requests "$REQUESTS" --connections "$CONNECTIONS" >"$WORK/load.out" &
    load=$!
    sleep "$DELAY"
    perf sched record -o "$WORK/sched.data" -- sleep "$SECONDS_RECORDED" 2>"$WORK/perf.log" &
    recorder=$!
    sleep "$SECONDS_RECORDED"
    ended_early=0
    kill -0 "$load" 2>/dev/null || ended_early=1
    wait "$recorder" || { cat "$WORK/perf.log" >&2; exit 1; }
    wait "$load" || { cat "$WORK/load.out" >&2; echo "sched-idle: the load failed" >&2; exit 1; }
    echo
    cat "$WORK/load.out"
    [ "$ended_early" = 0 ] ||
        echo "sched-idle: the phase ended before the recording did, so its idle time counts too: raise REQUESTS"
    perf script -i "$WORK/sched.data" -F cpu,time,event,trace 2>/dev/null | python3 scripts/sched-idle.py
done
