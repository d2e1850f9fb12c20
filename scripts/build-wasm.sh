#!/usr/bin/env bash
# Builds the browser bundle into pkg/ (flat): the wasm module, its JS glue, the TypeScript types,
# the drop-in script and its CSS, and package.json (from pkg.json). One command, from a fresh
# machine: it installs the wasm target, the wasm-bindgen CLI of the exact version in Cargo.lock,
# and (unless SG_WASM_OPT=0) binaryen's wasm-opt from npm, when they are missing.
#
#   bash scripts/build-wasm.sh            # optimized bundle in pkg/
#   SG_WASM_OPT=0 bash scripts/build-wasm.sh   # skip wasm-opt
#   SG_PROFILE=release bash scripts/build-wasm.sh  # another cargo profile (default: wasm)
#   SG_WASM_NIGHTLY=0 bash scripts/build-wasm.sh   # stable Rust, std as shipped (larger module)
#   SG_MINIFY=0 bash scripts/build-wasm.sh          # ship the scripts and CSS as written
#   bash scripts/build-wasm.sh --regions ID,IR,SA  # phone data of these regions inside the wasm
#
# Phone data ships as one file per calling code, pkg/phone-<code>.<hash>.bin (the hash names
# the content, so the files can be cached forever); the page fetches a file when a number needs
# it. `--regions` (or SG_PHONE_REGIONS) compiles the named regions' files into the module
# instead, for pages that want no extra request; `all` embeds everything. Message catalogues
# come the same way: English is compiled in, every other locale is pkg/messages-<locale>.<hash>.txt,
# fetched by a page in that language; and the email data file, pkg/email.<hash>.txt (the root
# zone, which addresses with less common endings need, and the providers and role names, which
# every address the drop-in checks needs).
#
# The module is built with a pinned nightly (installed here by rustup with its rust-src
# component): `-Zbuild-std` rebuilds std for size (`optimize_for_size`) with panics that abort at
# once (`-Cpanic=immediate-abort`: no panic messages or formatting machinery in the module, and
# nothing in it panics on input), and no `Debug` formatting. That saves about 14 KB brotli; everything else (tests, the
# native faces) stays on stable. Its target dir is $CARGO_TARGET_DIR/nightly.
set -euo pipefail
# Command substitutions stop on errors too (a failed compile inside $(…) must stop the build).
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
install_target="$CARGO_TARGET_DIR/host-tools"
profile=${SG_PROFILE:-wasm}
target=wasm32-unknown-unknown
while [ $# -gt 0 ]; do
  case "$1" in
    --regions) export SG_PHONE_REGIONS="${2:?--regions needs a list like ID,IR,SA}"; shift 2 ;;
    --regions=*) export SG_PHONE_REGIONS="${1#--regions=}"; shift ;;
    *) echo "build-wasm: unknown argument $1" >&2; exit 2 ;;
  esac
done
export SG_PHONE_REGIONS=${SG_PHONE_REGIONS:-}

nightly=nightly-2026-05-19
toolchain=()
build_std=()
if [ "${SG_WASM_NIGHTLY:-1}" != "0" ]; then
  if ! rustup toolchain list | grep -q "^$nightly"; then
    echo "build-wasm: installing $nightly with rust-src (for -Zbuild-std)" >&2
    rustup toolchain install "$nightly" --profile minimal --component rust-src
  fi
  if ! rustup component list --toolchain "$nightly" --installed | grep -q '^rust-src'; then
    rustup component add rust-src --toolchain "$nightly"
  fi
  toolchain=("+$nightly")
  build_std=(-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size)
  # Only the module's own code: build scripts run on the host and keep unwinding panics.
  # `-Zfmt-debug=none` drops `{:?}` formatting (2.3 KB): no answer of the module uses it.
  # `-Dwarnings`: the browser builds compile code (cfg fields_only, phone_bridge, wasm32) that
  # clippy's native run never sees; with the toolchain pinned, a warning here is ours to fix.
  export RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none -Dwarnings"
  export CARGO_TARGET_DIR="$CARGO_TARGET_DIR/nightly"
elif ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$want" ]; then
  echo "build-wasm: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "build-wasm: installing wasm-bindgen-cli $want (found: ${have:-none}); this takes a few minutes" >&2
  # A host tool: built on stable without the module's nightly RUSTFLAGS (which stable rejects),
  # in its own target dir so the wasm builds' caches stay as they are.
  env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS CARGO_TARGET_DIR="$install_target" \
    cargo install wasm-bindgen-cli --version "=$want"
fi

tools="$root/tests/browser/node_modules/.bin"
# esbuild always (it bundles the drop-in's sources), wasm-opt unless SG_WASM_OPT=0.
if [ ! -x "$tools/esbuild" ] || { [ "${SG_WASM_OPT:-1}" != "0" ] && [ ! -x "$tools/wasm-opt" ]; }; then
  (cd tests/browser && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi) >&2
fi
wasm_opt() { # wasm_opt LEVEL FILE [FLAG...]: optimizes FILE in place
  local level=$1 file=$2
  shift 2
  "$tools/wasm-opt" "$level" --skip-pass=memory-packing --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue "$@" \
    "$file" -o "$file.opt"
  mv "$file.opt" "$file"
}

# The phone engine, a module of its own (crates/phone-engine: the same sources without JS glue),
# which the page loads when the first phone number needs it. Named by its content, like the
# phone data, so caches keep it forever; the main module is built knowing that name. A build
# with regions inside (`--regions`) keeps the engine inside too: no extra request at all.
bridge=""
engine=""
if [ -z "$SG_PHONE_REGIONS" ]; then
  cargo "${toolchain[@]}" rustc "${build_std[@]}" --manifest-path crates/phone-engine/Cargo.toml \
    --lib --crate-type cdylib --target "$target" --profile "$profile" --quiet
  engine_raw="$CARGO_TARGET_DIR/$target/$profile/signup_guard_phone_engine.wasm"
  engine_tmp=$(mktemp)
  cp "$engine_raw" "$engine_tmp"
  # -O3 was the smallest brotli on 2026-12-06 (16.39 KB; -Oz 16.41, -O2 16.50, -O1 16.58; the
  # engine has shrunk since: `bash scripts/size-report.sh` prints its size now).
  # The engine has no glue to read its target features section: stripped (0.1 KB).
  if [ "${SG_WASM_OPT:-1}" != "0" ]; then wasm_opt -O3 "$engine_tmp" --strip-target-features; fi
  engine="phone-engine.$(sha256sum "$engine_tmp" | cut -c1-16).wasm"
  bridge=phone-bridge
fi
export SG_PHONE_ENGINE="$engine"

# Only the cdylib: with `crate-type = ["cdylib", "rlib"]` a plain build skips LTO for the wasm
# module (about 18 KB brotli more). `cargo rustc` builds the one crate type, so LTO runs.
# build_main FEATURES: builds the main module with FEATURES (comma-separated, may be empty) and
# prints the build script's out dir, which holds the phone data, catalogue and root zone files.
build_main() {
  local data
  # No module from an earlier build may pass for this one's if the compile fails.
  rm -f "$raw"
  data=$(cargo "${toolchain[@]}" rustc "${build_std[@]}" --lib --crate-type cdylib --target "$target" \
    --profile "$profile" ${1:+--features "$1"} --message-format=json-render-diagnostics | node scripts/cargo-out-dir.mjs) ||
    { echo "build-wasm: the module did not build (features: ${1:-none})" >&2; exit 1; }
  if [ ! -d "$data/phone" ] || [ ! -d "$data/messages" ]; then
    echo "build-wasm: no phone data or catalogue files in the build's out dir ($data)" >&2
    exit 1
  fi
  echo "$data"
}
raw="$CARGO_TARGET_DIR/$target/$profile/signup_guard.wasm"
# optimize FILE: wasm-opt in place, unless SG_WASM_OPT=0.
optimize() {
  if [ "${SG_WASM_OPT:-1}" != "0" ]; then
    local before
    before=$(wc -c <"$1")
    # Measured on brotli, what ships: memory packing splits the data tables and grows the brotli
    # file at every level; without it, on the nightly build of 2026-12-06, -O2 gave 70.85 KB,
    # -O3 70.94, -Oz 71.00, -O1 71.18 (-O1 was best on the stable build before issue 12's cuts).
    wasm_opt -O2 "$1"
    echo "build-wasm: wasm-opt -O2 $(basename "$1"): $before -> $(wc -c <"$1") bytes" >&2
  fi
}

# shorten MODULE GLUE: the names the module and its glue share, one or two letters each
# (scripts/short-wasm-names.mjs: 1.4 KB brotli off the first load), unless SG_WASM_OPT=0. Only
# for the drop-in's module, which its bundle alone calls: the npm package's `init()` returns the
# module's exports (`memory`, …) under their own names.
shorten() {
  if [ "${SG_WASM_OPT:-1}" != "0" ]; then
    node scripts/short-wasm-names.mjs "$tools/wasm-opt" "$1" "$2"
  fi
}

out="$root/pkg"
rm -rf "$out"
mkdir -p "$out"
# The drop-in's module (feature fields-only): the fields, consent and messages, without
# whole-submission `validate` and custom fields, whose verdict the drop-in asks the verifier for
# (`POST /v1/validate`, the same code): 13.6 KB brotli off every first load on 2026-12-06.
fields_data=$(build_main "${bridge:+$bridge,}fields-only")
wasm-bindgen "$raw" --out-dir "$out" --out-name signup_guard_fields --target web --no-typescript
optimize "$out/signup_guard_fields_bg.wasm"
shorten "$out/signup_guard_fields_bg.wasm" "$out/signup_guard_fields.js"
# The whole module: the npm package's API (`validate` included).
data=$(build_main "$bridge")
if ! diff -r "$fields_data" "$data" >/dev/null; then
  echo "build-wasm: the two builds made different data files ($fields_data, $data)" >&2
  exit 1
fi
wasm-bindgen "$raw" --out-dir "$out" --target web --no-typescript
optimize "$out/signup_guard_bg.wasm"
if [ -n "$engine" ]; then
  mv "$engine_tmp" "$out/$engine"
fi

cp "$data"/phone/phone-*.bin "$data"/messages/messages-*.txt "$data"/email/email.*.txt "$data"/unicode/unicode.*.bin "$out/"
cp www/signup-guard-phone.js www/signup-guard-custom.js www/signup-guard.css www/signup-guard.d.ts www/drop-in.d.ts "$out/"
# The drop-in is one file for the page: www/signup-guard.js, its parts in www/drop-in/ and the
# core's glue, bundled (the modules it imports only when a form needs them stay apart). Bundled
# from a copy beside the glue, which wasm-bindgen wrote into pkg/.
minify=()
if [ "${SG_MINIFY:-1}" != "0" ]; then minify=(--minify); fi
stage=$(mktemp -d)
cp -r www/signup-guard.js www/drop-in "$out/signup_guard_fields.js" "$stage/"
"$tools/esbuild" "$stage/signup-guard.js" --bundle --format=esm --charset=utf8 "${minify[@]}" --log-level=warning \
  --external:./signup-guard-phone.js --external:./signup-guard-custom.js \
  --outfile="$out/signup-guard.js"
rm -rf "$stage"
# The scripts and the CSS minified (esbuild: names inside the modules, whitespace, comments;
# exports and strings stay): about 5 KB brotli off every first load. The sources in www/ keep
# their comments.
if [ "${SG_MINIFY:-1}" != "0" ]; then
  for f in signup-guard-phone.js signup-guard-custom.js signup_guard.js signup_guard_fields.js signup-guard.css; do
    "$tools/esbuild" "$out/$f" --minify --charset=utf8 --log-level=warning --outfile="$out/$f.min"
    mv "$out/$f.min" "$out/$f"
  done
fi
# The files the drop-in loads itself also under content-hashed names
# (`signup_guard_fields_bg.<hash>.wasm`, `signup-guard-phone.<hash>.js`, …), which the built drop-in
# names, so a host can cache them forever and a returning visitor asks again for the drop-in
# alone. The plain names stay for the npm package's API (`import init from "signup-guard"`).
node --input-type=module - "$out" <<'JS'
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
const dir = process.argv[2];
const hashed = (name, text) => {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  const dot = name.lastIndexOf(".");
  const out = `${name.slice(0, dot)}.${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}${name.slice(dot)}`;
  writeFileSync(`${dir}/${out}`, bytes);
  return out;
};
const read = (name) => readFileSync(`${dir}/${name}`, "utf8");
const wasm = hashed("signup_guard_fields_bg.wasm", readFileSync(`${dir}/signup_guard_fields_bg.wasm`));
const phone = hashed("signup-guard-phone.js", read("signup-guard-phone.js"));
const custom = hashed("signup-guard-custom.js", read("signup-guard-custom.js"));
let dropIn = read("signup-guard.js");
for (const [plain, name] of [["signup_guard_fields_bg.wasm", wasm],
  ["./signup-guard-phone.js", `./${phone}`], ["./signup-guard-custom.js", `./${custom}`]]) {
  if (!dropIn.includes(plain)) throw new Error(`build-wasm: the drop-in no longer names ${plain}`);
  dropIn = dropIn.replaceAll(plain, name);
}
// The data files the drop-in fetches before the module could name them (FILES in
// www/drop-in/core.js): the catalogues' page parts by locale and the Unicode data file.
const names = readdirSync(dir);
const messages = Object.fromEntries(names.flatMap((f) => {
  const m = /^messages-([a-z]+)\.[0-9a-f]{16}\.txt$/.exec(f);
  return m ? [[m[1], f]] : [];
}));
const unicode = names.find((f) => /^unicode\.[0-9a-f]{16}\.bin$/.test(f));
const marker = /\{\s*"sg-data-files"\s*:\s*0\s*\}/;
if (!messages.en || !unicode || !marker.test(dropIn)) throw new Error("build-wasm: no data file names for the drop-in");
dropIn = dropIn.replace(marker, JSON.stringify({ messages, unicode }));
writeFileSync(`${dir}/signup-guard.js`, dropIn);
JS

# Each file also precompressed (`.br` at brotli's best, quality 11, and `.gz` at gzip -9), so a
# server sends what the size report counts instead of compressing on the fly at a lower level
# (`signup-guard serve` serves these; so can nginx's `brotli_static`/`gzip_static` or a CDN).
# On 2026-12-06 the module went out as 93.4 KB brotli from `serve` on the fly, 78.6 KB from `.br`.
node --input-type=module - "$out" <<'JS'
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
const dir = process.argv[2];
for (const name of readdirSync(dir).filter((f) => /\.(wasm|js|css|txt|bin)$/.test(f))) {
  const raw = readFileSync(`${dir}/${name}`);
  writeFileSync(`${dir}/${name}.br`, brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  }));
  writeFileSync(`${dir}/${name}.gz`, gzipSync(raw, { level: 9 }));
}
JS
cp pkg.json "$out/package.json"
cp README.md "$out/README.md"
echo "build-wasm: pkg/ ready:" >&2
ls -l "$out" >&2
