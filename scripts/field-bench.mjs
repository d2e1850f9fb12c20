// The drop-in's module on its own, in Node: a warm `validateField` (medians of 300 samples of 100
// calls), a sweep over every field vector, and 400,000 random values over five fields and four
// locales in blocks of 20,000 (time per call in each block: an allocator that slows as its heap
// fragments shows here), with the module's memory at the end. Printed, never asserted.
//
//   node scripts/field-bench.mjs [PKG] [--old PKG]   # PKG: a built pkg/ (default ./pkg)
//
// `--old` runs a second pkg/ (e.g. a worktree of an older commit, built) the same way, after it,
// so two builds compare within one run.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const oldAt = args.indexOf("--old");
const old = oldAt >= 0 ? args.splice(oldAt, 2)[1] : null;
const pkgs = [args[0] ?? path.join(root, "pkg"), ...(old ? [old] : [])].map((p) => path.resolve(p));

async function bench(pkg) {
  const api = await import(`${pathToFileURL(path.join(pkg, "signup_guard_fields.js")).href}?${pkg}`);
  const exports = api.initSync({ module: new WebAssembly.Module(readFileSync(path.join(pkg, "signup_guard_fields_bg.wasm"))) });
  const memory = Object.values(exports).find((x) => x instanceof WebAssembly.Memory);
  const bytes = (name) => readFileSync(path.join(pkg, name));
  // Asks until the answer is final, loading what a pending answer names, as a page does.
  async function settle(ask) {
    for (let round = 0; round < 8; round++) {
      const got = ask();
      if (!got.pending) return got;
      for (const name of got.needs) {
        if (name.startsWith("messages-")) api.loadMessages(bytes(name));
        else if (name.startsWith("email.") || name.startsWith("unicode.")) api.loadEmailData(bytes(name));
        else if (name.endsWith(".wasm")) api.usePhoneEngine((await WebAssembly.instantiate(bytes(name))).instance);
        else api.loadPhoneData(bytes(name));
      }
    }
    return null;
  }
  const ctx = { country: "ID", locale: "en" };
  const calls = [["phone", "0812-3456-7890"], ["email", "jane.doe@gmail.com"], ["email", "jane@gmial.com"],
    ["given_name", "Siti Nurhaliza"], ["given_name", "محمد رضا"], ["email", "δοκιμή@παράδειγμα.δοκιμή"]];
  for (const [field, value] of calls) await settle(() => api.validateField(field, value, ctx));
  const cases = [];
  for (const [file, field] of [["email.json", "email"], ["phone.json", "phone"], ["name.json", "given_name"], ["country.json", "country"]]) {
    for (const c of JSON.parse(readFileSync(path.join(root, "tests/vectors", file), "utf8"))) {
      const cx = { country: c.country, locale: c.locale };
      if (c.policy) cx.policy = JSON.parse(readFileSync(path.join(root, "tests/vectors/policies", `${c.policy}.json`), "utf8"));
      cases.push([c.field ?? field, c.input, cx]);
    }
  }
  for (const [field, value, cx] of cases) await settle(() => api.validateField(field, value, cx));
  const us = (t) => Number(process.hrtime.bigint() - t) / 1000;
  console.log(`${pkg}:`);
  for (const [field, value] of calls) {
    const samples = [];
    for (let i = 0; i < 300; i++) {
      const t = process.hrtime.bigint();
      for (let j = 0; j < 100; j++) api.validateField(field, value, ctx);
      samples.push(us(t) / 100);
    }
    samples.sort((a, b) => a - b);
    console.log(`  warm validateField(${field}, ${JSON.stringify(value)}): ${samples[150].toFixed(2)} µs`);
  }
  let t = process.hrtime.bigint();
  for (let k = 0; k < 20; k++) for (const [field, value, cx] of cases) api.validateField(field, value, cx);
  console.log(`  every field vector, 20 times: ${(us(t) / (20 * cases.length)).toFixed(2)} µs per call`);
  // A fixed pseudo-random sequence: the same values for every pkg/.
  let seed = 42;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  const alphabet = "abcdefghijklmnopqrstuvwxyz.@-_محمدرضاδοκιμή0123456789۰۱۲+ ";
  const text = () => Array.from({ length: 1 + rnd(40) }, () => alphabet[rnd(alphabet.length)]).join("");
  const fields = ["email", "phone", "given_name", "family_name", "country"];
  const ctxs = [{ country: "ID", locale: "en" }, { country: "IR", locale: "fa" }, { country: "SA", locale: "ar" }, { country: "US", locale: "id" }];
  for (const cx of ctxs) for (const field of fields) await settle(() => api.validateField(field, "x@y.com", cx));
  for (let i = 0; i < 2000; i++) await settle(() => api.validateField(fields[rnd(5)], text(), ctxs[rnd(4)]));
  const blocks = [];
  for (let b = 0; b < 20; b++) {
    t = process.hrtime.bigint();
    for (let i = 0; i < 20000; i++) api.validateField(fields[rnd(5)], text(), ctxs[rnd(4)]);
    blocks.push((us(t) / 20000).toFixed(1));
  }
  console.log(`  400,000 random values, µs per call in blocks of 20,000: ${blocks.join(" ")}`);
  console.log(`  module memory at the end: ${memory.buffer.byteLength / 1024} KB`);
}

for (const pkg of pkgs) await bench(pkg);
