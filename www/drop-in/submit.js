// A form's submit: the submission in the JSON API's shape, what the page can tell at once, the
// verifier's verdict on the whole form (`POST /v1/validate`), and the post.

import { customUi } from "./core.js";
import { fill, warn } from "./dom.js";
import { endpointOf, send, sourceFields, verify } from "./verifier.js";

/** The submission as the JSON API takes it. */
export function submissionOf(guard) {
  const sub = { locale: guard.locale };
  for (const [name, f] of guard.fields) if (f.input.value.trim()) sub[name] = f.input.value;
  // Without the policy the receipt cannot be checked here; the server still checks it.
  const consent = guard.policy && guard.receipt();
  if (consent) sub.consent = consent;
  for (const f of guard.customs.values()) {
    const value = customUi.customValue(f);
    if (value !== undefined) (sub.custom ??= {})[f.def.id] = value;
  }
  const source = sourceFields(guard.form);
  if (Object.keys(source).length) sub.source = source;
  return sub;
}

/**
 * The whole form is checked by the verifier (`POST /v1/validate`: the same code that checks
 * the post, custom fields, consent and the contact's rules included), so the page's module
 * carries field checks alone; a field in error blocks at once, without asking. The verdict is
 * shown like a field's; if it cannot be had, the form posts and the verifier decides.
 */
export function submit(guard, event) {
  if (guard.serverDecides) return;
  // Another script that took the submit over (it cancelled it first) sends the form itself.
  const theirs = event.defaultPrevented;
  event.preventDefault();
  // A second press while the form is being checked or held would post twice.
  if (guard.holding) return;
  const submission = submissionOf(guard);
  // What the page can tell at once (a field in error) blocks without a trip to the verifier.
  const issues = [];
  for (const [name, f] of guard.fields) {
    const verdict = f.input.value.trim() ? guard.check(name) : null;
    if (verdict && !verdict.pending) issues.push(...verdict.issues);
  }
  if (issues.some((i) => i.severity === "error")) {
    answered(guard, { ok: false, issues }, submission);
    return;
  }
  const submitter = event.submitter;
  guard.holding = true;
  guard.form.setAttribute("aria-busy", "true");
  const settle = () => {
    guard.holding = false;
    guard.form.removeAttribute("aria-busy");
  };
  verify(guard.form, submission).then(
    (verdict) => {
      settle();
      if (answered(guard, verdict, submission) && !theirs) send(guard, submitter);
    },
    (e) => {
      settle();
      warn(`cannot check the form at ${endpointOf(guard.form)}/v1/validate (${e.message}); posting it.`);
      guard.serverDecides = true;
      if (!theirs) send(guard, submitter);
    },
  );
}

/** Shows the verifier's verdict on the whole form; whether the form may go. */
export function answered(guard, verdict, submission) {
  const byField = new Map();
  for (const issue of verdict.issues) {
    const custom = `custom.${issue.params?.field}`;
    const key = guard.fields.has(issue.field) || issue.field === "consent" ? issue.field
      : issue.field === "custom" && guard.customs.has(custom) ? custom : "submission";
    byField.set(key, [...(byField.get(key) || []), issue]);
  }
  const c = verdict.contact;
  const display = c && {
    email: c.email_display, phone: c.phone_display, given_name: c.given_name,
    family_name: c.family_name, country: c.country,
  };
  for (const [name, f] of guard.fields) {
    const own = byField.get(name) || [];
    // A filled field that is fine on its own keeps what submit's own pass just drew (its
    // preview, "We will save it as …") when something else blocks the form.
    if (!display && !own.length && f.input.value.trim()) continue;
    guard.show(name, own, display?.[name]);
  }
  for (const key of guard.customs.keys()) guard.show(key, byField.get(key) || [], null);
  guard.show("consent", byField.get("consent") || [], null);
  const invalid = [...guard.fields.keys(), ...guard.customs.keys(), "consent"].filter((n) =>
    (byField.get(n) || []).some((i) => i.severity === "error"));
  if (!verdict.ok) {
    const labels = invalid.map((n) => (n === "consent" ? guard.ui.consentField
      : guard.customs.get(n)?.def.label ?? guard.label(n)));
    const whole = (byField.get("submission") || []).map((i) => i.message);
    const list = new Intl.ListFormat(guard.locale, { type: "conjunction" }).format(labels);
    guard.summary.textContent = [labels.length ? fill(guard.ui.check, { list }) : "", ...whole].join(" ").trim();
    const first = invalid[0] === "consent"
      ? guard.consent?.box.querySelector("input:not([type=hidden])")
      : (guard.fields.get(invalid[0]) || guard.customs.get(invalid[0]))?.input;
    first?.focus();
    guard.form.dispatchEvent(new CustomEvent("signup-guard:invalid", { bubbles: true, detail: { verdict, submission } }));
    return false;
  }
  guard.summary.textContent = "";
  const go = guard.form.dispatchEvent(
    new CustomEvent("signup-guard:valid", { bubbles: true, cancelable: true, detail: { verdict, submission } }));
  if (!go) return false;
  // Send the normalized forms the person was shown (the server verifies them again).
  for (const [name, f] of guard.fields) {
    if (display?.[name] && f.input.tagName !== "SELECT") f.input.value = display[name];
  }
  return true;
}
