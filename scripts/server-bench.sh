#!/usr/bin/env bash
# Load benchmark of the HTTP service on loopback (issues 5 and 14): durable submissions/s and
# /v1/validate with p50/p99 latency, optionally under wrk, on a database pre-filled with N contacts,
# and optionally an older revision side by side with the current tree in one run.
#
# Usage: bash scripts/server-bench.sh [OPTIONS] [REQUESTS] [CONNECTIONS]
#   REQUESTS, CONNECTIONS  for examples/load (default 50000 and 32), run on /v1/validate, then
#                          on /v1/submissions, then on /v1/validate again, against the same
#                          server (the row's validations are the mean of the two)
#   --wrk                  then run wrk on /v1/submissions with unique valid people
#                          (scripts/wrk-submissions.lua) and print its latency distribution
#   --wrk-opts "OPTS"      wrk's load shape (default "-t2 -c64 -d10s")
#   --spread               wrk's addresses start with random hex, so inserts land all over the
#                          email_key index as real addresses do (default: in key order)
#   --prefill N            start every server on a copy of a database already holding N contacts,
#                          filled once through the HTTP API (examples/load, 64 connections) and
#                          cached as TARGET/server-bench/prefill-N.db
#   --refill               rebuild that cached database
#   --old REV              also benchmark the release binary of git revision REV (built once in a
#                          temporary git worktree under TARGET/server-bench, cached by commit),
#                          right before the current tree, on an identical copy of the database
#   --rounds K             repeat the old/current pair K times, alternating (default 1); then
#                          print each binary's median ratio, how many rounds reached 0.6, and
#                          the median CPU bound over the rounds
#   --postgres             instead: 1, 2 and 3 replicas on one PostgreSQL database beside one
#                          server on SQLite (scripts/server-bench-pg.sh; its own defaults)
#   --after-start CMD      run CMD (bash -c, the server's pid in $SERVER) once each server is up
#                          and idle, before its phases: thread placement and priority
#                          experiments (benches/server-profile.md has the ones it ran)
#   --webhooks             also run the current tree with two webhook endpoints configured
#                          (two scripts/webhook-sink.py receivers on loopback, every event
#                          signed and verified), right after the run without: the durable/s of
#                          the two rows compare what queueing the events costs a signup; the
#                          row says how many events were queued and delivered by the end
#
# Every server listens on 127.0.0.1 with --rate-limit 0 and is stopped (SIGTERM, then SIGKILL after
# 120 s) on exit; the consent log is verified after each run. Load averages are printed at the start
# and the end: compare figures as ratios within one run (STYLE.md, habit 14). Each row also gives
# the server's CPU time (all threads, /proc) per validation and per durable submission: on a shared
# machine the rates swing with what else runs, the CPU per request much less. The log also splits
# that CPU by thread (tokio workers, writer, checkpoint...) for each phase. The load
# generator shares the cores, so its CPU per request is measured too, and so is the machine's
# interrupt time (/proc/stat irq + softirq: loopback TCP, charged to no thread, a fifth of the
# machine while validating). The row's "CPU bound" is the ratio the two phases' CPU allows:
# (server + load generator + interrupts per validation) / (the same per durable submission).
# "Cores busy" is the share of the machine not idle nor waiting on I/O in each phase: a ratio
# below the bound was lost to those idle cores (or to other work on the machine); a ratio at it
# can rise only if a durable submission costs less CPU.
#
#   bash scripts/server-bench.sh                                   # the default run (README figures)
#   bash scripts/server-bench.sh --wrk --prefill 1000000 --old main 50000 64
#   bash scripts/server-bench.sh --webhooks --rounds 2 50000 64   # none against two endpoints
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

WRK=0
WRK_OPTS="-t2 -c64 -d10s"
SPREAD=0
PREFILL=0
REFILL=0
OLD_REV=""
ROUNDS=1
WEBHOOKS=0
AFTER_START=""
POSITIONAL=()
if [ "${1:-}" = --postgres ]; then
    shift
    exec bash scripts/server-bench-pg.sh "$@"
fi
while [ $# -gt 0 ]; do
    case "$1" in
        --wrk) WRK=1 ;;
        --wrk-opts) WRK_OPTS="${2:?--wrk-opts needs a value}"; shift ;;
        --prefill) PREFILL="${2:?--prefill needs a number}"; shift ;;
        --refill) REFILL=1 ;;
        --spread) SPREAD=1 ;;
        --old) OLD_REV="${2:?--old needs a git revision}"; shift ;;
        --rounds) ROUNDS="${2:?--rounds needs a number}"; shift ;;
        --webhooks) WEBHOOKS=1 ;;
        --after-start) AFTER_START="${2:?--after-start needs a command}"; shift ;;
        -h | --help) usage ;;
        -*) echo "server-bench: unknown option $1" >&2; usage ;;
        *) POSITIONAL+=("$1") ;;
    esac
    shift
done
[ "${#POSITIONAL[@]}" -le 2 ] || usage
REQUESTS="${POSITIONAL[0]:-50000}"
CONNECTIONS="${POSITIONAL[1]:-32}"
for n in "$REQUESTS" "$CONNECTIONS" "$PREFILL" "$ROUNDS"; do
    case "$n" in '' | *[!0-9]*) echo "server-bench: not a number: $n" >&2; exit 2 ;; esac
done
if [ "$WRK" = 1 ] && ! command -v wrk >/dev/null; then
    echo "server-bench: --wrk needs wrk (apt-get install -y wrk)" >&2
    exit 2
fi

TARGET_DIR="${CARGO_TARGET_DIR:-target}"
mkdir -p "$TARGET_DIR/server-bench/bin"
BENCH="$(cd "$TARGET_DIR/server-bench" && pwd)"
REPO="$(pwd)"

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
say() { printf '%s\n' "$*" >&2; }

# State the exit trap cleans up: the running server, the run's temp dir, an unfinished worktree.
SERVER=""
SAMPLER=""
WORK=""
OLD_WT=""
SINKS=()
stop_server() {
    [ -n "$SAMPLER" ] && { kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; }
    SAMPLER=""
    [ -n "$SERVER" ] || return 0
    kill -TERM "$SERVER" 2>/dev/null || true
    # The server drains its writer and runs a TRUNCATE checkpoint before it exits.
    for _ in $(seq 1200); do
        kill -0 "$SERVER" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
}
cleanup() {
    stop_server
    for pid in "${SINKS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -n "$WORK" ] && rm -rf "$WORK"
    if [ -n "$OLD_WT" ]; then
        git worktree remove --force "$OLD_WT" 2>/dev/null || rm -rf "$OLD_WT"
        git worktree prune
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server BIN DB LOG [SERVE ARGS...]: sets SERVER (pid) and ADDR (host:port).
start_server() {
    local bin="$1" db="$2" log="$3"
    shift 3
    : >"$log"
    "$bin" serve --addr 127.0.0.1:0 --db "$db" --rate-limit 0 --www "$WORK" --pkg "$WORK" "$@" 2>"$log" &
    SERVER=$!
    ADDR=""
    for _ in $(seq 300); do
        ADDR="$(sed -n 's|.*listening on http://\([^ ]*\).*|\1|p' "$log")" || true
        [ -n "$ADDR" ] && return 0
        kill -0 "$SERVER" 2>/dev/null || break
        sleep 0.1
    done
    say "server-bench: the server did not start:"
    cat "$log" >&2
    exit 1
}

say "== load average at start: $(loadavg) ($(nproc) cores, shared with the load generators)"
cargo build --release --features server --bin signup-guard --example load
NEW_BIN="$TARGET_DIR/release/signup-guard"
LOAD="$TARGET_DIR/release/examples/load"

OLD_BIN=""
if [ -n "$OLD_REV" ]; then
    OLD_SHA="$(git rev-parse --verify "$OLD_REV^{commit}")"
    OLD_BIN="$BENCH/bin/signup-guard-$OLD_SHA"
    if [ ! -x "$OLD_BIN" ]; then
        OLD_WT="$BENCH/old-src-$OLD_SHA"
        git worktree remove --force "$OLD_WT" 2>/dev/null || rm -rf "$OLD_WT"
        git worktree prune
        git worktree add --detach "$OLD_WT" "$OLD_SHA" >&2
        say "== building $OLD_REV ($OLD_SHA) in $OLD_WT"
        (cd "$OLD_WT" && CARGO_TARGET_DIR="$BENCH/old-target" \
            cargo build --release --features server --bin signup-guard)
        cp "$BENCH/old-target/release/signup-guard" "$OLD_BIN.tmp"
        mv "$OLD_BIN.tmp" "$OLD_BIN"
        git worktree remove --force "$OLD_WT"
        OLD_WT=""
    fi
    say "== old: $OLD_REV = $(git log -1 --format='%h %s' "$OLD_SHA")"
fi
say "== current: $(git log -1 --format='%h %s')$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock || echo ' + uncommitted changes')"

WORK="$(mktemp -d "$BENCH/run.XXXXXX")"

PREFILL_DB=""
if [ "$PREFILL" -gt 0 ]; then
    PREFILL_DB="$BENCH/prefill-$PREFILL.db"
    if [ "$REFILL" = 1 ] || [ ! -f "$PREFILL_DB" ]; then
        say "== pre-filling $PREFILL contacts through the HTTP API (current binary, 64 connections)"
        rm -f "$PREFILL_DB" "$PREFILL_DB".tmp*
        start_server "$NEW_BIN" "$PREFILL_DB.tmp" "$WORK/prefill.log"
        started=$SECONDS
        timeout 7200 "$LOAD" --addr "$ADDR" --target submissions --requests "$PREFILL" \
            --connections 64 --tag prefill
        stop_server
        [ ! -s "$PREFILL_DB.tmp-wal" ] || { say "server-bench: the WAL was not checkpointed"; exit 1; }
        rm -f "$PREFILL_DB.tmp-wal" "$PREFILL_DB.tmp-shm"
        mv "$PREFILL_DB.tmp" "$PREFILL_DB"
        printf 'built %s by %s in %d s, load average at the end %s\n' "$(date -u +%FT%TZ)" \
            "$(git rev-parse --short HEAD)" "$((SECONDS - started))" "$(loadavg)" >"$PREFILL_DB.info"
    fi
    say "== pre-filled database: $PREFILL_DB ($(du -h "$PREFILL_DB" | cut -f1); $(cat "$PREFILL_DB.info" 2>/dev/null || echo 'no build record'))"
fi

HOOK_ARGS=()
if [ "$WEBHOOKS" = 1 ]; then
    # Two receivers that verify every signature (PyPI standardwebhooks) and answer 204.
    venv="$(bash scripts/webhook-venv.sh)"
    secret="whsec_$(head -c 32 /dev/urandom | base64)"
    printf '%s\n' "$secret" >"$WORK/webhook-secret"
    HOOK_ARGS=(--webhook-secret-file "$WORK/webhook-secret")
    for n in 1 2; do
        "$venv/bin/python" scripts/webhook-sink.py --port 0 --secret "$secret" \
            --log "$WORK/sink$n.jsonl" >"$WORK/sink$n.out" &
        SINKS+=("$!")
        port=""
        for _ in $(seq 100); do
            port="$(sed -n 's/^listening //p' "$WORK/sink$n.out")"
            [ -n "$port" ] && break
            sleep 0.1
        done
        [ -n "$port" ] || { say "server-bench: webhook receiver $n did not start"; exit 1; }
        HOOK_ARGS+=(--webhook "http://127.0.0.1:$port/sink$n")
    done
fi

TEXT_HASH="$("$LOAD" --print-text-hash)"
ROWS=()
# Per binary (the row's label without its round): "ratio bound" pairs, one a round.
declare -A ROUND_FIGURES=()

# threads_ms PID: "NAME MS" per thread name (threads of one name summed: tokio's workers), the CPU
# each has used so far, in ms.
threads_ms() {
    local hz t
    hz="$(getconf CLK_TCK)"
    for t in /proc/"$1"/task/*; do
        printf '%s ' "$(cat "$t/comm" 2>/dev/null || echo gone)"
        awk -v hz="$hz" '{ printf "%d\n", ($14 + $15) * 1000 / hz }' "$t/stat" 2>/dev/null || echo 0
    done | awk '{ ms[$1] += $2 } END { for (n in ms) print n, ms[n] }' | sort
}

# per_thread BEFORE AFTER REQUESTS: "name µs, …" per request, from two threads_ms snapshots.
per_thread() {
    join -a 2 -e 0 -o 0,1.2,2.2 <(echo "$1") <(echo "$2") |
        awk -v n="$3" '{ d = ($3 - $2) * 1000 / n; if (d >= 0.05) { printf "%s%s %.1f", sep, $1, d; sep = ", " } }'
}

# cpu_ms PID: the CPU time (user + system, all threads) process PID has used so far, in ms.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }

# per_request MS: MS milliseconds spread over the phase's requests, in µs per request.
per_request() { awk -v m="$1" -v n="$REQUESTS" 'BEGIN { printf "%.1f", m * 1000 / n }'; }

# phase TARGET NOUN: examples/load on TARGET against the running server. Sets PHASE_OUT (its
# summary line) and, in ms over the phase, PHASE_SERVER_MS (the server's CPU, all threads),
# PHASE_LOAD_MS (the load generator's own, user + system) and PHASE_IRQ_MS (the machine's
# interrupt time), and PHASE_BUSY (% of the machine neither idle nor waiting on I/O); says them,
# with the server's CPU per NOUN by thread. Exits the script if the load fails.
phase() {
    local before after cpu0 stat0 stat1 TIMEFORMAT='%3U %3S'
    before="$(threads_ms "$SERVER")"
    cpu0="$(cpu_ms "$SERVER")"
    stat0="$(head -n 1 /proc/stat)"
    if ! { time PHASE_OUT="$(timeout 900 "$LOAD" --addr "$ADDR" --target "$1" \
        --requests "$REQUESTS" --connections "$CONNECTIONS")"; } 2>"$WORK/load.time"; then
        say "$PHASE_OUT"
        cat "$WORK/load.time" >&2
        say "server-bench: load failed"
        exit 1
    fi
    after="$(threads_ms "$SERVER")"
    PHASE_SERVER_MS=$(($(cpu_ms "$SERVER") - cpu0))
    stat1="$(head -n 1 /proc/stat)"
    PHASE_LOAD_MS="$(tail -n 1 "$WORK/load.time" | awk '{ printf "%d", ($1 + $2) * 1000 }')"
    # The machine's split over the phase (/proc/stat: user nice system idle iowait irq softirq
    # steal). Interrupt time, loopback TCP's softirq above all, is charged to no thread.
    read -r PHASE_IRQ_MS PHASE_BUSY <<<"$(awk -v hz="$(getconf CLK_TCK)" \
        'NR == 1 { for (i = 2; i <= 9; i++) a[i] = $i }
         NR == 2 { for (i = 2; i <= 9; i++) { d[i] = $i - a[i]; t += d[i] }
                   printf "%d %.0f", (d[7] + d[8]) * 1000 / hz, (t > 0 ? 100 - (d[5] + d[6]) * 100 / t : 0) }' \
        <<<"$stat0"$'\n'"$stat1")"
    say "$PHASE_OUT"
    say "  server CPU µs per $2, by thread: $(per_thread "$before" "$after" "$REQUESTS");" \
        "load generator $(per_request "$PHASE_LOAD_MS"); interrupts (softirq) $(per_request "$PHASE_IRQ_MS");" \
        "cores busy ${PHASE_BUSY}% (the rest idle or waiting on I/O)"
}

# field NAME LINE: the value of NAME=VALUE in a line of the wrk script's summary.
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

# run_one LABEL BIN [SERVE ARGS...]: one server on a fresh copy of the database; load on /v1/validate and
# /v1/submissions, then wrk when asked; verifies the consent log; appends a row to ROWS.
run_one() {
    local label="$1" bin="$2" db="$WORK/$1.db" out v s w wal_max hooks=""
    shift 2
    rm -f "$db" "$db-wal" "$db-shm"
    if [ -n "$PREFILL_DB" ]; then
        # The copy, its WAL (which grows by ~2.5 KB per submission under load) and some margin.
        local need avail
        need=$(($(du -k "$PREFILL_DB" | cut -f1) * 2 + 1048576))
        avail="$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')"
        if [ "$avail" -lt "$need" ]; then
            say "server-bench: $((avail / 1024)) MB free under $WORK, $((need / 1024)) MB needed"
            exit 1
        fi
        cp "$PREFILL_DB" "$db"
        # Write the copy out before the server starts: otherwise the first fsync of the database
        # (the first checkpoint) waits for the copy's ~0.7 GB of dirty pages, a stall of 0.3-0.4 s
        # measured on this disk, which lands on whichever binary checkpoints first.
        sync "$db"
    fi
    say ""
    say "== $label: $bin, load average $(loadavg)"
    start_server "$bin" "$db" "$WORK/$label.log" "$@"
    # Work the server does once at start (the retention sweep reads the contacts) must not land
    # in the first phase: wait until it uses under 5% of a core for half a second (at most 60 s).
    local settle=0 before after
    before="$(cpu_ms "$SERVER")"
    while [ "$settle" -lt 120 ]; do
        sleep 0.5
        after="$(cpu_ms "$SERVER")"
        [ $((after - before)) -ge 25 ] || break
        before=$after
        settle=$((settle + 1))
    done
    say "server on $ADDR (pid $SERVER), idle after $((settle * 5 / 10)).$((settle * 5 % 10)) s and $(cpu_ms "$SERVER") ms of CPU"
    if [ -n "$AFTER_START" ]; then
        say "after start: $AFTER_START"
        SERVER="$SERVER" bash -c "$AFTER_START" >&2 || { say "server-bench: --after-start failed"; exit 1; }
    fi
    # The WAL's largest size during the run, sampled every 0.2 s.
    (
        max=0
        while :; do
            size="$(stat -c %s "$db-wal" 2>/dev/null || echo 0)"
            [ "$size" -le "$max" ] || { max=$size; echo "$max" >"$WORK/$label.walmax"; }
            sleep 0.2
        done
    ) &
    SAMPLER=$!
    # The server's CPU per request in each phase: unlike the rates, barely moved by what else
    # the machine runs. Validations run before and after the durable phase and the row gives
    # their means (the log both): a machine whose speed drifts (10-20% within an hour here)
    # then does not bend the ratio.
    local sv lv iv bv v2 sd ld irqd bd
    phase validate validation
    v="$PHASE_OUT" sv="$PHASE_SERVER_MS" lv="$PHASE_LOAD_MS" iv="$PHASE_IRQ_MS" bv="$PHASE_BUSY"
    phase submissions "durable submission"
    s="$PHASE_OUT" sd="$PHASE_SERVER_MS" ld="$PHASE_LOAD_MS" irqd="$PHASE_IRQ_MS" bd="$PHASE_BUSY"
    phase validate "validation (after the durable phase)"
    v2="$PHASE_OUT"
    sv=$(((sv + PHASE_SERVER_MS) / 2)) lv=$(((lv + PHASE_LOAD_MS) / 2)) iv=$(((iv + PHASE_IRQ_MS) / 2))
    bv=$(((bv + PHASE_BUSY) / 2))
    local cpu_cols
    # Server CPU per request in each phase, the load generator's, the interrupts', and the
    # ratio that CPU allows (the phases have the same number of requests); then how busy the
    # cores were in each phase.
    cpu_cols="$(per_request "$sv") / $(per_request "$sd")"
    cpu_cols+=" | $(per_request "$lv") / $(per_request "$ld")"
    cpu_cols+=" | $(per_request "$iv") / $(per_request "$irqd")"
    local bound
    bound="$(awk -v v=$((sv + lv + iv)) -v d=$((sd + ld + irqd)) 'BEGIN { printf "%.2f", (d > 0 ? v / d : 0) }')"
    cpu_cols+=" | $bound | $bv / $bd"
    w=""
    if [ "$WRK" = 1 ]; then
        # shellcheck disable=SC2086 # WRK_OPTS is a list of options
        out="$(SG_TEXT_HASH="$TEXT_HASH" SG_RUN="$RANDOM" SG_SPREAD="$SPREAD" timeout 900 \
            wrk $WRK_OPTS --timeout 10s --latency -s "$REPO/scripts/wrk-submissions.lua" \
            "http://$ADDR/v1/submissions")" || { say "$out"; say "server-bench: wrk failed"; exit 1; }
        say "$out"
        w="$(grep '^WRK ' <<<"$out")"
        if [ "$(field not_201 "$w")" != 0 ] || [ "$(field socket_errors "$w")" != 0 ]; then
            say "server-bench: wrk saw answers other than 201 or socket errors (see above)"
            exit 1
        fi
    fi
    stop_server
    wal_max="$(cat "$WORK/$label.walmax" 2>/dev/null || echo 0)"
    "$bin" consent-log verify --db "$db" >&2
    if [ "$#" -gt 0 ]; then
        "$bin" webhooks list --db "$db" >"$WORK/$label.hooks"
        hooks=" ($(wc -l <"$WORK/$label.hooks") events queued, $(grep -c '"state":"sent"' "$WORK/$label.hooks" || true) delivered)"
    fi
    local db_mb
    db_mb="$(du -m "$db" | cut -f1)"
    rm -f "$db" "$db-wal" "$db-shm"
    local vr sr p50 p99
    # The mean of the validation phases before and after the durable one.
    vr="$(sed -n 's|.* = \([0-9]*\)/s .*|\1|p' <<<"$v"$'\n'"$v2" | awk '{ t += $1; n++ } END { printf "%d", (n ? t / n : 0) }')"
    sr="$(sed -n 's|.* = \([0-9]*\)/s .*|\1|p' <<<"$s")"
    p50="$(sed -n 's|.* p50 \([0-9.]*\) .*|\1|p' <<<"$s")"
    p99="$(sed -n 's|.* p99 \([0-9.]*\) .*|\1|p' <<<"$s")"
    local ratio
    ratio="$(awk -v s="$sr" -v v="$vr" 'BEGIN { printf "%.2f", (v > 0 ? s / v : 0) }')"
    local wrk_cols="| | | |" goal
    if [ -n "$w" ]; then
        wrk_cols="| $(field rate "$w") | $(field p50_ms "$w") / $(field p99_ms "$w") / $(field max_ms "$w")"
        wrk_cols+=" | $(awk -v r="$(field rate "$w")" -v v="$vr" 'BEGIN { printf "%.2f", (v > 0 ? r / v : 0) }')"
        # Issue 14: durable >= 0.6 x validations (same run) and wrk p99 <= 15 ms.
        goal="$(awk -v r="$ratio" -v p="$(field p99_ms "$w")" 'BEGIN { print (r >= 0.6 && p <= 15 ? "yes" : "no") }')"
        wrk_cols+=" | $goal"
    fi
    ROWS+=("| $label$hooks | $vr | $sr | $ratio | $cpu_cols | $p50 / $p99 $wrk_cols | $((wal_max / 1048576)) | $db_mb |")
    ROUND_FIGURES["${label%#*}"]+="$ratio $bound"$'\n'
}

for round in $(seq "$ROUNDS"); do
    suffix=""
    [ "$ROUNDS" = 1 ] || suffix="#$round"
    [ -z "$OLD_BIN" ] || run_one "old$suffix" "$OLD_BIN"
    run_one "current$suffix" "$NEW_BIN"
    [ "$WEBHOOKS" = 0 ] || run_one "current+2-webhooks$suffix" "$NEW_BIN" "${HOOK_ARGS[@]}"
done

say ""
WRK_SHAPE="no wrk"
[ "$WRK" = 0 ] || WRK_SHAPE="wrk $WRK_OPTS$([ "$SPREAD" = 0 ] || echo ' (spread keys)')"
echo "examples/load: $REQUESTS requests, $CONNECTIONS connections; $WRK_SHAPE; prefill $PREFILL contacts"
[ -z "$AFTER_START" ] || echo "after start: $AFTER_START"
[ -z "$OLD_REV" ] || echo "old = $OLD_REV ($(git rev-parse --short "$OLD_SHA")), current = $(git rev-parse --short HEAD) + working tree"
echo "| binary | validations/s | durable/s | durable/validations | server CPU µs per validation / durable | load generator CPU µs per validation / durable | interrupts µs per validation / durable | CPU bound | cores busy % validation / durable | load p50 / p99 ms | wrk req/s | wrk p50 / p99 / max ms | wrk/validations | ratio >= 0.6 and wrk p99 <= 15 ms | WAL max MB | db MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
printf '%s\n' "${ROWS[@]}"
if [ "$ROUNDS" -gt 1 ]; then
    # One slow stretch of this kind of machine can bend a round: plan on the median.
    median() { sort -n | awk '{ x[NR] = $1 } END { printf "%.2f", (NR % 2 ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2) }'; }
    for binary in "${!ROUND_FIGURES[@]}"; do
        figures="${ROUND_FIGURES[$binary]%$'\n'}"
        ratios="$(cut -d' ' -f1 <<<"$figures" | sort -n)"
        echo "$binary over $ROUNDS rounds: median durable/validations $(median <<<"$ratios")" \
            "($(head -n 1 <<<"$ratios") to $(tail -n 1 <<<"$ratios"); at or above 0.6 in" \
            "$(awk '$1 >= 0.6' <<<"$ratios" | wc -l) of $ROUNDS), median CPU bound" \
            "$(cut -d' ' -f2 <<<"$figures" | median)"
    done | sort
fi
echo "load average at the end: $(loadavg)"
