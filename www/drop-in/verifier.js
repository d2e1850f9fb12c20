// Integration with the verifier: its address, the policy, the bot checks a static page lacks,
// where a signup came from, the whole form's verdict (`POST /v1/validate`) and the post.

import { el, warn } from "./dom.js";

const script =
  [...document.querySelectorAll("script[src]")].find((s) => s.src === import.meta.url) ||
  document.querySelector("script[data-policy]");
/** The verifier's origin (`data-endpoint`), without a trailing slash; "" is this page's own. */
export const endpoint = (script?.dataset.endpoint ?? "").replace(/\/+$/, "");
export const defaultPolicyUrl = script?.dataset.policy ?? `${endpoint}/v1/policy`;

const policies = new Map();
export function loadPolicy(url) {
  if (!url) return Promise.resolve(null);
  if (!policies.has(url)) {
    policies.set(
      url,
      fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
        .catch((e) => {
          warn(`cannot load the policy from ${url} (${e.message}); check data-endpoint and the verifier's --cors-origin.`);
          return null;
        }),
    );
  }
  return policies.get(url);
}

// ---- Integration with the verifier: endpoint, bot-check token, return URL, warnings ----


/** Where what was typed waits for a `sg_status=retry` (one trip). */
export const KEPT = "signup-guard:kept";

/** Action, `sg_return`, `sg_hp` and `sg_t` where missing; resolves to the stamp's time and wait. */
export async function integrate(form) {
  const base = endpointOf(form);
  if (!form.getAttribute("action")) {
    form.action = `${base}/v1/submissions`;
    form.method = "post";
  }
  const hidden = (name, value) => {
    if (!form.elements.namedItem(name)) form.append(el("input", { type: "hidden", name, value }));
  };
  hidden("sg_return", pageUrl());
  for (const [key, value] of Object.entries(sourceOf(form))) if (value) hidden(`source.${key}`, value);
  if (!form.elements.namedItem("sg_hp")) {
    const trap = el("div", { "aria-hidden": "true", style: "position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap" },
      el("input", { type: "text", name: "sg_hp", value: "", tabindex: "-1", autocomplete: "off" }));
    form.append(trap);
  }
  const rendered = form.elements.namedItem("sg_t");
  if (rendered) {
    // Rendered with the page: older than its first response byte.
    const at = performance.getEntriesByType("navigation")[0]?.responseStart ?? 0;
    return { at, wait: Number(rendered.dataset.sgWait ?? 1500) };
  }
  try {
    const r = await fetch(`${base}/v1/form-token`, { credentials: "omit", cache: "no-store" });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const token = await r.json();
    hidden("sg_t", token.sg_t);
    return { at: performance.now(), wait: Number(token.min_fill_ms) || 0 };
  } catch (e) {
    warn(`cannot get a form token from ${base}/v1/form-token (${e.message}).`);
    return { at: 0, wait: 0 };
  }
}

/** The verifier a form talks to: its own `data-endpoint`, else the script's. */
export const endpointOf = (form) => (form.dataset.endpoint ?? endpoint).replace(/\/+$/, "");

/** This page's address without our own `sg_status` flag. */
export function pageUrl() {
  const url = new URL(location.href);
  url.searchParams.delete("sg_status");
  return url.href;
}

// Where a signup came from (README "Where a signup came from"): captured with no code from the
// page; the core bounds and cleans it (no query string beyond utm_*, no personal data).
const SOURCE_KEYS = ["path", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "form_id"];

/** This page's path, its address's `utm_*` parameters and the form's `data-form-id`. */
export function sourceOf(form) {
  const query = new URLSearchParams(location.search);
  const found = { path: location.pathname, form_id: form.dataset.formId };
  for (const key of SOURCE_KEYS) if (key.startsWith("utm_")) found[key] = query.get(key);
  return found;
}

/** The form's `source.KEY` inputs as the JSON API's `source` object. */
export function sourceFields(form) {
  const source = {};
  for (const key of SOURCE_KEYS) {
    const value = form.elements.namedItem(`source.${key}`)?.value;
    if (value) source[key] = value;
  }
  return source;
}

/** Warns about fields the policy requires that the form has no input for. */
export function warnMissing(guard) {
  for (const [name, rule] of Object.entries(guard.policy?.fields ?? {})) {
    if (rule?.required && !guard.fields.has(name)) {
      warn(`the policy requires "${name}" but the form has no input named "${name}"; every post will be refused.`);
    }
  }
}

/**
 * Posts the form natively, once its stamp is old enough (a form sent faster than a person types
 * is refused as a bot's), keeping what was typed for a `sg_status=retry` when it leaves the page.
 */
export function send(guard, submitter) {
  const form = guard.form;
  // A native post would carry the pressed button's name and value: so does this one.
  if (submitter?.name && !form.elements.namedItem(submitter.name)?.matches?.("input[type=hidden]")) {
    form.append(el("input", { type: "hidden", name: submitter.name, value: submitter.value }));
  }
  if (new URL(form.action, location.href).origin !== location.origin) {
    const values = Object.fromEntries([...guard.fields].map(([name, f]) => [name, f.input.value]));
    try {
      sessionStorage.setItem(KEPT, JSON.stringify({ page: pageUrl(), at: Date.now(), values }));
    } catch {}
  }
  const left = (s) => s.at + s.wait + 100 - performance.now();
  guard.holding = true;
  form.setAttribute("aria-busy", "true");
  guard.ripe.then((s) => setTimeout(() => {
    guard.holding = false; // for a page restored from the back-forward cache
    form.removeAttribute("aria-busy");
    HTMLFormElement.prototype.submit.call(form);
  }, Math.max(0, left(s))));
}

/**
 * The verifier's verdict on a submission (`POST /v1/validate`, the JSON API's shape): what the
 * drop-in shows on submit, and for custom fields. Rejects when there is no verdict to be had.
 */
export async function verify(form, submission) {
  const r = await fetch(`${endpointOf(form)}/v1/validate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(submission),
    credentials: "omit",
    signal: AbortSignal.timeout(VERIFY_MS),
  });
  const verdict = r.status === 200 || r.status === 422 ? await r.json() : null;
  if (!Array.isArray(verdict?.issues)) throw new Error(`HTTP ${r.status}`);
  return verdict;
}

/** How long a submit waits for the verifier's verdict before it posts and lets it decide. */
const VERIFY_MS = 8000;

/** Back from the verifier with `sg_status=retry`: what was typed returns, with a gentle note. */
export function giveBack(guard) {
  const status = new URL(location.href).searchParams.get("sg_status");
  let kept = null;
  try {
    // Read once, then gone.
    kept = JSON.parse(sessionStorage.getItem(KEPT) || "null");
    sessionStorage.removeItem(KEPT);
  } catch {}
  if (kept?.page !== pageUrl() || Date.now() - kept.at > 600000) kept = null;
  if (status !== "retry") return;
  for (const [name, value] of Object.entries(kept?.values ?? {})) {
    const f = guard.fields.get(name);
    if (f && value) f.input.value = value;
  }
  guard.summary.textContent = guard.ui.retry;
  history.replaceState(history.state, "", pageUrl());
}
