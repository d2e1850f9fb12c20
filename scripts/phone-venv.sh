#!/usr/bin/env bash
# Makes sure a private venv holds PyPI `phonenumbers` at the release whose metadata build.rs
# compiles (the reference of the phone tests and benchmark), then prints the venv's directory.
# Exit 3 when PyPI cannot be reached, 1 on any other failure.
#   venv=$(bash scripts/phone-venv.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
# One place for the version: the header of the vendored metadata
# (scripts/refresh-phone-metadata.sh VERSION rewrites it).
version=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' \
  src/fields/phone/data/metadata.json)
venv=${PHONE_VENV:-${CARGO_TARGET_DIR:-$PWD/target}/phone-venv}
say() { printf '\033[1m[phone-venv]\033[0m %s\n' "$*" >&2; }

if ! "$venv/bin/python" -c "import phonenumbers, sys; sys.exit(phonenumbers.__version__ != '$version')" 2>/dev/null; then
  say "installing phonenumbers==$version into $venv"
  python3 -m venv "$venv" 2>/dev/null || {
    # Debian ships venv separately.
    say "python3 -m venv failed; installing Debian's python3-venv"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  }
  if ! "$venv/bin/pip" install -q "phonenumbers==$version" >&2; then
    if ! python3 -c "import urllib.request; urllib.request.urlopen('https://pypi.org/simple/phonenumbers/', timeout=15)" 2>/dev/null; then
      exit 3
    fi
    say "pip failed although PyPI is reachable"
    exit 1
  fi
fi
echo "$venv"
