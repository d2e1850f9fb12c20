#!/usr/bin/env bash
# The PostgreSQL mode of scripts/server-bench.sh (issue 17): durable submissions/s and p99 with
# 1, 2 and 3 `serve` replicas on one PostgreSQL database, beside one server on a SQLite file,
# all on this machine: the database, the replicas and the load generators share its cores, so
# replicas cannot add throughput here; the figures show the cost of the network store and of
# the chain lock every commit takes.
#
# Usage: bash scripts/server-bench.sh --postgres [REQUESTS] [CONNECTIONS]
#   REQUESTS, CONNECTIONS  for examples/load on /v1/submissions (default 20000 and 32), split
#                          evenly over the replicas: one load process per replica, all at once
#                          (durable/s is the sum of their rates, p99 the worst of theirs)
#   SG_TEST_PG_URL         a cluster to use (its `postgres` database is the admin connection);
#                          otherwise scripts/pg-cluster.sh starts a throwaway one, stopped at exit
#   SG_BENCH_PROFILE       cargo profile of the binaries (default release; `dev` for a smoke)
#
# Every server listens on 127.0.0.1 with --rate-limit 0 and is stopped (SIGTERM, then SIGKILL)
# on exit; the consent log is verified after each run, and each run has a database of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS="${1:-20000}"
CONNECTIONS="${2:-32}"
for n in "$REQUESTS" "$CONNECTIONS"; do
    case "$n" in '' | *[!0-9]*) echo "server-bench: not a number: $n" >&2; exit 2 ;; esac
done
PROFILE="${SG_BENCH_PROFILE:-release}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
say() { printf '%s\n' "$*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

STARTED_PG=0
SERVERS=()
WORK=""
cleanup() {
    for pid in "${SERVERS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${SERVERS[@]}"; do
        for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    SERVERS=()
    [ -n "$WORK" ] && rm -rf "$WORK"
    [ "$STARTED_PG" = 1 ] && bash scripts/pg-cluster.sh stop || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "== load average at start: $(loadavg) ($(nproc) cores, shared by PostgreSQL, the replicas and the load generators)"
cargo build --profile "$PROFILE" --features server,postgres --bin signup-guard --example load
DIR="$TARGET_DIR/$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")"
BIN="$DIR/signup-guard"
LOAD="$DIR/examples/load"
ADMIN="${SG_TEST_PG_URL:-}"
if [ -z "$ADMIN" ]; then
    ADMIN="$(bash scripts/pg-cluster.sh start)"
    STARTED_PG=1
fi
PSQL="$(bash scripts/pg-cluster.sh bin)/psql"
WORK="$(mktemp -d)"

# fresh_db NAME: an empty database NAME on the cluster; prints its URL.
fresh_db() {
    "$PSQL" -q "$ADMIN" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >&2
    echo "${ADMIN%/*}/$1"
}

# start DB LOG: one server; appends its pid to SERVERS and its address to ADDRS.
start() {
    # Created before the server starts, so the address poll below never reads a missing file.
    : >"$2"
    "$BIN" serve --addr 127.0.0.1:0 --db "$1" --rate-limit 0 --www "$WORK" --pkg "$WORK" \
        >/dev/null 2>"$2" &
    SERVERS+=($!)
    for _ in $(seq 300); do
        addr="$(sed -n 's|.*listening on http://\([^ ]*\).*|\1|p' "$2")"
        [ -n "$addr" ] && { ADDRS+=("$addr"); return 0; }
        sleep 0.1
    done
    cat "$2" >&2
    exit 1
}

ROWS=()
# run LABEL DB REPLICAS: REPLICAS servers on DB, one load process each, all at once.
run() {
    local label="$1" db="$2" k="$3" loads=() i
    ADDRS=()
    say ""
    say "== $label: $k server(s) on $(sed 's|//[^@]*@|//…@|' <<<"$db"), load average $(loadavg)"
    for i in $(seq "$k"); do start "$db" "$WORK/$label-$i.log"; done
    for i in $(seq "$k"); do
        timeout 900 "$LOAD" --addr "${ADDRS[$((i - 1))]}" --target submissions \
            --requests $((REQUESTS / k)) --connections $(((CONNECTIONS + k - 1) / k)) \
            --tag "${label//[!a-zA-Z0-9]/}r$i" >"$WORK/$label-$i.out" &
        loads+=($!)
    done
    for pid in "${loads[@]}"; do
        wait "$pid" || { cat "$WORK/$label"-*.out >&2; say "server-bench: load failed"; exit 1; }
    done
    cat "$WORK/$label"-*.out >&2
    local rate p99
    rate="$(sed -n 's|.* = \([0-9]*\)/s .*|\1|p' "$WORK/$label"-*.out | awk '{ s += $1 } END { print s }')"
    p99="$(sed -n 's|.* p99 \([0-9.]*\) .*|\1|p' "$WORK/$label"-*.out | sort -g | tail -1)"
    cleanup_servers
    "$BIN" consent-log verify --db "$db" >&2
    ROWS+=("| $label | $k | $rate | $p99 |")
}
cleanup_servers() {
    for pid in "${SERVERS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${SERVERS[@]}"; do wait "$pid" 2>/dev/null || true; done
    SERVERS=()
}

run sqlite "$WORK/bench.db" 1
for k in 1 2 3; do
    run "postgres-$k" "$(fresh_db "sg_bench_$k")" "$k"
done
say ""
echo "examples/load on /v1/submissions: $REQUESTS requests, $CONNECTIONS connections in all ($PROFILE build)"
echo "| store | replicas | durable/s | worst p99 ms |"
echo "|---|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo "load average at the end: $(loadavg)"
