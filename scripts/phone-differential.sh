#!/usr/bin/env bash
# Differential test of the phone module against libphonenumber (PyPI `phonenumbers` of the
# release vendored in src/fields/phone/data/metadata.json, which build.rs compiles from).
#
#   bash scripts/phone-differential.sh
#
# Installs the pinned package into a private venv (once), generates the cases at test time
# (scripts/phone-differential.py: parsing, validity, formats; scripts/phone-as-you-type.py:
# typing sequences for the as-you-type formatter) and runs `cargo test --test
# phone_differential --test phone_as_you_type` once for both. Skips, loudly
# and with success, only when PyPI cannot be reached; any other failure fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cases=$CARGO_TARGET_DIR/phone-differential-cases.json
typing=$CARGO_TARGET_DIR/phone-as-you-type-cases.json

say() { printf '\033[1m[phone-differential]\033[0m %s\n' "$*" >&2; }

status=0
venv=$(bash scripts/phone-venv.sh) || status=$?
if [ "$status" = 3 ]; then
  say "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  say "SKIPPED: PyPI is unreachable, so the libphonenumber reference cannot be installed."
  say "The phone differential test did NOT run."
  say "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  exit 0
elif [ "$status" != 0 ]; then
  exit "$status"
fi

"$venv/bin/python" scripts/phone-differential.py "$cases"
"$venv/bin/python" scripts/phone-as-you-type.py "$typing"
# --all-features: the same build as the native suite, so CI compiles the crate once.
PHONE_DIFFERENTIAL_CASES=$cases PHONE_AS_YOU_TYPE_CASES=$typing \
  cargo test --all-features --test phone_differential --test phone_as_you_type -- --ignored --nocapture
