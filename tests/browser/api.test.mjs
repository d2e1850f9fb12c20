// The npm package in pkg/ as a Node user meets it: it loads through its package.json exports, the
// hand-written types (signup-guard.d.ts) name exactly the functions the module exports, and the
// JS API answers with the documented shapes. Run by scripts/browser-tests.sh after the build.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../pkg");
const manifest = JSON.parse(await readFile(path.join(pkg, "package.json"), "utf8"));
const api = await import(path.join(pkg, manifest.exports["."].default));
api.initSync({ module: await readFile(path.join(pkg, "signup_guard_bg.wasm")) });
// English is built in; a page in another language loads its catalogue first, as the drop-in does.
// Two files each: what field checks need, then what `validate` needs too.
for (const locale of ["ar", "fa", "id"]) {
  for (const part of [".", ".form."]) {
    const file = api.messagesFor(locale);
    assert.ok(file.startsWith(`messages-${locale}${part}`), file);
    assert.equal(api.loadMessages(await readFile(path.join(pkg, file))), locale);
  }
  assert.equal(api.messagesFor(locale), undefined);
}
// So does the root zone list, which addresses with less common endings need.
api.loadEmailData(await readFile(path.join(pkg, api.emailDataFor())));
// And the phone engine, a module of its own that a page loads with its first phone number.
const engineFile = api.phoneEngineFor();
api.usePhoneEngine((await WebAssembly.instantiate(await readFile(path.join(pkg, engineFile)))).instance);

test("the types declare exactly the functions the module exports", async () => {
  const dts = await readFile(path.join(pkg, manifest.types), "utf8");
  const declared = [...dts.matchAll(/^export (?:default )?function (\w+)/gm)].map((m) => m[1]).sort();
  const exported = Object.keys(api).filter((k) => typeof api[k] === "function" && k !== "default");
  assert.deepEqual(declared.filter((n) => n !== "init").sort(), exported.sort());
});

test("every file the manifest lists is in the package", async () => {
  const present = await readdir(pkg);
  for (const file of manifest.files) {
    // A glob (`phone-*.bin`, the phone data files) must match some file.
    const re = new RegExp(`^${file.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`);
    assert.ok(present.some((f) => re.test(f)), file);
  }
});

test("validateField answers with the documented shape; bad values are values, bad calls throw", async () => {
  api.loadPhoneData(await readFile(path.join(pkg, api.phoneDataFor("ID"))));
  const v = api.validateField("phone", "٠٨١٢٣٤٥٦٧٨٩٠", { country: "ID", locale: "ar" });
  assert.equal(v.ok, true);
  assert.equal(v.normalized, "+6281234567890");
  assert.equal(v.display, "+62 812-3456-7890");
  const bad = api.validateField("email", "jane@gmail.con", { locale: "id" });
  assert.equal(bad.ok, false);
  assert.equal(bad.issues[0].code, "email.tld_unknown");
  assert.equal(bad.issues[0].suggestion, "jane@gmail.com");
  assert.throws(() => api.validateField("shoe_size", "42"), TypeError);
  assert.throws(() => api.validateField("email", 42), TypeError);
  assert.throws(() => api.validate({}, { id: "p" }), TypeError, "a policy without a version does not load");
});

test("formatAsYouType waits for a region's data, then groups the digits in the script typed", async () => {
  // Iran's data is not loaded by any earlier test: the text stays as typed until it is.
  const first = api.formatAsYouType("۰۹۱۲۳۴۵", "IR");
  assert.deepEqual({ ...first }, { text: "۰۹۱۲۳۴۵", pending: true, needs: [api.phoneDataFor("IR")] });
  api.loadPhoneData(await readFile(path.join(pkg, first.needs[0])));
  assert.deepEqual({ ...api.formatAsYouType("۰۹۱۲۳۴۵", "IR") }, { text: "۰۹۱۲ ۳۴۵", callingCode: 98, region: "IR" });
  assert.equal(api.formatAsYouType("0812 34567", "ID").text, "0812-3456-7");
  assert.equal(api.formatAsYouType("call me", "ID").text, "call me");
  assert.throws(() => api.formatAsYouType(42, "ID"), TypeError);
});

test("a lone surrogate gets the server's code, not a silent U+FFFD", () => {
  const v = api.validateField("given_name", "Ja\uD800ne", { locale: "en" });
  assert.equal(v.issues[0].code, "input.invalid_text");
  const s = api.validate({ email: "ani@example.org", family_name: "\uDC00" });
  assert.equal(s.ok, false);
  assert.equal(s.issues[0].code, "input.invalid_text");
});

test("a receipt verifies in validate, and a changed text hash does not", async () => {
  const policy = JSON.parse(await readFile(path.join(pkg, "../www/policy.json"), "utf8"));
  const sub = { email: "siti@example.co.id", given_name: "Siti", country: "ID", locale: "fa",
    consent: api.consentReceipt(policy, ["newsletter"], "fa") };
  const shown = api.consentPurposes(policy, "fa").find((p) => p.id === "newsletter");
  assert.equal(sub.consent.shown.newsletter, api.sha256Hex(shown.text));
  assert.equal(api.validate(sub, policy).ok, true);
  sub.consent.shown.newsletter = api.sha256Hex(shown.text + " ");
  assert.deepEqual(api.validate(sub, policy).issues.map((i) => i.code), ["consent.text_mismatch"]);
});

test("dataVersions names the vendored phone metadata release, as the server's /healthz does", async () => {
  const meta = JSON.parse(await readFile(path.join(pkg, "../src/fields/phone/data/metadata.json"), "utf8"));
  const v = api.dataVersions();
  assert.deepEqual(v.phone_metadata, { version: meta.version, date: meta.released });
  assert.match(v.tlds.version, /^\d+\.\d+\.\d+$/);
  assert.equal(v.providers.version, null);
  for (const d of [v.phone_metadata, v.tlds, v.providers]) assert.match(d.date, /^\d{4}-\d{2}-\d{2}$/);
});

test("each page catalogue carries the drop-in's words: English's keys, English's placeholders", async () => {
  // English's file (the drop-in's module loads it) has none: its words are dom.js's own.
  const { UI } = await import(new URL("../../www/drop-in/dom.js", import.meta.url));
  const holes = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const all = (await readdir(pkg)).filter((f) => /^messages-[a-z]+\.[0-9a-f]{16}\.txt$/.test(f));
  assert.equal(all.length, 4, all.join(" "));
  const [english] = all.filter((f) => f.startsWith("messages-en."));
  assert.ok(!(await readFile(path.join(pkg, english), "utf8")).includes("\nui."), english);
  const files = all.filter((f) => f !== english);
  for (const file of files) {
    const words = Object.fromEntries((await readFile(path.join(pkg, file), "utf8")).split("\n")
      .filter((l) => l.startsWith("ui.")).map((l) => [l.slice(3, l.indexOf("\t")), l.slice(l.indexOf("\t") + 1)]));
    assert.deepEqual(Object.keys(words), Object.keys(UI.en), file);
    for (const [key, text] of Object.entries(words)) {
      assert.deepEqual(holes(text), holes(UI.en[key]), `${file} ui.${key}`);
      assert.notEqual(text, UI.en[key], `${file} ui.${key} is untranslated`);
    }
  }
});
