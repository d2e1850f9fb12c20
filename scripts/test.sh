#!/usr/bin/env bash
# Runs every test of signup-guard, from a fresh clone on a fresh machine (it installs what each
# part needs when it is missing: the wasm target and wasm-bindgen CLI, Debian's Chromium and
# ChromeDriver, the npm tools of tests/browser, the pinned PyPI `phonenumbers`, `aiosmtpd` and
# `standardwebhooks`, nightly + cargo-fuzz):
#   1. format and lints (rustfmt, clippy with every feature, warnings are errors), and a check
#      that the fuzz crate (outside the workspace) compiles;
#   2. the native suite: unit and doc tests, the shared vectors, property tests, the CLI, the
#      audit, and the HTTP service over real HTTP with real SQLite files (incl. the SIGKILL test)
#      and, for double opt-in, a real SMTP server (scripts/mail-sink.py on PyPI aiosmtpd);
#      then once more with the server's clock a year ahead (SG_TEST_NOW, see src/clock.rs);
#      and the idle-time split of scripts/sched-idle.sh on a hand-made scheduler trace;
#      the store contract and the replica tests also run on PostgreSQL: a throwaway cluster
#      (scripts/pg-cluster.sh: Debian's postgresql, initdb as an unprivileged user, 127.0.0.1)
#      started here and stopped on exit, its URL in SG_TEST_PG_URL (SG_REQUIRE_PG=1: a test
#      that needs it fails rather than skipping);
#   3. the phone differential tests against libphonenumber (PyPI `phonenumbers`): parsing and
#      formats, and the as-you-type formatter on generated typing sequences;
#   4. the browser face: the same vectors through the JS API in Node and headless Chromium, the
#      npm package, and the end-to-end test of the demo page on the real server;
#   5. a fuzz smoke of every parser (FUZZ_SECONDS each, default 15).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --all-features -- -D warnings
# The browser's phone engine module (its own workspace: the crate's phone sources without JS glue).
cargo fmt --manifest-path crates/phone-engine/Cargo.toml -- --check
cargo clippy --manifest-path crates/phone-engine/Cargo.toml -- -D warnings

step "the fuzz crate compiles"
# fuzz/ is its own workspace, so clippy above never sees it (a struct that gained a field broke it
# once, found only at the fuzz smoke). Checked in the fuzz build's own target dir (FUZZ_TARGET_DIR,
# a cache outside the clone in CI; fuzz/target otherwise): about a minute the first time, then
# seconds (only what changed is checked again).
if ! rustup toolchain list | grep '^nightly' >/dev/null; then
    rustup toolchain install nightly --profile minimal
fi
cargo +nightly check --manifest-path fuzz/Cargo.toml --target-dir "${FUZZ_TARGET_DIR:-$PWD/fuzz/target}"

step "native tests (every feature)"
# PostgreSQL for tests/store_contract/ and tests/pg_replicas.rs, stopped whatever happens.
started_pg=0
if ! SG_TEST_PG_URL=$(bash scripts/pg-cluster.sh url 2>/dev/null); then
    SG_TEST_PG_URL=$(bash scripts/pg-cluster.sh start)
    started_pg=1
fi
trap '[ "$started_pg" = 1 ] && bash scripts/pg-cluster.sh stop || true' EXIT
export SG_TEST_PG_URL SG_REQUIRE_PG=1
# The SMTP server of tests/server_optin.rs (the test installs it too; here a failure says why first).
bash scripts/mail-venv.sh >/dev/null
# The webhook tests' receivers verify with PyPI standardwebhooks (tests/server_webhooks.rs).
bash scripts/webhook-venv.sh >/dev/null
cargo test --all-features

step "native tests again with the server clock a year ahead (SG_TEST_NOW): no test may depend on today's date"
SG_TEST_NOW=$(date -u -d '+1 year' +%Y-%m-%dT%H:%M:%SZ) cargo test --all-features --quiet

step "the pure core builds with default features"
cargo check --lib

step "bench tools: the idle-time split of scripts/sched-idle.sh on a known trace"
python3 scripts/sched-idle-test.py

step "phone: differential tests against libphonenumber (parsing, formats, as you type)"
bash scripts/phone-differential.sh

step "browser: wasm vectors in Node and Chromium, npm package, e2e"
bash scripts/browser-tests.sh

step "fuzz smoke"
FUZZ_SECONDS=${FUZZ_SECONDS:-15} bash scripts/fuzz-smoke.sh

step "all tests passed"
