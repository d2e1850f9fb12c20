#!/usr/bin/env bash
# Regenerates src/audit/country_names_cldr.rs (the audit's country-name table) from the Unicode
# CLDR territory names in the npm package `cldr-localenames-full` of a pinned version.
#
#   bash scripts/refresh-country-names.sh            # the pinned version below
#   bash scripts/refresh-country-names.sh 48.2.0     # another CLDR release
#
# Needs npm, tar, python3 and rustfmt. The table is native only (the audit, feature `cli`).
set -euo pipefail
VERSION="${1:-48.2.0}"
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(
    cd "$tmp"
    npm pack --silent "cldr-localenames-full@$VERSION" >/dev/null
    tar xzf "cldr-localenames-full-$VERSION.tgz" package/LICENSE \
        package/main/en/territories.json package/main/id/territories.json \
        package/main/ar/territories.json package/main/fa/territories.json
)
python3 scripts/country-names.py "$tmp/package" "$VERSION" > src/audit/country_names_cldr.rs
rustfmt --edition 2021 src/audit/country_names_cldr.rs
