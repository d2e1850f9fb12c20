#!/usr/bin/env bash
# The venv with PyPI `phonenumbers` at the release whose metadata build.rs compiles (the
# reference of the phone tests and benchmark): installed once by scripts/py-venv.sh, which
# prints its directory (target/phone-venv; PHONE_VENV to choose another). Exit 3 when PyPI
# cannot be reached.
#   venv=$(bash scripts/phone-venv.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
# One place for the version: the header of the vendored metadata (its first "version" key;
# scripts/refresh-phone-metadata.sh VERSION rewrites it), read without parsing the 600 KB.
version=$(head -c 4096 src/fields/phone/data/metadata.json | grep -o '"version": *"[^"]*"' |
  head -n 1 | cut -d '"' -f 4)
[ -n "$version" ] || { echo "phone-venv: no version in src/fields/phone/data/metadata.json" >&2; exit 1; }
PY_VENV_DIR=${PHONE_VENV:-} exec bash scripts/py-venv.sh phone "phonenumbers==$version"
