#!/usr/bin/env bash
# The browser face's tests, from a fresh machine:
#   1. installs what they need when missing: Debian's chromium + chromium-driver, the npm tools in
#      tests/browser (playwright-core, binaryen, typescript), the wasm target and wasm-bindgen CLI (build-wasm.sh);
#   2. builds pkg/ (scripts/build-wasm.sh) and prints the size report;
#   3. runs the shared vectors through the JS API under wasm-bindgen-test in Node and in headless
#      Chromium (tests/wasm_vectors.rs);
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

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "browser-tests: installing chromium and chromium-driver (apt)" >&2
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
fi

(cd tests/browser && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi)

bash scripts/build-wasm.sh
bash scripts/size-report.sh

echo "== wasm vectors in Node" >&2
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test --target wasm32-unknown-unknown --test wasm_vectors

echo "== wasm vectors in headless Chromium" >&2
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$root/tests/browser/webdriver.json" \
  cargo test --target wasm32-unknown-unknown --test wasm_vectors

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
(cd tests/browser && SG_BASE_URL="$base" node --test e2e.test.mjs)
