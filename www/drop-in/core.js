// What the drop-in's parts share: the core module's JS API once it is in, the phone field's and
// the custom fields' modules, the data files the core asks for, and the page's timing helpers.

/** The core module's JS API, once it is loaded (`setApi`). */
export let api = null;
export const setApi = (mod) => {
  api = mod;
};

// The phone field's formatting and picker, and the policy's custom fields, are modules of their
// own, loaded only by forms that have a phone field or a policy with custom fields (a newsletter
// form with an email alone loads neither); `attach` waits for them.
export let phoneUi = null;
export let customUi = null;
let phoneUiLoading = null;
let customUiLoading = null;
export const loadPhoneUi = () =>
  (phoneUiLoading ??= import("./signup-guard-phone.js").then((m) => (phoneUi = m), () => null));
export const loadCustomUi = () =>
  (customUiLoading ??= import("./signup-guard-custom.js").then((m) => (customUi = m), () => null));
/** The form's phone input, if any. */
export const phoneInput = (form) => form.querySelector('[data-sg-field="phone"]') || form.elements.namedItem("phone");

export const FIELDS = ["email", "phone", "given_name", "family_name", "country"];

/**
 * Resolves in a task after the page's next frame (its first paint, when the drop-in runs before
 * it), or at once in a task of its own when the page is hidden or has painted already (a script
 * added later). The task after the frame is `yieldTask`'s: with `setTimeout` it waited 3-22 ms
 * at 1x CPU behind the tasks the page's load had queued.
 */
export const afterPaint = () =>
  document.visibilityState === "hidden" || performance.getEntriesByType("paint").length
    ? yieldTask()
    : new Promise((resolve) => requestAnimationFrame(resolve)).then(yieldTask);

export const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Ends the current task and goes on in a new one ahead of the tasks already queued where the
 * browser can (`scheduler.yield`), so splitting work costs no wait behind the page's own tasks.
 */
export const yieldTask = () => (globalThis.scheduler?.yield ? globalThis.scheduler.yield() : nextTask());

// ---- Phone data and message catalogues on demand (issue 12) ----
// The module knows every calling code but carries neither the phone engine nor phone data, and
// only English messages: a number while the engine or its data is not loaded, or any answer in a
// language whose catalogue is not, is pending and names files (`phone-engine.<hash>.wasm`,
// `phone-62.<hash>.bin`, `messages-fa.<hash>.txt`, beside this script and named by their content,
// so caches may keep them forever), fetched here once each and handed over.
// Likewise every address past the syntax rules needs the email data file (`email.<hash>.txt`:
// the root zone, the providers for "did you mean", the role names), fetched when the person
// starts on the email field.

/** How long a field waits for phone data before it says it is checking. */
export const SLOW_DATA_MS = 600;
const phoneFiles = new Map();

const fetchFile = (name) => fetch(new URL(name, import.meta.url))
  .then((r) => (r.ok ? r : Promise.reject(new Error(`${name}: HTTP ${r.status}`))));

// The data files the drop-in fetches before the module could name them, `{ messages: { en:
// "messages-en.<hash>.txt", … }, unicode: "unicode.<hash>.bin" }`: written in by
// scripts/build-wasm.sh in place of this marker (the sources name none). The page's catalogue
// then downloads beside the module instead of after it; the Unicode data file (names and
// addresses beyond ASCII) as soon as such a letter is typed.
const FILES = { "sg-data-files": 0 };
const early = new Map();

/** Starts loading the Unicode data file, once, as soon as a value goes beyond ASCII (its check will need it). */
export const prefetchUnicodeData = () => loadFileOf(FILES.unicode);

/** Starts fetching the catalogue a form in `lang` (a language tag) will need, before the module is in. */
export function prefetchCatalogue(lang) {
  const messages = FILES.messages ?? {};
  const name = messages[lang.toLowerCase().split(/[-_]/)[0]] ?? messages.en;
  if (name && !early.has(name)) early.set(name, fetchFile(name).catch(() => null));
}

/** Fetches and loads one data file (phone data, a catalogue, the email data file), once (a failed fetch is tried again next time). */
export function loadDataFile(name) {
  let loading = phoneFiles.get(name);
  if (!loading) {
    const fetched = early.get(name);
    early.delete(name);
    loading = (fetched ?? Promise.resolve(null))
      .then((r) => r ?? fetchFile(name))
      .then(async (r) => {
        if (name.endsWith(".wasm")) return api.usePhoneEngine(await instantiate(r));
        const data = new Uint8Array(await r.arrayBuffer());
        if (name.startsWith("messages-")) readWords(api.loadMessages(data), data);
        else if (name.startsWith("email.") || name.startsWith("unicode.")) api.loadEmailData(data);
        else api.loadPhoneData(data);
      });
    loading.then(() => loaded.add(name), () => phoneFiles.delete(name));
    phoneFiles.set(name, loading);
  }
  return loading;
}

/** The files loaded so far. */
const loaded = new Set();

/**
 * Loads every file a pending answer names. An answer still pending for files all loaded will
 * never settle here (a damaged file, a failing engine): that rejects, so the server decides
 * rather than the form asking again forever.
 */
export const loadNeeds = (verdict) =>
  verdict.needs.every((name) => loaded.has(name))
    ? Promise.reject(new Error(`still pending after loading ${verdict.needs.join(", ")}`))
    : Promise.all(verdict.needs.map(loadDataFile));

/** Starts loading the phone engine and the phone data of `country` (ISO code), unless loaded. */
export function prefetchPhoneData(country) {
  loadFileOf(api.phoneEngineFor());
  loadFileOf(country && api.phoneDataFor(country));
}

/** The instance of the module a response holds (the phone engine: no imports). */
async function instantiate(response) {
  if (WebAssembly.instantiateStreaming && response.headers.get("content-type") === "application/wasm") {
    return (await WebAssembly.instantiateStreaming(response)).instance;
  }
  return (await WebAssembly.instantiate(await response.arrayBuffer())).instance;
}

/** The drop-in's own words per locale but English (dom.js), from the catalogue's `ui.` lines (English's has none). */
export const words = new Map();
function readWords(locale, data) {
  const found = {};
  for (const line of new TextDecoder().decode(data).split("\n")) {
    const tab = line.indexOf("\t");
    if (line.startsWith("ui.") && tab > 0) found[line.slice(3, tab)] = line.slice(tab + 1);
  }
  words.set(locale, found);
}

/**
 * Loads the page's catalogue for `locale` (negotiated; English too: the module carries no
 * messages), resolving once it is in or has failed: its messages, and the drop-in's words a
 * form shows from the start.
 */
export const loadCatalogue = (locale) => {
  const name = api.messagesFor(locale);
  return name ? loadDataFile(name).catch(() => {}) : Promise.resolve();
};

/** Starts loading a data file the module named (phone data, a catalogue, the email data file), if any. */
export function loadFileOf(name) {
  if (name) loadDataFile(name).catch(() => {});
}

/** The compiled module at `url`: streamed while it downloads when the host sends `application/wasm`. */
export async function compile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  if (WebAssembly.compileStreaming && response.headers.get("content-type") === "application/wasm") {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}
