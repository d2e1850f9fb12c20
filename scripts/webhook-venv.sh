#!/usr/bin/env bash
# Makes sure a private venv holds PyPI `standardwebhooks` (the Standard Webhooks reference
# verifier: the webhook tests' receivers and examples/webhook-receiver.py check every signature
# with it), then prints the venv's directory. Idempotent and quick when present.
# Exit 3 when PyPI cannot be reached, 1 on any other failure.
#   venv=$(bash scripts/webhook-venv.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.1.0
venv=${WEBHOOK_VENV:-${CARGO_TARGET_DIR:-$PWD/target}/webhook-venv}
say() { printf '\033[1m[webhook-venv]\033[0m %s\n' "$*" >&2; }

if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('standardwebhooks') != '$version')" 2>/dev/null; then
  say "installing standardwebhooks==$version into $venv"
  python3 -m venv "$venv" 2>/dev/null || {
    # Debian ships venv separately.
    say "python3 -m venv failed; installing Debian's python3-venv"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  }
  if ! "$venv/bin/pip" install -q "standardwebhooks==$version" >&2; then
    if ! python3 -c "import urllib.request; urllib.request.urlopen('https://pypi.org/simple/standardwebhooks/', timeout=15)" 2>/dev/null; then
      say "PyPI cannot be reached: standardwebhooks is not installed"
      exit 3
    fi
    say "pip failed although PyPI is reachable"
    exit 1
  fi
fi
echo "$venv"
