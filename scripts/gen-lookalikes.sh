#!/usr/bin/env bash
# Regenerates src/unicode/lookalikes.rs (the characters that look like one ASCII letter, digit or
# hyphen, for the domain homograph check) from the Unicode confusables data compiled into the
# unicode-security crate. Run after upgrading unicode-security or idna; the test of the same name
# fails while the committed table is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
REGENERATE_LOOKALIKES=1 cargo test --test lookalikes_table
cargo test --test lookalikes_table
