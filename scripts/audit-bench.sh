#!/usr/bin/env bash
# Audit benchmark: generate a realistic contact list and time `signup-guard audit` on it.
#
#   bash scripts/audit-bench.sh            # 1,000,000 rows
#   ROWS=200000 bash scripts/audit-bench.sh
#
# Prints rows/s and peak RSS (from GNU time, `apt-get install -y time` where it is missing).
# Data and outputs go to $CARGO_TARGET_DIR/audit-bench (default target/audit-bench), never the repo.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-1000000}
TARGET=${CARGO_TARGET_DIR:-target}
DIR="$TARGET/audit-bench"
mkdir -p "$DIR"

cargo build --release --quiet --features cli --bin signup-guard --example audit_gen
BIN="$TARGET/release/signup-guard"
LIST="$DIR/list-$ROWS.csv"
if [ ! -s "$LIST" ]; then
  "$TARGET/release/examples/audit_gen" "$ROWS" > "$LIST.tmp"
  mv "$LIST.tmp" "$LIST"
fi
echo "input: $LIST ($(du -h "$LIST" | cut -f1), $(nproc) cores)"

if [ -x /usr/bin/time ]; then
  TIME=(/usr/bin/time -v)
else
  echo "GNU time not found (apt-get install -y time); peak RSS will not be shown" >&2
  TIME=()
fi

set +e
"${TIME[@]}" "$BIN" audit "$LIST" --default-country ID \
  --out "$DIR/clean.csv" --report "$DIR/report.json" 2> "$DIR/stderr.txt"
status=$?
set -e
if [ "$status" -gt 1 ]; then
  cat "$DIR/stderr.txt" >&2
  exit "$status"
fi

grep -v $'^\t' "$DIR/stderr.txt" || true # the summary, without GNU time's lines
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$DIR/stderr.txt")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/stderr.txt")
rows_s=$(python3 - "$DIR/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{r['rows']:,} rows in {r['seconds']:.2f} s = {r['rows_per_second']:,.0f} rows/s")
PY
)
user=$(sed -n 's/.*User time (seconds): //p' "$DIR/stderr.txt")
sys=$(sed -n 's/.*System time (seconds): //p' "$DIR/stderr.txt")
share=$(sed -n 's/.*Percent of CPU this job got: //p' "$DIR/stderr.txt")
echo "---"
echo "throughput: $rows_s"
[ -n "$wall" ] && echo "wall clock (process): $wall, CPU $user s user + $sys s system, $share of one core"
[ -n "$rss_kb" ] && echo "peak RSS: $((rss_kb / 1024)) MB"
# On a shared machine the wall clock measures the neighbours; the CPU time does not.
if [ -n "$user" ]; then
  python3 -c 'import sys; r, u, s, n = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]); print(f"upper bound on {n} idle cores (CPU time spread over every core): {r / ((u + s) / n):,.0f} rows/s")' \
    "$ROWS" "$user" "$sys" "$(nproc)"
fi
