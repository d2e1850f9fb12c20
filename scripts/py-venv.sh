#!/usr/bin/env bash
# Makes sure a private venv NAME holds the pinned PyPI packages PKG==VERSION…, then prints the
# venv's directory: ${CARGO_TARGET_DIR:-target}/NAME-venv (CI keeps it in its cache), or
# $PY_VENV_DIR when set. Idempotent; when the venv already holds the pins it costs no Python
# start (a stamp file records them). Installs Debian's python3-venv when venv is missing.
# Exit 3 when PyPI cannot be reached, 1 on any other failure.
#   venv=$(bash scripts/py-venv.sh mail aiosmtpd==1.4.6)
# The pins and what each venv is for live in scripts/mail-venv.sh, webhook-venv.sh and
# phone-venv.sh, which call this.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -lt 2 ]; then
  echo "usage: $0 NAME PKG==VERSION..." >&2
  exit 1
fi
name=$1
shift
venv=${PY_VENV_DIR:-${CARGO_TARGET_DIR:-$PWD/target}/$name-venv}
stamp=$venv/.py-venv-pins
say() { printf '\033[1m[%s-venv]\033[0m %s\n' "$name" "$*" >&2; }

if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$*" ]; then
  echo "$venv"
  exit 0
fi
# Each pin against what the venv holds (a venv made before the stamp existed counts too).
holds() {
  "$venv/bin/python" - "$@" 2>/dev/null <<'PY'
import importlib.metadata as m, sys
sys.exit(any(m.version(p.split("==")[0]) != p.split("==")[1] for p in sys.argv[1:]))
PY
}
if ! holds "$@"; then
  say "installing $* into $venv"
  python3 -m venv "$venv" 2>/dev/null || {
    # Debian ships venv separately.
    say "python3 -m venv failed; installing Debian's python3-venv"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  }
  if ! "$venv/bin/pip" install -q "$@" >&2; then
    first=${1%%==*}
    if ! python3 -c "import urllib.request; urllib.request.urlopen('https://pypi.org/simple/$first/', timeout=15)" 2>/dev/null; then
      say "PyPI cannot be reached: $* not installed"
      exit 3
    fi
    say "pip failed although PyPI is reachable"
    exit 1
  fi
fi
printf '%s' "$*" >"$stamp"
echo "$venv"
