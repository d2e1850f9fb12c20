// signup-guard drop-in: makes every `form[data-signup-guard]` careful, accessible and consent-aware.
//
//   <link rel="stylesheet" href="https://verifier.example/signup-guard.css">
//   <script type="module" src="https://verifier.example/signup-guard.js"
//           data-endpoint="https://verifier.example"></script>
//
// `data-endpoint` (script or form) is the verifier: policy, post target, and the bot checks a
// static page lacks (`sg_t` from /v1/form-token, `sg_hp`, `sg_return`). See README "In the browser".
//
// This file attaches to the forms and starts the core; its parts are in drop-in/ (core.js: the
// core's API, its data files and the field modules; guard.js: one form; verifier.js: the
// verifier's policy, bot checks and verdicts; dom.js: words and DOM helpers; press.js: presses).
// `scripts/build-wasm.sh` bundles them into pkg/signup-guard.js, the one file a page loads.
//
// Fields are found by name (email, phone, given_name, family_name, country) or `data-sg-field`.
// The WebAssembly core downloads and compiles beside the page and starts after first paint; until
// then the form simply posts (the server verifies everything again). Checks run on blur, again
// on every input once a field shows an error, and all together on submit. Forms added later are
// picked up too.
//
// Events on the form: `signup-guard:ready`, `signup-guard:invalid` and `signup-guard:valid`
// (detail: `{ verdict, submission }`, the submission in the JSON API's shape with its consent
// receipt; cancel `valid` to send it yourself, e.g. `fetch(form.action, { method: "POST",
// headers: { "content-type": "application/json" }, body: JSON.stringify(detail.submission) })`).

import { api, compile, customUi, loadCatalogue, loadCustomUi, loadPhoneUi, nextTask, afterPaint, phoneInput, prefetchCatalogue, setApi, yieldTask } from "./drop-in/core.js";
import { Guard, localeOf, tagOf } from "./drop-in/guard.js";
import { UI } from "./drop-in/dom.js";
// The core's wasm-bindgen glue, bundled into the drop-in (one request fewer; it only defines functions).
import * as core from "./signup_guard_fields.js";
import { defaultPolicyUrl, endpointOf, giveBack, integrate, loadPolicy, warnMissing } from "./drop-in/verifier.js";

const guards = new WeakMap();

async function attach(form) {
  if (guards.has(form)) return;
  guards.set(form, null);
  // The verifier's hidden fields and form token, in a task of their own (a page's first `fetch`
  // calls are slow; on the demo this was 12-31 ms at 4x CPU): added already, before the module
  // was in, for the forms the page had.
  const ripe = yieldTask().then(() => ripeOf(form));
  const own = form.dataset.endpoint ? `${endpointOf(form)}/v1/policy` : undefined;
  // The page's catalogue holds its messages and, but in English, the drop-in's words the form
  // shows at once, which attaching waits for. English words are dom.js's own, so an English form
  // attaches without waiting for its file (fetched beside the module from the start): a check in
  // the moments before it is in is pending, then checked, like one waiting for phone data.
  const locale = localeOf(form);
  const catalogue = loadCatalogue(locale);
  const policy = await loadPolicy(form.dataset.policy ?? own ?? defaultPolicyUrl);
  if (!UI[locale]) await catalogue;
  // The phone field's module came with the page (fetched at once when a form has a phone); the
  // custom fields' module, fetched once the policy shows some, renders them when it is in.
  if (phoneInput(form)) await loadPhoneUi();
  // Building the guard (its fields and country picker) gets a task of its own: with the hidden
  // fields, the token request and the consent boxes in the same task, attaching ran 58-72 ms at
  // 4x CPU, over the 50 ms that make a task long.
  await yieldTask();
  const guard = new Guard(form, policy);
  guards.set(form, guard);
  // The purposes' texts (the first call with the policy), its consent boxes, then the policy's
  // custom fields (once their module is in), each in a task of their own: together, building
  // the demo's guard ran 50-70 ms at 4x CPU.
  await yieldTask();
  guard.purposes();
  await yieldTask();
  guard.finish();
  if (policy?.custom_fields?.length) {
    (customUi ? yieldTask() : loadCustomUi()).then(() => customUi && guard.renderCustoms());
  }
  // Fields left before the module was ready get their verdict now.
  for (const input of early) {
    if (input.form !== form) continue;
    early.delete(input);
    const name = guard.nameOf(input);
    if (name) guard.blurred(name);
  }
  warnMissing(guard);
  giveBack(guard);
  guard.ripe = ripe;
  guard.stamp = await ripe;
}

/** Each form's verifier parts (`integrate`: hidden fields, form token), added once. */
const ripened = new WeakMap();
function ripeOf(form) {
  if (!ripened.has(form)) ripened.set(form, integrate(form));
  return ripened.get(form);
}

/** Inputs of guarded forms that lost focus before their form was attached. */
const early = new Set();
addEventListener("focusout", (e) => {
  const form = e.target?.form;
  if (form?.matches("form[data-signup-guard]") && !guards.get(form)) early.add(e.target);
}, true);

function scan(root) {
  if (root.matches?.("form[data-signup-guard]")) attach(root);
  root.querySelectorAll?.("form[data-signup-guard]").forEach(attach);
}

/** Resolves to the JS API once the WebAssembly core is loaded (for scripts that want it too). */
export const ready = (async () => {
  // Everything here starts in a task of its own: a module script without `async` runs in the
  // task that ends the page's parse, with the page's own work in it; and the first `fetch` calls
  // of a page cost 2-13 ms at 1x CPU (12-29 ms at 4x), several times the rest of the module's
  // evaluation, so the module's and the policy's requests start in a task each.
  await yieldTask();
  // Compiling the module runs beside the page (it streams off the main thread), so it starts now;
  // instantiating and attaching wait for the first paint.
  const compiled = compile(new URL("signup_guard_fields_bg.wasm", import.meta.url));
  await yieldTask();
  loadPolicy(defaultPolicyUrl).then((policy) => policy?.custom_fields?.length && loadCustomUi());
  // A script tag with `async` may run before the forms are parsed: it finds them once they are.
  // (Then in a task of its own: not in the page's DOMContentLoaded task.)
  if (document.readyState === "loading") {
    await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
    await yieldTask();
  }
  // The modules this page's forms need, fetched beside the core: the phone field's when a form
  // has one, the custom fields' as soon as the policy turns out to define some.
  const forms = [...document.querySelectorAll("form[data-signup-guard]")];
  if (forms.some(phoneInput)) loadPhoneUi();
  // Their catalogues too (the module names the same files once it is in).
  for (const form of forms) prefetchCatalogue(tagOf(form));
  // Their verifier parts need no module: added now, in a task of their own, off the path from the
  // module to the first verdict.
  await yieldTask();
  for (const form of forms) ripeOf(form);
  await afterPaint();
  performance.mark("signup-guard:load");
  await core.default({ module_or_path: await compiled });
  setApi(core);
  performance.mark("signup-guard:wasm");
  // Attaching (the first calls compile their wasm functions) and warming up each get a task
  // (attaching one ahead of the page's queued tasks).
  await yieldTask();
  scan(document);
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) scan(n);
  }).observe(document.documentElement, { childList: true, subtree: true });
  performance.mark("signup-guard:warm-up");
  // One field per task (the first call of each path compiles its wasm functions), so no task of
  // the warm-up is long on a slow phone; in the first form's language, once its catalogue is in
  // (before, every answer would be pending and warm nothing). The email check warms only its
  // syntax rules: the rest waits for the email data file, which comes when the person starts on
  // that field (not fetched here for visitors who never do), and its first real check compiles it.
  const locale = forms[0] ? localeOf(forms[0]) : "en";
  await loadCatalogue(locale);
  for (const [field, value] of [["email", "warm.up@example.org"], ["given_name", "Ani"], ["country", "ID"]]) {
    await nextTask();
    api.validateField(field, value, { locale });
  }
  performance.mark("signup-guard:ready");
  return api;
})();
// Without WebAssembly (or if the module cannot load) the forms simply post; the server checks.
ready.catch((e) => console.warn("signup-guard: not active:", e));
