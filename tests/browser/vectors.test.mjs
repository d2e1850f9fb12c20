// The shared vectors against the shipped, optimized pkg/ (what build-wasm.sh made: LTO, wasm-opt,
// the phone data files), in Node and in headless Chromium, through vectors.mjs. Each answer must
// equal the native one (target/vector-answers.json, written by the native runner; made here when
// missing). Run by scripts/browser-tests.sh; on its own:
//
//   bash scripts/build-wasm.sh && (cd tests/browser && node --test vectors.test.mjs)
//   SG_VECTORS_BROWSER=0 ...   # Node only

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import { runVectors, unicodeDisagreements } from "./vectors.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = path.join(root, "pkg");
const vectors = path.join(root, "tests/vectors");
const answersFile = process.env.SG_VECTOR_ANSWERS ||
  path.join(process.env.CARGO_TARGET_DIR || path.join(root, "target"), "vector-answers.json");
if (!existsSync(answersFile)) {
  execFileSync("cargo", ["test", "-q", "--test", "vectors", "answers_for_the_js_runner"], {
    cwd: root, stdio: "inherit", env: { ...process.env, SG_VECTOR_ANSWERS: answersFile },
  });
}
const native = JSON.parse(await readFile(answersFile, "utf8"));
const compiled = new WebAssembly.Module(await readFile(path.join(pkg, "signup_guard_bg.wasm")));
const glue = pathToFileURL(path.join(pkg, "signup_guard.js")).href;

// The drop-in's own module (feature fields-only): every field answer, no whole-submission verdict.
const fieldsCompiled = new WebAssembly.Module(await readFile(path.join(pkg, "signup_guard_fields_bg.wasm")));
const fieldsGlue = pathToFileURL(path.join(pkg, "signup_guard_fields.js")).href;

let instances = 0;
/** A module instance of its own (a fresh import of `url`, its glue), with no data loaded. */
async function instance(url, module) {
  const api = await import(`${url}?instance=${++instances}`);
  api.initSync({ module });
  return api;
}
/** A fresh instance of the npm package's module. */
const fresh = () => instance(glue, compiled);
/** A fresh instance of the drop-in's own module. */
const freshFields = () => instance(fieldsGlue, fieldsCompiled);
/** Gives `api` the phone engine module, as a page does when a pending answer names it. */
async function useEngine(api) {
  const file = api.phoneEngineFor();
  api.usePhoneEngine((await WebAssembly.instantiate(await fetchBytes(file))).instance);
}
const read = (name) => readFile(path.join(vectors, name), "utf8");
const fetchBytes = (name) => readFile(path.join(pkg, name));
const failed = (stats) => `${stats.failures.length} of ${stats.cases} cases failed:\n${stats.failures.join("\n")}`;

test("Node: every vector gives the native answer, phone data loaded per case as a page loads it", async () => {
  const stats = await runVectors({ api: await fresh(), read, fetchBytes, native });
  assert.equal(stats.failures.length, 0, failed(stats));
  assert.ok(stats.cases > 500, `only ${stats.cases} cases`);
  assert.ok(stats.loads > 5, `only ${stats.loads} phone data files loaded`);
  console.log(`${stats.cases} cases, ${stats.pendings} pending answers, ${stats.loads} data files loaded`);
});

test("Node: the drop-in's module gives the native answer on every field vector", async () => {
  const api = await freshFields();
  assert.equal(api.validate, undefined, "whole submissions are the verifier's in the drop-in");
  const stats = await runVectors({ api, read, fetchBytes, native, submissions: false });
  assert.equal(stats.failures.length, 0, failed(stats));
  assert.ok(stats.cases > 400, `only ${stats.cases} cases`);
  console.log(`drop-in module: ${stats.cases} field cases, ${stats.loads} data files loaded`);
});

test("Node: the drop-in's module reads every vector policy as the strict reader does", async () => {
  // Its build reads the page's policy object key by key (the verifier checked the document);
  // every rule it takes from a policy must come out as the npm module's strict reader has it.
  const lenient = await freshFields();
  const strict = await fresh();
  const values = {
    email: ["ani@example.org", `${"a".repeat(40)}@example.org`, ""],
    phone: ["+62 812-3456-7890", "+62 21 5555 1234", "0812-3456-7890", ""],
    given_name: ["Siti", "x".repeat(120), ""],
    family_name: ["Nur", ""],
    country: ["ID", "XX", ""],
  };
  for (const api of [lenient, strict]) {
    await useEngine(api);
    api.loadPhoneData(await fetchBytes(api.phoneDataFor("ID")));
    api.loadEmailData(await fetchBytes(api.emailDataFor()));
  }
  const { readdir } = await import("node:fs/promises");
  const names = (await readdir(path.join(vectors, "policies"))).filter((n) => n.endsWith(".json"));
  assert.ok(names.length >= 5, names.join(" "));
  let compared = 0;
  for (const name of names) {
    const policy = JSON.parse(await read(`policies/${name}`));
    for (const locale of ["en", "fa", "ar", "id"]) {
      for (const api of [lenient, strict]) {
        for (let file; (file = api.messagesFor(locale)); ) api.loadMessages(await fetchBytes(file));
      }
      const same = (what, ask) => {
        assert.deepEqual(ask(lenient), ask(strict), `${name}, ${locale}: ${what}`);
        compared++;
      };
      same("consent purposes", (api) => api.consentPurposes(policy, locale));
      for (const [field, list] of Object.entries(values)) {
        for (const value of list) {
          for (const country of [undefined, "ID"]) {
            same(`${field} ${JSON.stringify(value)} in ${country}`,
              (api) => api.validateField(field, value, { policy, locale, country }));
          }
        }
      }
    }
  }
  console.log(`drop-in module: ${compared} answers under ${names.length} policies as the strict reader's`);
});

test("Node: without its data file a phone gets a pending answer, never a verdict", async () => {
  const stats = await runVectors({ api: await fresh(), read, fetchBytes, native, load: false,
    only: ["phone.json", "submission.json"] });
  assert.equal(stats.failures.length, 0, failed(stats));
  assert.ok(stats.pendings > 30, `only ${stats.pendings} pending answers`);
});

test("Node: without its catalogue a locale gets pending answers, never a verdict in another language", async () => {
  // Every vector, nothing loaded: each answer is pending or already the native one.
  const stats = await runVectors({ api: await fresh(), read, fetchBytes, native, load: false });
  assert.equal(stats.failures.length, 0, failed(stats));
  const api = await fresh();
  api.loadEmailData(await fetchBytes(api.emailDataFor()));
  for (const locale of ["ar", "fa", "id"]) {
    const file = api.messagesFor(`${locale}-XX`);
    assert.match(file, new RegExp(`^messages-${locale}\\.[0-9a-f]{16}\\.txt$`));
    const ctx = { locale };
    assert.deepEqual(api.validateField("email", "ani@gmail.con", ctx),
      { pending: true, needs: [file], ok: false, issues: [], message: "" });
    assert.deepEqual(api.validate({ email: "x", locale }), { pending: true, needs: [file], ok: false, issues: [], message: "" });
    assert.equal(api.loadMessages(await fetchBytes(file)), locale);
    // A field's check needs no more; a whole form's check waits for the form's part.
    assert.equal(api.validateField("email", "ani@gmail.con", ctx).issues[0].code, "email.tld_unknown");
    const form = api.messagesFor(locale);
    assert.match(form, new RegExp(`^messages-${locale}\\.form\\.[0-9a-f]{16}\\.txt$`));
    assert.deepEqual(api.validate({ email: "x", locale }), { pending: true, needs: [form], ok: false, issues: [], message: "" });
    assert.equal(api.loadMessages(await fetchBytes(form)), locale);
    assert.equal(api.messagesFor(locale), undefined);
    assert.equal(api.validate({ email: "x", locale }).issues[0].code, "email.missing_at");
  }
  assert.equal(api.messagesFor("en-GB"), undefined);
  // English needs no file in the npm module; bytes that are not this build's catalogue are refused.
  assert.equal(api.validateField("email", "ani@gmail.con", {}).issues[0].code, "email.tld_unknown");
  // The drop-in's module carries no messages at all: English is a file there too, and until it
  // is loaded an English answer is pending like any other (a page in Persian never pays for it).
  const fields = await freshFields();
  fields.loadEmailData(await fetchBytes(fields.emailDataFor()));
  const en = fields.messagesFor("en-GB");
  assert.match(en, /^messages-en\.[0-9a-f]{16}\.txt$/);
  assert.equal(fields.messagesFor("id"), fields.messagesFor("id-ID"));
  assert.notEqual(fields.messagesFor("id"), en);
  for (const ctx of [{}, { locale: "en" }, { locale: "xx" }]) {
    assert.deepEqual(fields.validateField("email", "ani@gmail.con", ctx),
      { pending: true, needs: [en], ok: false, issues: [], message: "" }, JSON.stringify(ctx));
  }
  assert.equal(fields.loadMessages(await fetchBytes(en)), "en");
  assert.equal(fields.messagesFor("en"), undefined);
  assert.equal(fields.validateField("email", "ani@gmail.con", {}).issues[0].message,
    api.validateField("email", "ani@gmail.con", {}).issues[0].message);
  assert.throws(() => api.loadMessages(new Uint8Array([1, 2, 3])), TypeError);
  const other = await fresh();
  const bytes = await fetchBytes(other.messagesFor("fa"));
  bytes[bytes.length - 2] ^= 1;
  assert.throws(() => other.loadMessages(bytes), TypeError);
  assert.ok(other.messagesFor("fa"), "a refused file loads nothing");
});

test("Node: an address with a rare ending waits for the root zone list; common endings never wait", async () => {
  const api = await fresh();
  const file = api.emailDataFor();
  assert.match(file, /^email\.[0-9a-f]{16}\.txt$/);
  // The most common endings are known without the list: a verdict at once, right or wrong.
  assert.equal(api.validateField("email", "ani@gmail.com").ok, true);
  assert.equal(api.validateField("email", "ani@tokobudi.co.id").ok, true);
  assert.equal(api.validateField("email", "ani@gmail.com.").ok, true);
  // Another ending, known or not, waits: never "unknown ending" for lack of data.
  // (An ending beyond ASCII asks for the Unicode tables next: the test below.)
  for (const address of ["ani@gmail.con", "ani@example.museum", "ani@tokobudi.xn--p1ai"]) {
    assert.deepEqual(api.validateField("email", address), { pending: true, needs: [file], ok: false,
      issues: [], message: "Checking this email address…" }, address);
  }
  const sub = api.validate({ email: "ani@gmail.con", phone: "+1 202 555 0143" });
  assert.equal(sub.pending, true);
  assert.ok(sub.needs.includes(file), JSON.stringify(sub));
  assert.throws(() => api.loadEmailData(new Uint8Array([1, 2, 3])), TypeError);
  assert.equal(api.emailDataFor(), file, "refused bytes load nothing");
  api.loadEmailData(await fetchBytes(file));
  assert.equal(api.emailDataFor(), undefined);
  assert.equal(api.validateField("email", "ani@gmail.con").issues[0].code, "email.tld_unknown");
  assert.equal(api.validateField("email", "ani@example.museum").ok, true);
});

test("Node: in the drop-in's module every address waits for the email data file (providers, role names); a syntax error never does", async () => {
  const api = await freshFields();
  api.loadMessages(await fetchBytes(api.messagesFor("en")));
  const file = api.emailDataFor();
  // "Did you mean" needs the providers and the role warning the role names, which only that
  // file carries in this build: no verdict, right or wrong, before it is in.
  for (const address of ["ani@gmail.com", "ani@gmial.com", "info@tokobudi.co.id"]) {
    assert.deepEqual(api.validateField("email", address), { pending: true, needs: [file], ok: false,
      issues: [], message: "Checking this email address…" }, address);
  }
  assert.equal(api.validateField("email", "ani@@gmail.com").pending, undefined);
  assert.equal(api.validateField("email", "ani").issues[0].code, "email.missing_at");
  api.loadEmailData(await fetchBytes(file));
  const typo = api.validateField("email", "ani@gmial.com");
  assert.equal(typo.issues[0].code, "email.typo");
  assert.equal(typo.issues[0].suggestion, "ani@gmail.com");
  assert.equal(api.validateField("email", "info@tokobudi.co.id").issues[0].code, "email.role_account");
  assert.equal(api.validateField("email", "ani@gmail.com").ok, true);
});

test("Node: an address beyond ASCII waits for the Unicode tables; an ASCII address never does", async () => {
  for (const api of [await fresh(), await freshFields()]) {
    api.loadEmailData(await fetchBytes(api.emailDataFor())); // the root zone list: only the tables miss
    const en = api.messagesFor("en"); // the drop-in's module: English is a file too
    if (en) api.loadMessages(await fetchBytes(en));
    // ASCII, valid or not: a verdict at once, without the tables.
    assert.equal(api.validateField("email", "ani@gmail.com").ok, true);
    assert.equal(api.validateField("email", "ani@gmail.con").issues[0].code, "email.tld_unknown");
    assert.equal(api.validateField("email", "ani@@gmail.com").pending, undefined);
    // Beyond ASCII, in the mailbox or the domain (typed or as an A-label): pending, naming the file.
    const [file] = api.validateField("email", "añi@example.com").needs;
    assert.match(file, /^unicode\.[0-9a-f]{16}\.bin$/);
    for (const address of ["añi@example.com", "ani@bücher.de", "ani@gm\u0430il.com", "ani@tokobudi.xn--p1ai", "تست@example.com"]) {
      assert.deepEqual(api.validateField("email", address), { pending: true, needs: [file], ok: false,
        issues: [], message: "Checking this email address…" }, address);
    }
    assert.throws(() => api.loadEmailData(new Uint8Array([1, 2, 3])), TypeError);
    api.loadEmailData(await fetchBytes(file));
    assert.equal(api.validateField("email", "añi@example.com").ok, true);
    assert.equal(api.validateField("email", "ani@bücher.de").display, "ani@bücher.de");
    assert.equal(api.validateField("email", "ani@gm\u0430il.com").issues[0].code, "email.domain_confusable");
  }
});

test("Node: in the drop-in's module a name beyond ASCII waits for the Unicode data file (its script names); an ASCII name never does", async () => {
  const api = await freshFields();
  api.loadMessages(await fetchBytes(api.messagesFor("en")));
  api.loadEmailData(await fetchBytes(api.emailDataFor())); // this build's addresses all need it
  const [file] = api.validateField("email", "añi@example.com").needs;
  assert.match(file, /^unicode\.[0-9a-f]{16}\.bin$/);
  assert.equal(api.validateField("given_name", "Ani").ok, true);
  assert.equal(api.validateField("family_name", "O'Brien-Smith").ok, true);
  const digits = api.validateField("given_name", "12345"); // an ASCII name with an issue: a verdict too
  assert.equal(digits.pending, undefined);
  assert.equal(digits.ok, false);
  for (const name of ["José", "محمد‌رضا", "Ани", "Ani\u0301"]) {
    assert.deepEqual(api.validateField("given_name", name), { pending: true, needs: [file], ok: false, issues: [], message: "" }, name);
  }
  api.loadEmailData(await fetchBytes(file));
  const full = await fresh();
  for (const name of ["José", "محمد‌رضا", "Ани", "Ani\u0301", "Aniа"]) {
    assert.deepEqual(api.validateField("given_name", name), full.validateField("given_name", name), name);
  }
});

test("Node: the module's memory stays flat over many checks (the allocator frees what it is given back)", async () => {
  const api = await import(`${glue}?instance=${++instances}`);
  const { memory } = api.initSync({ module: compiled });
  await useEngine(api);
  api.loadPhoneData(await fetchBytes(api.phoneDataFor("ID")));
  api.loadEmailData(await fetchBytes(api.emailDataFor()));
  const round = (n) => {
    for (let i = 0; i < n; i++) {
      api.validateField("email", `ani.${i}@gmail.con`, { locale: "en" });
      api.validateField("phone", `0812-3456-${String(i % 10000).padStart(4, "0")}`, { country: "ID" });
      api.validateField("given_name", `محمد‌رضا ${i}`);
      api.validate({ email: `x${i}@example.org`, given_name: "Ani", country: "ID" });
    }
  };
  round(2000);
  const settled = memory.buffer.byteLength;
  round(20000);
  assert.ok(memory.buffer.byteLength <= settled + 64 * 1024,
    `memory grew from ${settled} to ${memory.buffer.byteLength} bytes over 80,000 more calls`);
});

test("Node: pending names the data to load, one calling code at a time, and only that", async () => {
  const api = await fresh();
  api.loadMessages(await fetchBytes(api.messagesFor("id")));
  const name = api.phoneDataFor("ID");
  assert.match(name, /^phone-62\.[0-9a-f]{16}\.bin$/);
  // First the engine itself: a module of its own, which no page without a phone number loads.
  const engine = api.phoneEngineFor();
  assert.match(engine, /^phone-engine\.[0-9a-f]{16}\.wasm$/);
  const message = "Sedang memeriksa nomor telepon ini…";
  const cold = api.validateField("phone", "0812-3456-7890", { country: "ID", locale: "id" });
  assert.deepEqual(cold, { pending: true, needs: [engine], ok: false, issues: [], message });
  assert.deepEqual({ ...api.formatAsYouType("0812345", "ID") }, { text: "0812345", pending: true, needs: [engine] });
  assert.throws(() => api.usePhoneEngine({}), TypeError);
  assert.throws(() => api.usePhoneEngine((api.validateField)), TypeError);
  await useEngine(api);
  assert.equal(api.phoneEngineFor(), undefined);
  const before = api.validateField("phone", "0812-3456-7890", { country: "ID", locale: "id" });
  assert.deepEqual(before, { pending: true, needs: [name], ok: false, issues: [], message });
  // Letters need no data: a verdict at once.
  assert.equal(api.validateField("phone", "0812-FLOWERS", { country: "ID" }).issues[0].code,
    "phone.invalid_characters");
  assert.equal(api.loadPhoneData(await fetchBytes(name)), 62);
  assert.equal(api.phoneDataFor("ID"), undefined);
  assert.equal(api.validateField("phone", "0812-3456-7890", { country: "ID" }).normalized, "+6281234567890");
  // An Iranian number typed in an Indonesian form needs +98, which is not loaded: pending again.
  const ir = api.validateField("phone", "+98 912 345 6789", { country: "ID" });
  assert.equal(ir.pending, true);
  assert.match(ir.needs[0], /^phone-98\./);
  // A whole submission waits too, instead of calling the number invalid.
  const sub = api.validate({ email: "ani@example.org", phone: "+98 912 345 6789", country: "ID" });
  assert.deepEqual(sub, { pending: true, needs: ir.needs, ok: false, issues: [], message: ir.message });
  // Bytes that are not this build's data are refused; a known file loads twice harmlessly.
  assert.throws(() => api.loadPhoneData(new Uint8Array([1, 2, 3])), TypeError);
  const bytes = await fetchBytes(name);
  bytes[bytes.length - 1] ^= 1;
  assert.throws(() => api.loadPhoneData(bytes), TypeError);
  assert.equal(api.loadPhoneData(await fetchBytes(name)), 62);
});

test("Node: phone data loaded before the engine goes in with it", async () => {
  const api = await fresh();
  const name = api.phoneDataFor("IR");
  assert.equal(api.loadPhoneData(await fetchBytes(name)), 98);
  assert.equal(api.phoneDataFor("IR"), undefined, "the file is kept until the engine comes");
  assert.deepEqual(api.validateField("phone", "0912 345 6789", { country: "IR" }).needs, [api.phoneEngineFor()]);
  await useEngine(api);
  const v = api.validateField("phone", "۰۹۱۲ ۳۴۵ ۶۷۸۹", { country: "IR" });
  assert.deepEqual([v.ok, v.normalized, v.display, v.phone_type], [true, "+989123456789", "+98 912 345 6789", "mobile"]);
  assert.equal(api.formatAsYouType("۰۹۱۲۳۴۵", "IR").text, "۰۹۱۲ ۳۴۵");
});

test("Node: the Unicode properties the module asks of JS (Alphabetic, N, lowercase) are Rust's on every character", () => {
  assert.deepEqual(unicodeDisagreements(native.unicode), []);
});

test("Node: the drop-in's module judges a name of any character as the server does (every 53rd code point the engine knows)", async () => {
  const api = await freshFields();
  api.loadMessages(await fetchBytes(api.messagesFor("en")));
  const unicode = api.validateField("given_name", "José").needs[0];
  api.loadEmailData(await fetchBytes(unicode));
  const known = /\P{Cn}/u;
  let compared = 0;
  const bad = [];
  for (const [name, codes] of native.unicode.names) {
    if (!known.test(name)) continue;
    const v = api.validateField("given_name", name);
    const got = v.issues.map((i) => i.code);
    if (JSON.stringify(got) !== JSON.stringify(codes)) bad.push(`U+${name.codePointAt(0).toString(16)}: ${got} / ${codes}`);
    compared++;
  }
  assert.ok(compared > 5000, `only ${compared}`);
  assert.deepEqual(bad.slice(0, 20), []);
});

test("Node: an engine that fails gives pending answers, never a verdict", async () => {
  const api = await fresh();
  const engine = api.phoneEngineFor();
  const fail = () => { throw new Error("engine failure"); };
  api.usePhoneEngine({ exports: { memory: new WebAssembly.Memory({ initial: 1 }), sg_alloc: fail,
    sg_answer_len: fail, sg_judge: fail, sg_shape: fail, sg_install: fail } });
  const v = api.validateField("phone", "+62 812-3456-7890");
  assert.deepEqual([v.pending, v.ok, v.issues, v.needs], [true, false, [], [engine]]);
  assert.equal(api.formatAsYouType("+62812", "ID").pending, true);
  const sub = api.validate({ email: "ani@example.org", phone: "+62 812-3456-7890" });
  assert.equal(sub.pending, true);
});

const MIME = { ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
  ".wasm": "application/wasm", ".bin": "application/octet-stream", ".html": "text/html",
  ".txt": "text/plain; charset=utf-8" };

test("Chromium: every vector gives the native answer, with the module and data files over HTTP",
  { skip: process.env.SG_VECTORS_BROWSER === "0" && "SG_VECTORS_BROWSER=0" }, async () => {
    const { chromium } = await import("playwright-core");
    // Serves pkg/, the vector files, vectors.mjs and the native answers, nothing else.
    const files = {
      "/pkg/": pkg, "/vectors/": vectors,
      "/runner/vectors.mjs": path.join(root, "tests/browser/vectors.mjs"), "/answers.json": answersFile,
    };
    const server = createServer(async (req, res) => {
      const url = new URL(req.url, "http://x");
      let file = null;
      for (const [prefix, dir] of Object.entries(files)) {
        if (prefix.endsWith("/") && url.pathname.startsWith(prefix)) {
          file = path.join(dir, path.normalize(url.pathname.slice(prefix.length)));
          if (!file.startsWith(dir)) file = null;
        } else if (url.pathname === prefix) file = dir;
      }
      if (url.pathname === "/") {
        res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>vectors</title>");
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, { "content-type": MIME[path.extname(file)] || "application/octet-stream" }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${server.address().port}`;
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      const stats = await page.evaluate(async () => {
        const api = await import("/pkg/signup_guard.js");
        await api.default();
        const { runVectors, unicodeDisagreements } = await import("/runner/vectors.mjs");
        const text = async (url) => {
          const r = await fetch(url);
          if (!r.ok) throw new Error(`${url}: ${r.status}`);
          return r.text();
        };
        const native = JSON.parse(await text("/answers.json"));
        const fetchBytes = async (name) => new Uint8Array(await (await fetch(`/pkg/${name}`)).arrayBuffer());
        const stats = await runVectors({ api, read: (n) => text(`/vectors/${n}`), fetchBytes, native });
        return { ...stats, unicode: unicodeDisagreements(native.unicode) };
      });
      assert.equal(stats.failures.length, 0, failed(stats));
      assert.deepEqual(stats.unicode, [], "Chromium's Alphabetic, N and lowercase are Rust's");
      assert.ok(stats.cases > 500 && stats.loads > 5, JSON.stringify(stats));
      console.log(`Chromium: ${stats.cases} cases, ${stats.pendings} pending answers, ${stats.loads} data files loaded`);
    } finally {
      await browser.close();
      server.close();
    }
  });
