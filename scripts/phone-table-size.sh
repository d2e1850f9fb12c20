#!/usr/bin/env bash
# Reports the size of the phone tables build.rs generates: raw bytes and brotli (quality 11), and
# the same for the alternative where every DFA is replaced by its pattern program (DESIGN §3).
#   bash scripts/phone-table-size.sh        (needs node for brotli; builds the crate first)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
# The out dir of this very build (not the newest one on disk: a test build has its own, which may
# hold tables from other metadata).
out=$(cargo build --lib --quiet --message-format=json | node scripts/cargo-out-dir.mjs)
[ -f "$out/phone_tables.bin" ] || { echo "phone-table-size: no generated tables found" >&2; exit 1; }
echo "phone metadata $(sed -n 's/.*METADATA_VERSION: &str = "\(.*\)";/\1/p' "$out/phone_tables.rs")"
node -e '
const z = require("zlib"), fs = require("fs"), dir = process.argv[1];
const br = (b) => z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11,
  [z.constants.BROTLI_PARAM_LGWIN]: 24 } }).length;
for (const [f, what] of [["phone_tables.bin", "shipped: DFAs + programs + regions + formats"],
                         ["phone_tables_alt.bin", "alternative: programs only, no DFAs"],
                         ["phone_rows.bin", "  of which DFA rows"]]) {
  const b = fs.readFileSync(dir + "/" + f);
  console.log(`${what.padEnd(48)} raw ${String(b.length).padStart(7)} B   brotli ${String(br(b)).padStart(6)} B`);
}' "$out"
