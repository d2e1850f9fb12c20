#!/usr/bin/env bash
# Phone benchmark: this crate natively on one core vs libphonenumber-js (`max` metadata) in Node,
# on the same list of numbers from every region in random order, in one run.
#
#   bash scripts/phone-bench.sh [N]      (N numbers, default 60000)
#
# Installs, once and outside the repo ($CARGO_TARGET_DIR): PyPI phonenumbers (only to write the
# list of example-based numbers) and npm libphonenumber-js. Prints warm throughput, first-call
# latency and per-call p50/p99/p99.9 for both, the speed ratio and the table sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
n=${1:-60000}
jsver=1.13.16          # libphonenumber-js, pinned so runs compare
nodedir=$CARGO_TARGET_DIR/phone-bench-node
list=$CARGO_TARGET_DIR/phone-bench-list.tsv
say() { printf '\033[1m[phone-bench]\033[0m %s\n' "$*" >&2; }

venv=$(bash scripts/phone-venv.sh)
if [ "$(node -p "try{require('$nodedir/node_modules/libphonenumber-js/package.json').version}catch(e){''}")" != "$jsver" ]; then
  say "installing libphonenumber-js@$jsver into $nodedir"
  mkdir -p "$nodedir"
  (cd "$nodedir" && [ -f package.json ] || echo '{"private":true}' > package.json)
  npm install --silent --prefix "$nodedir" "libphonenumber-js@$jsver"
fi
"$venv/bin/python" scripts/phone-bench-list.py "$list" "$n" >&2

pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
say "building the native benchmark (release)"
cargo bench --bench phone --no-run --quiet 2>/dev/null || cargo bench --bench phone --no-run
rust=$(PHONE_BENCH_LIST=$list "${pin[@]}" cargo bench --bench phone --quiet 2>/dev/null | tail -1)
js=$(PHONE_BENCH_NODE_MODULES=$nodedir/node_modules "${pin[@]}" node scripts/phone-bench.mjs "$list")
echo "$rust"
echo "$js"
node -e '
const [r, j] = [JSON.parse(process.argv[1]), JSON.parse(process.argv[2])];
const row = (x) => `${x.engine.padEnd(34)} ${String(x.per_sec).padStart(9)}/s  first ${String(x.first_call_us).padStart(9)} µs  p50 ${(x.p50_ns/1000).toFixed(2).padStart(6)} µs  p99 ${(x.p99_ns/1000).toFixed(2).padStart(6)} µs  p99.9 ${(x.p999_ns/1000).toFixed(2).padStart(7)} µs`;
console.log(`\n${r.numbers} numbers, one core, random region order`);
console.log(row(r)); console.log(row(j));
console.log(`speed ratio: ${(r.per_sec / j.per_sec).toFixed(1)}x  (target >= 5x); p99 target < 5 µs; first call target < 5 ms`);
' "$rust" "$js"
bash scripts/phone-table-size.sh
