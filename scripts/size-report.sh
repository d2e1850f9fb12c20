#!/usr/bin/env bash
# What a visitor downloads, raw, gzip (-9) and brotli (q11), against the budgets of issue 12:
#   first load     everything before a phone digit: drop-in script, CSS, JS glue, wasm, the
#                  page's one locale and the policy. The wasm carries no messages: the budget
#                  counts the largest catalogue (pkg/messages-<locale>.*.txt, English's too), so
#                  it holds for a page in any language;
#   + one region   first load plus the phone engine (pkg/phone-engine.<hash>.wasm, a module of
#                  its own) and one calling code's phone data (Indonesia, +62);
#   per region     the median phone data file (pkg/phone-*.bin), and the largest (+1);
#   Unicode tables pkg/unicode.*.bin, fetched when a name or an address has a character beyond
#                  ASCII, so not in the first load either;
#   email data     pkg/email.*.txt (root zone, providers, role names), fetched when the person
#                  starts on the email field, so not in the first load;
# then the whole demo page. The CI budgets are what --check enforces (the first load's is issue
# 12's, 56 KB); the issue's targets (48 KB goal for the first load, 64 KB after one region) are
# printed beside them until reached.
#
#   bash scripts/size-report.sh            # report (builds pkg/ first if it is missing)
#   bash scripts/size-report.sh --check    # also exit 1 when a CI budget is exceeded
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f pkg/signup_guard_bg.wasm ]; then
  bash scripts/build-wasm.sh
fi
exec node --input-type=module - "$@" <<'JS'
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const KB = 1024;
// CI budgets (brotli): what this build reaches (87.3 / 88.2 KB on 2026-12-06: the size cuts, 81.2,
// plus as-you-type formatting and the phone country picker) plus about 3 KB, so a small fix to
// the drop-in does not fail CI while a regression does; lower them as cuts land.
// Custom fields (issue 16.2: the policy's fields read, checked and patterns matched by the core
// in the page, so browser = server) took the first load from 87.3 to 97.8 KB: budgets 100/101,
// to be lowered when that code is trimmed or loaded only by pages whose policy has such fields.
// With the capture of where a signup came from (issue 16.3) beside them: 99.3 / 100.1 KB, so
// budgets 102/103.
// The phone engine as a module of its own (crates/phone-engine) took the first load from 99.3
// to 95.0 KB and put 13.0 KB on the first phone number (its own allocator and string code):
// after one region 108.8 KB. Budgets 97/111.
// The drop-in's own module without whole-submission `validate` and custom fields (the verifier's
// `POST /v1/validate` answers for those) took the first load from 95.2 to 81.5 KB and the first
// region from 108.6 to 94.9 KB; reading the page's policy object key by key instead of with the
// strict JSON reader, to 74.9 and 88.3 KB. Budgets 78/91.
// Then (the fifth session): phone data named by their data set (one id, not a hash per file),
// catalogues in a page's and a whole form's part, SHA-256 in a loop, the glue bundled into the
// drop-in, the consent receipt written by the drop-in, no formatting machinery, scripts in UTF-8:
// 73.8 -> 67.8 KB and 87.2 -> 81.3 KB; the Unicode tables only addresses beyond ASCII need as a
// file of their own: 65.5 and 78.9 KB; the drop-in's words in other languages in their catalogue
// files: 65.2 and 78.6 KB. Budgets 68/82.
// The sixth: the module's and glue's shared names shortened, 64.0 and 77.4 KB; English as a
// catalogue file, 63.0 and 76.4 KB; the script names in the Unicode data file, 62.5 and 75.9 KB;
// the review's mends, 62.6 and 76.0 KB. Budgets 65/79.
// The seventh: the provider list and role names in the email data file (the drop-in's build),
// 61.2 and 74.6 KB; Alphabetic, numbers and lowercase asked of the browser instead of core's
// tables, 56.2 and 69.6 KB; no copy of the policy per validateField, 54.7 and 68.1 KB; the
// engine without the national form, 54.7 and 67.0 KB; Punycode decoded by the crate, 54.1 and
// 66.3 KB; a field's answers built as JS objects, not JSON text, 53.1 and 65.3 KB. The first load's budget is now issue 12's CI budget, 56 KB; after one region 70 (its
// 64: not yet).
// The eighth: lol_alloc instead of talc in both modules, the script cache a sorted Vec, joins as
// loops, no substring searches in the field rules: 51.0 and 62.9 KB; the drop-in's tasks split
// (51.1 and 63.0). Both budgets are now issue 12's: 56 and 64 KB.
const BUDGET = { first: 56 * KB, region: 64 * KB, median: 2 * KB };
// The issue's targets (brotli).
const TARGET = { first: "48 KB goal", region: 64 * KB, median: 2 * KB };

const firstLoad = [
  ["pkg/signup-guard.js", "drop-in script, with the core's glue"],
  ["pkg/signup-guard-phone.js", "drop-in: phone formatting and country picker"],
  ["pkg/signup-guard-custom.js", "drop-in: the policy's custom fields"],
  ["pkg/signup-guard.css", "drop-in styles"],
  ["pkg/signup_guard_fields_bg.wasm", "WebAssembly core, the drop-in's (no messages inside)"],
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
// The page's own catalogue, one file (English's too); the largest is counted.
const catalogues = readdirSync("pkg").filter((f) => /^messages-[a-z]+\.[0-9a-f]{16}\.txt$/.test(f))
  .map((f) => [`pkg/${f}`, sizes(`pkg/${f}`)]).sort((a, b) => a[1].brotli - b[1].brotli);
const english = catalogues.find(([f]) => f.startsWith("pkg/messages-en."));
if (!english) throw new Error("no English catalogue file in pkg/");
const catalogue = catalogues[catalogues.length - 1];
firstLoad.push([catalogue[0], "the page's catalogue (the largest)"]);
const kb = (n) => (n / KB).toFixed(1).padStart(8);
const line = (name, s, what = "") =>
  console.log(`${name.padEnd(36)}${kb(s.raw)}${kb(s.gzip)}${kb(s.brotli)}  ${what}`);
const sum = (rows) => rows.reduce((t, [, s]) => ({ raw: t.raw + s.raw, gzip: t.gzip + s.gzip, brotli: t.brotli + s.brotli }),
  { raw: 0, gzip: 0, brotli: 0 });
const verdict = (n, budget) => (n <= budget ? "within" : "OVER");

console.log(`${"file".padEnd(36)}${"raw KB".padStart(8)}${"gzip KB".padStart(8)}${"br KB".padStart(8)}`);
const first = firstLoad.map(([f, what]) => [f, sizes(f), what]);
for (const [f, s, what] of first) line(f, s, what);
const tf = sum(first);

// The phone engine, a module of its own: loaded with the first phone data a form needs (a build
// with `--regions` has it inside the main module, and no such file).
const engineFile = readdirSync("pkg").find((f) => /^phone-engine\.[0-9a-f]{16}\.wasm$/.test(f));
const engine = engineFile ? [[`pkg/${engineFile}`, sizes(`pkg/${engineFile}`)]] : [];
for (const [f, s] of engine) line(f, s, "phone engine: with the first phone number");
const data = readdirSync("pkg").filter((f) => /^phone-.*\.bin$/.test(f))
  .map((f) => [`pkg/${f}`, sizes(`pkg/${f}`)]).sort((a, b) => a[1].brotli - b[1].brotli);
const region = data.find(([f]) => f.startsWith("pkg/phone-62."));
if (!region) throw new Error("no phone data file for +62 in pkg/");
line(region[0], region[1], "phone data of Indonesia (+62)");
const median = data[data.length >> 1];
const largest = data[data.length - 1];
const all = sum(data);
const tr = sum([[, tf], ...engine, region]);

console.log("");
const englishFirst = [...first.filter(([f]) => f !== catalogue[0]), english];
line("  first load, English page", sum(englishFirst), `its catalogue ${english[0]}: ${(english[1].brotli / KB).toFixed(1)} KB`);
// A form with no phone field under a policy without custom fields (a newsletter form) loads
// neither of those modules (the drop-in imports them on demand).
const lean = englishFirst.filter(([f]) => !/signup-guard-(phone|custom)\.js$/.test(f));
line("  first load, email-only form", sum(lean), "English, no phone or custom fields' modules (demo policy)");
line("= first load", tf, `CI budget ${BUDGET.first / KB} KB: ${verdict(tf.brotli, BUDGET.first)}; target ${TARGET.first}`);
line("= after one region (+62)", tr, `CI budget ${BUDGET.region / KB} KB: ${verdict(tr.brotli, BUDGET.region)}; target ${TARGET.region / KB} KB`);
line("= per region, median", median[1], `${median[0]}; budget ${BUDGET.median / KB} KB: ${verdict(median[1].brotli, BUDGET.median)}`);
line("  largest region", largest[1], largest[0]);
line(`  all ${data.length} calling codes`, all, "never all at once: one file per code the form meets");
const emailData = readdirSync("pkg").find((f) => /^email\.[0-9a-f]{16}\.txt$/.test(f));
if (!emailData) throw new Error("no email data file in pkg/");
line(`pkg/${emailData}`, sizes(`pkg/${emailData}`), "email data (root zone, providers, roles): when the email field is first used");
const unicode = readdirSync("pkg").find((f) => /^unicode\.[0-9a-f]{16}\.bin$/.test(f));
if (!unicode) throw new Error("no Unicode data file in pkg/");
line(`pkg/${unicode}`, sizes(`pkg/${unicode}`), "Unicode tables: when a name or an address goes beyond ASCII");
line("= demo page, first load", sum([[, tf], ...page.map(([f]) => [f, sizes(f)])]), "plus index.html and demo.js");
line("pkg/signup_guard_bg.wasm", sizes("pkg/signup_guard_bg.wasm"), "the npm package's whole module (validate too); the drop-in never loads it");
const over = tf.brotli > BUDGET.first || tr.brotli > BUDGET.region || median[1].brotli > BUDGET.median;
if (process.argv.includes("--check") && over) {
  console.error("size-report: over a CI budget");
  process.exit(1);
}
JS
