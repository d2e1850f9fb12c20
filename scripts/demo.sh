#!/usr/bin/env bash
# Builds and starts the demo: the landing page with the drop-in script, the wasm bundle, and the
# verifier behind it on an embedded SQLite database, on http://127.0.0.1:8080.
#   bash scripts/demo.sh                 # extra arguments go to `serve`, e.g. --policy my.json
# On a fresh machine the first run installs the wasm target and the wasm-bindgen CLI (a few
# minutes, once). The database is ./signup-guard.db; delete it to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-wasm.sh
exec cargo run --release --features server -- serve --addr 127.0.0.1:8080 --db signup-guard.db "$@"
