#!/usr/bin/env bash
# Differential test of the phone module against libphonenumber (PyPI `phonenumbers`, pinned to
# the metadata version of the `phonenumber` crate that build.rs compiles from).
#
#   bash scripts/phone-differential.sh
#
# Installs the pinned package into a private venv (once), generates the cases at test time
# (scripts/phone-differential.py) and runs `cargo test --test phone_differential`. Skips, loudly
# and with success, only when PyPI cannot be reached; any other failure fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
# Keep in step with the `phonenumber` build-dependency in Cargo.toml (0.3.10+9.0.33).
version=9.0.33
venv=${PHONE_VENV:-$CARGO_TARGET_DIR/phone-venv}
cases=$CARGO_TARGET_DIR/phone-differential-cases.json

say() { printf '\033[1m[phone-differential]\033[0m %s\n' "$*" >&2; }

if ! "$venv/bin/python" -c "import phonenumbers, sys; sys.exit(phonenumbers.__version__ != '$version')" 2>/dev/null; then
  say "installing phonenumbers==$version into $venv"
  python3 -m venv "$venv" 2>/dev/null || {
    # Debian ships venv separately.
    say "python3 -m venv failed; installing Debian's python3-venv"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  }
  if ! "$venv/bin/pip" install -q "phonenumbers==$version"; then
    if ! python3 -c "import urllib.request; urllib.request.urlopen('https://pypi.org/simple/phonenumbers/', timeout=15)" 2>/dev/null; then
      say "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
      say "SKIPPED: PyPI is unreachable, so the libphonenumber reference cannot be installed."
      say "The phone differential test did NOT run."
      say "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
      exit 0
    fi
    say "pip failed although PyPI is reachable"
    exit 1
  fi
fi

"$venv/bin/python" scripts/phone-differential.py "$cases"
PHONE_DIFFERENTIAL_CASES=$cases cargo test --test phone_differential -- --ignored --nocapture
