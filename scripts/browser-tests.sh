#!/usr/bin/env bash
# The browser face's tests, from a fresh machine:
#   1. installs what they need when missing: Debian's chromium, the npm tools in
#      tests/browser (playwright-core, binaryen, typescript), the wasm target and wasm-bindgen CLI (build-wasm.sh);
#   2. builds pkg/ (scripts/build-wasm.sh) and checks the size report against its budgets;
#   3. runs the shared vectors through the shipped pkg/ (the optimized module and its phone data
#      files) in Node and in headless Chromium, each answer equal to the native one
#      (tests/browser/vectors.test.mjs, answers written by `cargo test --test vectors`);
#   4. checks the npm package from Node (types match exports, JS API shapes) and type-checks a
#      consumer against the hand-written .d.ts files (tsc);
#   5. runs the playwright e2e test on the demo page, served by the real `signup-guard serve`
#      when it builds (SG_E2E_SERVER=static forces the test's own static server); the
#      cross-origin tests start their own verifier from the same binary (SG_BIN) beside a second
#      static origin that serves the README's page.
#
#   bash scripts/browser-tests.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}

if [ ! -x /usr/bin/chromium ]; then
  echo "browser-tests: installing chromium (apt)" >&2
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi

(cd tests/browser && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi)

bash scripts/build-wasm.sh
bash scripts/size-report.sh --check

echo "== vectors: native answers, then the shipped pkg/ in Node and headless Chromium" >&2
export SG_VECTOR_ANSWERS="$CARGO_TARGET_DIR/vector-answers.json"
rm -f "$SG_VECTOR_ANSWERS"
cargo test -q --test vectors
(cd tests/browser && node --test vectors.test.mjs)

echo "== the npm package from Node (tests/browser/api.test.mjs) and its types (tsc)" >&2
(cd tests/browser && node --test api.test.mjs && npx tsc -p types)

echo "== e2e (playwright-core, headless Chromium)" >&2
server_pid=
work=$(mktemp -d)
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
base=
if [ "${SG_E2E_SERVER:-real}" != "static" ] && cargo build --all-features --bin signup-guard; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$CARGO_TARGET_DIR/debug/signup-guard" serve --addr "127.0.0.1:$port" --db "$work/e2e.db" \
    --min-fill-ms 0 --rate-limit 0 >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then base="http://127.0.0.1:$port"; break; fi
    sleep 0.1
  done
  if [ -z "$base" ]; then
    echo "browser-tests: the server did not come up; its log:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
fi
export SG_BIN="$CARGO_TARGET_DIR/debug/signup-guard"
# The e2e server's database, for the test that reads back a signup's stored attribution.
[ -n "$base" ] && export SG_E2E_DB="$work/e2e.db"
(cd tests/browser && SG_BASE_URL="$base" node --test e2e.test.mjs)
