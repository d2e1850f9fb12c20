// Shortens the names a wasm-bindgen module and its JS glue share: every import (module and field,
// such as `"./signup_guard_fields_bg.js"` / `__wbg_get_2080c49015e35254`) and every export
// (`validateField`, `__wbindgen_malloc`) becomes one or two letters, in the module (wasm-opt
// `--minify-imports-and-exports-and-modules`) and in the glue alike. The hashed import names are
// text no compressor can shrink, written twice (wasm and glue): about 1 KB brotli of every first
// load. The glue's own exports (the JS API) keep their names.
//
//   node scripts/short-wasm-names.mjs WASM_OPT MODULE.wasm GLUE.js
//
// Both files are rewritten in place. It refuses (exit 1, files untouched) unless, afterwards,
// every import of the module is a key of the glue's import object and every `wasm.NAME` the glue
// reads is an export of the module.

import { execFileSync } from "node:child_process";
import { readFileSync, renameSync, writeFileSync } from "node:fs";

const [wasmOpt, wasmPath, gluePath] = process.argv.slice(2);
if (!gluePath) {
  console.error("usage: node scripts/short-wasm-names.mjs WASM_OPT MODULE.wasm GLUE.js");
  process.exit(2);
}
const fail = (why) => {
  console.error(`short-wasm-names: ${wasmPath}: ${why}`);
  process.exit(1);
};

const tmp = `${wasmPath}.short`;
// The features the module uses (as in build-wasm.sh), so wasm-opt reads and writes it unchanged.
const features = ["bulk-memory", "nontrapping-float-to-int", "sign-ext", "mutable-globals", "reference-types", "multivalue"];
// `--strip-target-features` too: browsers never read that section (0.1 KB brotli).
const out = execFileSync(wasmOpt, [wasmPath, "--minify-imports-and-exports-and-modules", "--strip-target-features",
  ...features.map((f) => `--enable-${f}`), "-o", tmp], { encoding: "utf8" });
const start = out.indexOf("{");
if (start < 0) fail("wasm-opt printed no name map");
const map = JSON.parse(out.slice(start));

const module = new WebAssembly.Module(readFileSync(tmp));
const imports = WebAssembly.Module.imports(module);
const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
const modules = new Set(imports.map((i) => i.module));
const oldModules = new Set(map.imports.map(([m]) => m));
if (modules.size !== 1 || oldModules.size !== 1) fail(`expected one import module, got ${[...oldModules]} -> ${[...modules]}`);
const [newModule] = modules;
const [oldModule] = oldModules;

// One pass over the glue, so a new name is never renamed again.
const renames = new Map();
for (const [, from, to] of map.imports) renames.set(from, to);
const exportRenames = new Map(map.exports);
const escape = (s) => s.replace(/[$]/g, "\\$");
const names = [...renames.keys()].sort((a, b) => b.length - a.length).map(escape);
const exportNames = [...exportRenames.keys()].sort((a, b) => b.length - a.length).map(escape);
const pattern = new RegExp(
  `(?<![\\w$])(${names.join("|")})(?=\\s*:)|\\bwasm\\.(${exportNames.join("|")})(?![\\w$])|${JSON.stringify(oldModule).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`,
  "g",
);
const glue = readFileSync(gluePath, "utf8");
const renamed = glue.replace(pattern, (whole, imp, exp) => {
  if (imp) return renames.get(imp);
  if (exp) return `wasm.${exportRenames.get(exp)}`;
  return JSON.stringify(newModule);
});

// What the glue now names must be what the module has.
const keys = new Set([...renamed.matchAll(/^\s*([\w$]+): function/gm)].map((m) => m[1]));
for (const i of imports) if (!keys.has(i.name)) fail(`the glue has no import "${i.name}"`);
for (const m of renamed.matchAll(/\bwasm\.([\w$]+)/g)) {
  if (!exports.has(m[1])) fail(`the glue reads wasm.${m[1]}, which the module does not export`);
}
if (!renamed.includes(JSON.stringify(newModule))) fail("the glue does not name the import module");
if (/__wbg_\w+_[0-9a-f]{16}\b/.test(renamed)) fail("an import name was left in the glue");

writeFileSync(gluePath, renamed);
renameSync(tmp, wasmPath);
