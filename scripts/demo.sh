#!/usr/bin/env bash
# Builds and starts the demo: the landing page with the drop-in script, the wasm bundle, and the
# verifier behind it on an embedded SQLite database, on http://127.0.0.1:8080, with double opt-in
# on: a local mail sink (scripts/mail-sink.py, PyPI aiosmtpd) on 127.0.0.1:2525 receives the
# confirmation mails and writes each to ./demo-mail/NNNN.eml (open it in any mail program, or
# follow the "confirm at" link this terminal prints).
#   bash scripts/demo.sh                 # extra arguments go to `serve`, e.g. --policy my.json
#   SG_DEMO_SMTP_PORT=2526 bash scripts/demo.sh   # when port 2525 is taken
# On a fresh machine the first run installs the wasm target and the wasm-bindgen CLI (a few
# minutes, once) and aiosmtpd in target/mail-venv (seconds, once). The database is
# ./signup-guard.db; delete it (and ./demo-mail) to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-wasm.sh
venv=$(bash scripts/mail-venv.sh)
port=${SG_DEMO_SMTP_PORT:-2525}

# The demo policy with double opt-in: www/policy.json plus "confirm": "email".
mkdir -p target/demo
python3 - www/policy.json target/demo/policy.json <<'PY'
import json, sys
policy = json.load(open(sys.argv[1], encoding="utf-8"))
policy["confirm"] = "email"
policy["confirm_within_days"] = 7
json.dump(policy, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY
policy=(--policy target/demo/policy.json)
for arg in "$@"; do [[ $arg == --policy* ]] && policy=(); done

"$venv/bin/python" scripts/mail-sink.py --port "$port" --dir demo-mail &
sink=$!
trap 'kill "$sink" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  kill -0 "$sink" 2>/dev/null || { echo "demo: the mail sink did not start (port $port taken? set SG_DEMO_SMTP_PORT)" >&2; exit 1; }
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

cargo run --release --features server -- serve --addr 127.0.0.1:8080 --db signup-guard.db \
  "${policy[@]}" --smtp-url "smtp://127.0.0.1:$port" --mail-from "Acme Demo <news@acme.example>" \
  --public-url http://127.0.0.1:8080 "$@"
