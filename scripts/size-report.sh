#!/usr/bin/env bash
# Prints raw, gzip (-9) and brotli (q11) sizes of every file the demo page downloads, and the
# totals: the signup-guard bundle (what any page pays to validate email, phone, names and
# consent: drop-in script, CSS, JS glue, wasm, policy) against its budget of 200 KB brotli, and
# the whole demo page (plus its HTML and demo.js).
#
#   bash scripts/size-report.sh            # report (builds pkg/ first if it is missing)
#   bash scripts/size-report.sh --check    # also exit 1 when the bundle is over budget
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f pkg/signup_guard_bg.wasm ]; then
  bash scripts/build-wasm.sh
fi
exec node --input-type=module - "$@" <<'JS'
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const BUDGET = 200 * 1024;
const bundle = [
  ["pkg/signup-guard.js", "drop-in script"],
  ["pkg/signup-guard.css", "drop-in styles"],
  ["pkg/signup_guard.js", "wasm-bindgen glue"],
  ["pkg/signup_guard_bg.wasm", "WebAssembly core"],
  ["www/policy.json", "policy (GET /v1/policy)"],
];
const page = [
  ["www/index.html", "demo page"],
  ["www/demo.js", "demo page words"],
];
const sizes = (file) => {
  const raw = readFileSync(file);
  return {
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    }).length,
  };
};
const kb = (n) => (n / 1024).toFixed(1).padStart(8);
const line = (name, s, what = "") =>
  console.log(`${name.padEnd(28)}${kb(s.raw)}${kb(s.gzip)}${kb(s.brotli)}  ${what}`);
const sum = (rows) => rows.reduce((t, [, s]) => ({ raw: t.raw + s.raw, gzip: t.gzip + s.gzip, brotli: t.brotli + s.brotli }),
  { raw: 0, gzip: 0, brotli: 0 });

console.log(`${"file".padEnd(28)}${"raw KB".padStart(8)}${"gzip KB".padStart(8)}${"br KB".padStart(8)}`);
const b = bundle.map(([f, what]) => [f, sizes(f), what]);
const p = page.map(([f, what]) => [f, sizes(f), what]);
for (const [f, s, what] of [...b, ...p]) line(f, s, what);
const tb = sum(b);
const tp = sum([...b, ...p]);
line("= bundle", tb, `budget ${BUDGET / 1024} KB brotli: ${tb.brotli <= BUDGET ? "within" : "OVER"}`);
line("= demo page, all files", tp);
if (process.argv.includes("--check") && tb.brotli > BUDGET) process.exit(1);
JS
