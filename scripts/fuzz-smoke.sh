#!/usr/bin/env bash
# Fuzz smoke (CI): builds the cargo-fuzz targets in fuzz/ and runs each for a bounded time,
# starting from the committed seeds in fuzz/corpus/<target>/. Exits non-zero on any crash,
# panic, timeout or out-of-memory and prints the path of the input that caused it.
#
#   scripts/fuzz-smoke.sh                 # every target, FUZZ_SECONDS (default 20) each
#   FUZZ_SECONDS=60 scripts/fuzz-smoke.sh email phone
#   scripts/fuzz-long.sh                  # the same, 10 minutes each
#
# Environment: FUZZ_SECONDS (per target), FUZZ_JOBS (cargo build jobs, default 1: the CI box
# has two shared cores), FUZZ_RSS_MB (memory limit per target, default 2048), FUZZ_SANITIZER
# (none by default: the crate has no unsafe code, and panics, overflow checks and debug
# assertions are caught without one; `address` for ASan).
# Installs what it needs when missing: the nightly toolchain and cargo-fuzz.
# A crash reproduces with (from the repo root), either of:
#   fuzz/target/x86_64-unknown-linux-gnu/release/<target> <path printed>
#   cargo +nightly fuzz run -s none -a <target> <path printed>
# New inputs a run finds go to fuzz/work/<target>/ (git-ignored), never into the seeds.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-20}"
jobs="${FUZZ_JOBS:-1}"
sanitizer="${FUZZ_SANITIZER:-none}"
rss_mb="${FUZZ_RSS_MB:-2048}"
# cargo-fuzz keeps its build in fuzz/target (git-ignored), or in FUZZ_TARGET_DIR (CI points it at
# a cache outside the clone), whatever the caller's cargo target dir is.
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR
fuzz_target_dir="${FUZZ_TARGET_DIR:-$PWD/fuzz/target}"
export CARGO_BUILD_JOBS="$jobs"
# Release code with debug assertions and overflow checks (an overflow is a crash too).
flags=(-s "$sanitizer" -a)

if ! rustup toolchain list | grep '^nightly' >/dev/null; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --version 0.13.2 --locked -j "$jobs"
fi

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

build_start=$(date +%s)
# One build of every target (they share the whole dependency graph); the runs use its binaries.
cargo +nightly fuzz build "${flags[@]}" --target-dir "$fuzz_target_dir" || { echo "fuzz: build failed" >&2; exit 2; }
bin_dir="$fuzz_target_dir/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"
echo "fuzz: build took $(( $(date +%s) - build_start )) s"

failed=()
printf '%-12s %10s %10s %8s  %s\n' target runs exec/s found result
for t in "${targets[@]}"; do
    mkdir -p "fuzz/work/$t" "fuzz/artifacts/$t"
    log="fuzz/work/$t.log"
    status=ok
    # The binary the build made, run directly: `cargo fuzz run` would rebuild first, and a
    # source edit between targets would then cost a rebuild inside the timed loop.
    # New inputs go to fuzz/work/<target> (the first corpus dir), seeds are only read.
    if ! "$bin_dir/$t" -artifact_prefix="fuzz/artifacts/$t/" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb="$rss_mb" -print_final_stats=1 "fuzz/work/$t" "fuzz/corpus/$t" \
        >"$log" 2>&1; then
        status=CRASH
        failed+=("$t")
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
    units=$(find "fuzz/work/$t" -type f | wc -l) # inputs with new coverage, all runs so far
    printf '%-12s %10s %10s %8s  %s\n' "$t" "${runs:-?}" "${rate:-?}" "$units" "$status"
    if [ "$status" != ok ]; then
        grep -E 'panicked at|ERROR: libFuzzer|SUMMARY' "$log" | head -n 5 | sed 's/^/    /' || true
        grep -o 'Test unit written to [^ ]*' "$log" | sed 's/^Test unit written to /    crashing input: /' || true
        echo "    full log: $log"
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: crashes in: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, no crash"
