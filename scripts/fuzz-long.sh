#!/usr/bin/env bash
# Long fuzzing run: every cargo-fuzz target (or those named) for FUZZ_SECONDS each, default
# 10 minutes; the same build, checks and exit status as scripts/fuzz-smoke.sh. Worth running
# after changing a parser; add what it finds in fuzz/work/<target>/ to the seeds only when small.
set -euo pipefail
export FUZZ_SECONDS="${FUZZ_SECONDS:-600}"
exec "$(dirname "$0")/fuzz-smoke.sh" "$@"
