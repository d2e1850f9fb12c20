#!/usr/bin/env bash
# Builds and starts the demo: the landing page with the drop-in script, the wasm bundle, and the
# verifier behind it on an embedded SQLite database, on http://127.0.0.1:8080, with double opt-in
# on: a local mail sink (scripts/mail-sink.py, PyPI aiosmtpd) on 127.0.0.1:2525 receives the
# confirmation mails and writes each to ./demo-mail/NNNN.eml (open it in any mail program, or
# follow the "confirm at" link this terminal prints). A webhook receiver
# (examples/webhook-receiver.py, PyPI standardwebhooks) on 127.0.0.1:8099 verifies every signed
# event `serve` posts to it (`--webhook`, with a whsec_ secret generated into
# target/demo/webhook-secret) and prints it in this terminal as `webhook TYPE {data}`, followed
# by the mailing-tool call the README's recipe makes of it.
#   bash scripts/demo.sh                 # extra arguments go to `serve`, e.g. --policy my.json
#   SG_DEMO_SMTP_PORT=2526 bash scripts/demo.sh   # when port 2525 is taken
#   SG_DEMO_WEBHOOK_PORT=8100 bash scripts/demo.sh   # when port 8099 is taken
# On a fresh machine the first run installs the wasm target and the wasm-bindgen CLI (a few
# minutes, once), aiosmtpd in target/mail-venv and standardwebhooks in target/webhook-venv
# (seconds, once, while the wasm builds). The database is ./signup-guard.db; delete it (and
# ./demo-mail) to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/demo
# The webhook receiver's venv installs while the wasm builds; without PyPI the demo runs without it.
bash scripts/webhook-venv.sh >target/demo/webhook-venv.path 2>target/demo/webhook-venv.log &
hook_venv_job=$!
bash scripts/build-wasm.sh
venv=$(bash scripts/mail-venv.sh)
port=${SG_DEMO_SMTP_PORT:-2525}
hook_port=${SG_DEMO_WEBHOOK_PORT:-8099}

# The demo policy with double opt-in: www/policy.json plus "confirm": "email".
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
receiver=
trap 'kill "$sink" ${receiver:+"$receiver"} 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  kill -0 "$sink" 2>/dev/null || { echo "demo: the mail sink did not start (port $port taken? set SG_DEMO_SMTP_PORT)" >&2; exit 1; }
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

# The webhook receiver, with a fresh whsec_ secret (24 random bytes, base64) shared with `serve`.
webhook=()
if wait "$hook_venv_job"; then
  hook_venv=$(cat target/demo/webhook-venv.path)
  secret_file=target/demo/webhook-secret
  (umask 077 && python3 -c 'import base64, os; print("whsec_" + base64.b64encode(os.urandom(24)).decode())' >"$secret_file")
  WEBHOOK_SECRET=$(cat "$secret_file") "$hook_venv/bin/python" examples/webhook-receiver.py \
    --port "$hook_port" --show-events &
  receiver=$!
  for _ in $(seq 100); do
    kill -0 "$receiver" 2>/dev/null || { echo "demo: the webhook receiver did not start (port $hook_port taken? set SG_DEMO_WEBHOOK_PORT)" >&2; exit 1; }
    (exec 3<>"/dev/tcp/127.0.0.1/$hook_port") 2>/dev/null && break
    sleep 0.1
  done
  webhook=(--webhook "http://127.0.0.1:$hook_port/" --webhook-secret-file "$secret_file")
  echo "demo: webhook events are printed here as \"webhook TYPE {data}\" (receiver on 127.0.0.1:$hook_port)" >&2
else
  echo "demo: no webhook receiver (standardwebhooks not installed: see target/demo/webhook-venv.log)" >&2
fi

cargo run --release --features server -- serve --addr 127.0.0.1:8080 --db signup-guard.db \
  "${policy[@]}" --smtp-url "smtp://127.0.0.1:$port" --mail-from "Acme Demo <news@acme.example>" \
  --public-url http://127.0.0.1:8080 "${webhook[@]}" "$@"
