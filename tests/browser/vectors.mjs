// The shared vectors (tests/vectors/*.json) through the shipped module's JS API, the same code in
// Node and in Chromium (vectors.test.mjs runs both). There are no comparison rules here: every
// answer must equal, as JSON, the native answer `cargo test --test vectors` checked and wrote
// (SG_VECTOR_ANSWERS), so browser = server on every vector and there is one comparison, in Rust.
//
// Phone data and message catalogues load per case, as a page loads them: ask, and while the
// answer is pending, fetch each file it needs (`phone-<cc>.<hash>.bin`, `messages-<locale>.<hash>.txt`,
// `email.<hash>.txt`),
// load it and ask again. Every answer on the way must be either pending or the final native one:
// a missing data file never produces a verdict.

const FIELD_FILES = [["email.json", "email"], ["phone.json", "phone"], ["name.json", "given_name"],
  ["country.json", "country"]];

/**
 * JSON with object keys in order, so two answers compare as text. One value is left out: the
 * `detail` of `submission.malformed`, the JSON parser's own words, whose column counts in the
 * text it read (here `JSON.stringify`'s key order, natively serde_json's), not in the case.
 */
const canon = (v) => JSON.stringify(v, (k, x) => {
  if (k === "params" && x && "detail" in x) return { ...x, detail: "(parser text)" };
  return x && typeof x === "object" && !Array.isArray(x)
    ? Object.fromEntries(Object.keys(x).sort().map((key) => [key, x[key]])) : x;
});

/**
 * Runs every case; resolves to `{ cases, pendings, loads, failures }`.
 * `read(name)` gives the text of a vector file (`email.json`, `policies/x.json`),
 * `fetchBytes(name)` the bytes of a pkg/ file (`phone-62.<hash>.bin`, `phone-engine.<hash>.wasm`). With `load: false`
 * nothing is loaded: every answer must then be pending or already the native one.
 */
export async function runVectors({ api, read, fetchBytes, native, only = null, load = true, submissions = true }) {
  const policies = new Map();
  const policy = async (name) => {
    if (!name) return undefined;
    if (!policies.has(name)) policies.set(name, JSON.parse(await read(`policies/${name}.json`)));
    return policies.get(name);
  };
  const loaded = new Set();
  const stats = { cases: 0, pendings: 0, loads: 0, failures: [] };
  const fail = (where, msg) => stats.failures.push(`${where}: ${msg}`);

  /** Asks until the answer is final, loading what each pending answer needs. */
  async function settle(where, ask) {
    for (let round = 0; round < 6; round++) {
      const got = ask();
      if (!got.pending) return got;
      stats.pendings++;
      if (got.ok !== false || got.issues.length || !got.needs.length) {
        fail(where, `a pending answer must be ok: false with no issues and some needs: ${canon(got)}`);
        return null;
      }
      if (!load) return null;
      for (const name of got.needs) {
        if (loaded.has(name)) {
          fail(where, `asks again for ${name}, which is loaded`);
          return null;
        }
        if (name.startsWith("messages-")) {
          const locale = api.loadMessages(await fetchBytes(name));
          if (!name.startsWith(`messages-${locale}.`)) fail(where, `${name} loaded as locale ${locale}`);
        } else if (name.startsWith("email.") || name.startsWith("unicode.")) {
          api.loadEmailData(await fetchBytes(name));
        } else if (name.endsWith(".wasm")) {
          api.usePhoneEngine((await WebAssembly.instantiate(await fetchBytes(name))).instance);
        } else {
          const cc = api.loadPhoneData(await fetchBytes(name));
          if (!name.startsWith(`phone-${cc}.`)) fail(where, `${name} loaded as calling code ${cc}`);
        }
        loaded.add(name);
        stats.loads++;
      }
    }
    fail(where, "still pending after 6 rounds of loading");
    return null;
  }

  const check = (where, got, want) => {
    if (got && canon(got) !== canon(want)) fail(where, `browser ${canon(got)}\n    native  ${canon(want)}`);
  };

  for (const [file, defaultField] of FIELD_FILES) {
    if (only && !only.includes(file)) continue;
    const cases = JSON.parse(await read(file));
    const answers = native[file];
    if (answers?.length !== cases.length) {
      fail(file, `${cases.length} cases but ${answers?.length} native answers (rerun the native runner)`);
      continue;
    }
    for (const [i, c] of cases.entries()) {
      stats.cases++;
      const ctx = {};
      if (c.country !== undefined) ctx.country = c.country;
      if (c.locale !== undefined) ctx.locale = c.locale;
      const p = await policy(c.policy);
      if (p) ctx.policy = p;
      const where = `${file}[${i}] ${JSON.stringify(c.input)} (${c.note})`;
      let got;
      try {
        got = await settle(where, () => api.validateField(c.field ?? defaultField, c.input, ctx));
      } catch (e) {
        fail(where, `threw ${e}`);
        continue;
      }
      check(where, got, answers[i]);
    }
  }
  // `submissions: false` for the drop-in's module, which has no `validate` (the verifier
  // answers for whole submissions).
  if ((!only || only.includes("submission.json")) && submissions) {
    const cases = JSON.parse(await read("submission.json"));
    const answers = native["submission.json"];
    for (const [i, c] of cases.entries()) {
      stats.cases++;
      const where = `submission.json[${i}] (${c.note})`;
      const p = await policy(c.policy);
      let got;
      try {
        got = await settle(where, () => api.validate(JSON.parse(JSON.stringify(c.submission)), p));
      } catch (e) {
        fail(where, `threw ${e}`);
        continue;
      }
      check(where, got, answers[i]);
    }
  }
  return stats;
}

/**
 * Where this JS engine's Unicode disagrees with Rust's (`native.unicode`, written by the native
 * runner) on what the browser build asks of it instead of carrying tables: Alphabetic
 * (`\p{Alphabetic}`), General_Category N (`\p{N}`) and lowercase (`toLowerCase`), on every
 * character beyond ASCII the engine knows (a character newer than the engine's Unicode is
 * unassigned to it: a known skew between an older browser and the server, left out here).
 * Answers up to 20 disagreements, as text; none is the agreement the browser build relies on.
 */
export function unicodeDisagreements(expected) {
  const bitmap = (ranges) => {
    const bits = new Uint8Array(0x110000);
    for (const [lo, hi] of ranges) bits.fill(1, lo, hi + 1);
    return bits;
  };
  const alphabetic = bitmap(expected.alphabetic);
  const numeric = bitmap(expected.numeric);
  const lower = new Map(expected.lower);
  const [known, isAlphabetic, isNumeric] = [/\P{Cn}/u, /\p{Alphabetic}/u, /\p{N}/u];
  const bad = [];
  const hex = (cp) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  for (let cp = 0x80; cp <= 0x10ffff && bad.length < 20; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    if (!known.test(c)) continue;
    if (isAlphabetic.test(c) !== (alphabetic[cp] === 1)) bad.push(`${hex(cp)} Alphabetic`);
    if (isNumeric.test(c) !== (numeric[cp] === 1)) bad.push(`${hex(cp)} N`);
    const want = lower.get(cp) ?? c;
    if (c.toLowerCase() !== want) bad.push(`${hex(cp)} lowercase ${JSON.stringify(c.toLowerCase())}, Rust ${JSON.stringify(want)}`);
  }
  return bad;
}
