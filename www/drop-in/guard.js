// One guarded form: its fields, messages, consent block, custom fields and submit.

import { api, customUi, phoneUi, FIELDS, SLOW_DATA_MS, loadFileOf, loadNeeds, phoneInput, prefetchPhoneData, prefetchUnicodeData, words } from "./core.js";
import { UI, describe, el, fill, findMarker, withValue } from "./dom.js";
import { pointer } from "./press.js";
import { submit } from "./submit.js";
import { verify } from "./verifier.js";

/** A code point unassigned in this browser's Unicode. */
const UNKNOWN_TO_BROWSER = /\p{Cn}/u;
let serial = 0;

/** The language tag a form asks for: its `data-locale`, the page's `lang`, the browser's. */
export const tagOf = (form) => form.dataset.locale || form.closest("[lang]")?.lang || navigator.language || "en";

/** The locale a form's messages and words are in: `tagOf` as the core negotiates it. */
export const localeOf = (form) => api.negotiateLocale(tagOf(form));

export class Guard {
  constructor(form, policy) {
    this.form = form;
    this.policy = policy;
    this.id = `sg${++serial}`;
    this.locale = localeOf(form);
    // Words in the page's language came with its catalogue, which `attach` waited for (English
    // ones are dom.js's; a catalogue that could not load leaves English).
    this.ui = { ...UI.en, ...words.get(this.locale) };
    const rtl = api.isRtl(this.locale);
    if (!form.hasAttribute("dir") && rtl !== (getComputedStyle(form).direction === "rtl")) {
      form.dir = rtl ? "rtl" : "ltr";
    }
    form.noValidate = true;
    form.classList.add("sg-form");
    this.summary = el("div", { class: "sg-summary", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    form.prepend(this.summary);
    // No country field: the phone gets a country picker, which becomes the form's country.
    const phone = phoneInput(form);
    this.picker = phone instanceof HTMLInputElement && phoneUi
      ? phoneUi.addCountryPicker(api, form, phone, policy, this.locale, this.id)
      : null;
    this.fields = new Map();
    for (const name of FIELDS) {
      const input = form.querySelector(`[data-sg-field="${name}"]`) || form.elements.namedItem(name);
      if (!(input instanceof HTMLElement) || !("value" in input)) continue;
      // Addresses and numbers are written left to right, on right-to-left pages too.
      if ((name === "email" || name === "phone") && !input.hasAttribute("dir")) input.dir = "ltr";
      const message = el("div", { class: "sg-message", id: `${this.id}-${name}` });
      (input.closest("label") || input).after(message);
      describe(input, message.id);
      this.fields.set(name, { input, message, shown: false });
    }
    // The consent boxes and the policy's custom fields come in tasks of their own (`attach`
    // calls `finish`, then renders the custom fields).
    this.customs = new Map();
    this.markRequired();
    // The policy's default country, when the form's country field has no choice yet.
    const country = this.fields.get("country")?.input;
    const preset = this.policy?.default_country;
    if (country && preset && !country.value) {
      country.value = preset;
      if (country.value !== preset) country.value = "";
    }
    form.addEventListener("focusout", (e) => {
      const name = this.nameOf(e.target);
      if (name) pointer.later(() => this.blurred(name));
      const key = this.customOf(e.target);
      if (key) pointer.later(() => this.checkCustom(key, true));
    });
    // The phone's value just before each edit, to tell a deleted separator from a deleted digit.
    form.addEventListener("beforeinput", (e) => {
      const f = this.fields.get("phone");
      if (f && e.target === f.input) (f.typing ??= {}).last = f.input.value;
    });
    form.addEventListener("input", (e) => {
      const name = this.nameOf(e.target);
      if (name === "phone") this.typed(e);
      // The first letter beyond ASCII in a name or an address: the tables its check needs.
      else if (name && name !== "country" && /[^\0-\x7f]/.test(e.target.value)) prefetchUnicodeData();
      if (name && this.fields.get(name).shown) this.check(name);
      const key = this.customOf(e.target);
      // Custom fields ask the verifier: once typing pauses.
      const custom = key && this.customs.get(key);
      if (custom?.shown) {
        clearTimeout(custom.later);
        custom.later = setTimeout(() => this.checkCustom(key), 400);
      }
    });
    form.addEventListener("change", (e) => {
      const key = this.customOf(e.target);
      if (key) this.checkCustom(key, true);
      const name = this.nameOf(e.target);
      if (name === "country") {
        this.check("country");
        const phone = this.fields.get("phone");
        if (phone?.input.value.trim()) this.check("phone");
      }
    });
    form.addEventListener("submit", (e) => submit(this, e));
    this.watchPhoneData();
    if (this.fields.get("phone")?.input.value) this.typed(null);
  }

  /**
   * Renders the consent boxes, then says the form is ready (`signup-guard:ready`). A task after
   * the constructor's: the first call with the policy compiles its part of the module, and with
   * it building the demo's guard ran 50-70 ms at 4x CPU.
   */
  finish() {
    this.renderConsent();
    this.form.dispatchEvent(new CustomEvent("signup-guard:ready", { bubbles: true }));
  }

  /** The phone field changed: format it as typed; the picker follows a typed `+CC`. */
  typed(event) {
    const f = this.fields.get("phone");
    if (!f || f.input.tagName !== "INPUT" || !phoneUi) return;
    f.typing ??= {};
    const country = this.fields.get("country")?.input.value || this.policy?.default_country;
    phoneUi.formatPhoneInput(api, f.input, country, f.typing, event, loadNeeds, (answer) => {
      if (phoneUi.follow(this.picker, answer.region, answer.callingCode)) prefetchPhoneData(this.picker.value);
    });
  }

  /** A field lost focus: check it (or clear an empty one that shows nothing yet). */
  blurred(name) {
    const f = this.fields.get(name);
    if (f.input.value.trim()) this.check(name);
    else if (!f.shown) this.clear(name);
  }

  nameOf(target) {
    for (const [name, f] of this.fields) if (f.input === target) return name;
    return null;
  }

  /** The key (`custom.ID`) of the custom field `target` belongs to, or null. */
  customOf(target) {
    return this.customs?.has(target?.name) ? target.name : null;
  }

  /** Checks one custom field by the core's rules; `blur`: an empty field not yet shown stays quiet. */
  checkCustom(key, blur = false) {
    const f = this.customs.get(key);
    const value = customUi.customValue(f);
    if (blur && value === undefined && !f.shown) return;
    clearTimeout(f.later);
    const ticket = (f.asked = (f.asked || 0) + 1);
    customUi.checkCustom((sub) => verify(this.form, sub), f, this.locale).then(
      (answer) => f.asked === ticket && this.show(key, answer.issues, null),
      () => {}, // unanswered: the verifier decides at the post
    );
  }

  /**
   * The field's name as the summary lists it: `data-sg-label`, else its label's own words (not
   * the controls, options, hints or messages inside the label), else `aria-label`.
   */
  label(name) {
    const input = this.fields.get(name)?.input;
    const own = input?.dataset.sgLabel;
    if (own) return own;
    const label = input?.labels?.[0]?.cloneNode(true);
    label?.querySelectorAll("input, select, textarea, button, .hint, small, [aria-hidden=true], .sg-message")
      .forEach((n) => n.remove());
    const text = label?.textContent.replace(/\s+/g, " ").replace(/[\s:*]+$/, "").trim();
    return text || input?.getAttribute("aria-label") || name;
  }

  /** Checks one field now and shows the answer. */
  check(name) {
    const f = this.fields.get(name);
    // A character this browser's Unicode does not know (newer than its engine: the page's
    // letters, marks and scripts are the browser's RegExp's) reads here as no letter at all,
    // where the server's newer Unicode may know it: such a value gets no verdict in the page, and
    // the verifier judges it on submit.
    if (UNKNOWN_TO_BROWSER.test(f.input.value)) {
      this.clear(name);
      return null;
    }
    const country = this.fields.get("country")?.input.value || null;
    const verdict = api.validateField(name, f.input.value, {
      country,
      locale: this.locale,
      policy: this.policy,
    });
    if (verdict.pending) this.awaitData(name, verdict);
    else this.show(name, verdict.issues, verdict.ok ? verdict.display : null);
    // The number resolved to another region of its calling code (+1 for Canada): say so.
    if (name === "phone" && verdict.ok) phoneUi?.follow(this.picker, verdict.region);
    return verdict;
  }

  clear(name) {
    this.show(name, [], null);
  }

  /** Renders the issues of one field (or the consent block) and the value that will be sent. */
  show(name, shown, display) {
    const f = name === "consent" ? this.consent : this.fields.get(name) || this.customs?.get(name);
    if (!f) return;
    const issues = shown.map((i) => this.named(i));
    const errors = issues.filter((i) => i.severity === "error");
    f.shown = errors.length > 0;
    const input = f.input;
    if (input) {
      input.setAttribute("aria-invalid", errors.length ? "true" : "false");
      input.setCustomValidity?.(errors[0]?.message || "");
    }
    const nodes = issues.map((issue) => {
      const p = el("p", { class: `sg-${issue.severity}`, "data-code": issue.code, text: issue.message });
      if (issue.suggestion && input) {
        const button = el("button", { type: "button", class: "sg-suggest" });
        button.append(...withValue(this.ui.use, issue.suggestion));
        button.addEventListener("click", () => {
          input.value = issue.suggestion;
          input.dispatchEvent(new Event("input", { bubbles: true }));
          this.check(name);
          input.focus();
        });
        p.append(" ", button);
      }
      return p;
    });
    const typed = input?.value.trim();
    if (display && name !== "country" && (name === "phone" || display !== typed)) {
      nodes.push(el("p", { class: "sg-normalized" }, ...withValue(this.ui.saved, display)));
    }
    f.message.replaceChildren(...nodes);
  }

  /** The issue with its `params.region` named in the page's language (`region_name`), as on the server. */
  named(issue) {
    const code = issue.params?.region;
    if (!/^[A-Z]{2}$/.test(code || "") || typeof Intl.DisplayNames !== "function") return issue;
    this.regions ??= new Intl.DisplayNames([this.locale], { type: "region", fallback: "none" });
    const name = this.regions.of(code);
    if (!name) return issue;
    const message = issue.message.replace(new RegExp(`(^|[^\\p{L}])${code}(?![\\p{L}])`, "u"), `$1${name}`);
    return { ...issue, message, params: { ...issue.params, region_name: name } };
  }

  /**
   * The purposes the drop-in renders as boxes, in the form's language, asked of the core once.
   * Boxes the server rendered stay as they are, and the core is not asked then (its first call
   * reads the policy and compiles that part of the module: 11-25 ms at 4x CPU, so `attach` asks
   * in a task of its own, before the boxes).
   */
  purposes() {
    if (!this.boxPurposes) {
      const served = this.form.querySelector('input[type="checkbox"][name="consent"]');
      this.boxPurposes = !served && this.policy?.purposes?.length ? api.consentPurposes(this.policy, this.locale) : [];
    }
    return this.boxPurposes;
  }

  /** Renders the policy's purposes as separate unticked boxes, unless the server already did. */
  renderConsent() {
    const form = this.form;
    let box = form.querySelector("fieldset.sg-consent");
    const purposes = this.purposes();
    if (purposes.length) {
      box = el("fieldset", { class: "sg-consent" }, el("legend", { text: this.ui.consent }));
      for (const p of purposes) {
        const text = el("span", { class: "sg-purpose-text", text: p.text });
        box.append(
          el("label", { class: "sg-purpose" },
            el("input", { type: "checkbox", name: "consent", value: p.id, required: p.required }), " ", text),
          // The SHA-256 of the text the box shows (the core hashed `p.text`, the span's text).
          el("input", { type: "hidden", name: `consent_shown.${p.id}`, value: p.text_hash }),
        );
      }
      const c = this.policy.controller;
      if (c?.name) {
        const line = el("p", { class: "sg-controller", text: fill(this.ui.controller, { name: c.name }) });
        if (c.privacy_url) line.append(" · ", el("a", { href: c.privacy_url, text: this.ui.privacy }));
        box.append(line);
      }
      const days = this.policy.retention_days;
      if (days) box.append(el("p", { class: "sg-retention", text: fill(this.ui.retention, { days: String(days) }) }));
      for (const [name, value] of [
        ["policy_id", this.policy.id],
        ["policy_version", this.policy.version],
        ["locale", this.locale],
      ]) {
        if (!form.elements.namedItem(name)) box.append(el("input", { type: "hidden", name, value }));
      }
      const marker = findMarker(form);
      if (marker) marker.replaceWith(box);
      else {
        const submit = form.querySelector('[type="submit"]');
        const anchor = submit && submit.parentElement !== form ? submit.parentElement : submit;
        if (anchor) anchor.before(box);
        else form.append(box);
      }
    }
    if (box) {
      const message = el("div", { class: "sg-message", id: `${this.id}-consent` });
      box.append(message);
      describe(box, message.id);
      this.consent = { input: null, message, shown: false, box };
    }
  }

  /**
   * The consent receipt in the JSON API's shape: the policy's id and version, the purposes ticked,
   * the SHA-256 of every purpose text shown, and the browser's clock (recorded as claimed).
   */
  receipt() {
    const form = this.form;
    const boxes = [...form.querySelectorAll('input[type="checkbox"][name="consent"]')];
    if (!boxes.length) return undefined;
    // The policy's texts in this page's language, and over them the hashes of what this page
    // really displayed (rendered here or by the server).
    const shown = Object.fromEntries(api.consentPurposes(this.policy, this.locale).map((p) => [p.id, p.text_hash]));
    for (const b of boxes) {
      const hash = form.elements.namedItem(`consent_shown.${b.value}`)?.value;
      if (hash) shown[b.value] = hash;
    }
    const { id: policy_id, version: policy_version } = this.policy;
    const granted = boxes.filter((b) => b.checked).map((b) => b.value);
    return { policy_id, policy_version, granted, shown, collected_at: new Date().toISOString() };
  }

  // ---- Phone data on demand (core.js: loadDataFile) ----

  /** Prefetches the phone data of the form's country when it is chosen or the phone is focused. */
  watchPhoneData() {
    const country = () => this.fields.get("country")?.input.value || this.policy?.default_country;
    // Typing "Indo" on a select passes India on the way: fetch what stays chosen a moment.
    let settle = 0;
    this.form.addEventListener("change", (e) => {
      if (this.nameOf(e.target) !== "country") return;
      clearTimeout(settle);
      settle = setTimeout(() => prefetchPhoneData(country()), 300);
    });
    this.form.addEventListener("focusin", (e) => {
      if (this.nameOf(e.target) === "phone") prefetchPhoneData(country());
      if (this.nameOf(e.target) === "email") loadFileOf(api.emailDataFor()); // the email data file
    });
  }

  /**
   * A pending answer is no verdict: clear the field, load the data it needs, check again. Only
   * if that takes a while does the field say it is checking; if the data cannot load, the field
   * says nothing and the server decides.
   */
  awaitData(name, verdict) {
    const f = this.fields.get(name);
    const ticket = (f.waiting = (f.waiting || 0) + 1);
    this.show(name, [], null);
    const slow = setTimeout(() => {
      if (f.waiting === ticket) f.message.replaceChildren(el("p", { class: "sg-pending", text: verdict.message }));
    }, SLOW_DATA_MS);
    const done = (recheck) => {
      clearTimeout(slow);
      if (f.waiting !== ticket) return;
      if (recheck) this.check(name);
      else f.message.replaceChildren();
    };
    loadNeeds(verdict).then(() => done(true), () => done(false));
  }

  /** The policy's own fields, before the consent box (or the submit button): once their module is in. */
  renderCustoms() {
    const form = this.form;
    const button = form.querySelector('[type="submit"]');
    const before = this.consent?.box || (button && button.parentElement !== form ? button.parentElement : button);
    this.customs = customUi.renderCustom(form, this.policy, this.locale, this.id, before, { el, describe });
    this.markRequired();
  }

  /** Marks the fields the policy requires: `aria-required` and a `*` after the label's words. */
  markRequired() {
    for (const [name, f] of [...this.fields, ...this.customs]) {
      if (!(f.def ? f.def.required : this.policy?.fields?.[name]?.required)) continue;
      // A multi-select's name is its group's label, not one box's.
      const group = f.def?.type === "multi_select" ? f.input.closest("[role=group]") : null;
      if (!group) f.input.setAttribute("aria-required", "true");
      const label = group ? group.querySelector(":scope > span") : f.input.labels?.[0];
      if (label && !label.querySelector(".sg-required")) {
        const mark = el("span", { class: "sg-required", "aria-hidden": "true", text: "*" });
        const words = [...label.childNodes].find((n) => n.nodeType === 3 && n.data.trim()) ||
          label.querySelector(":scope > span:not(.hint):not(.sg-hint)");
        if (words) words.after(mark);
        else label.prepend(mark);
      }
    }
    const country = this.fields.get("country")?.input;
    if (country?.tagName === "SELECT" && country.options.length > 20 && !country.hasAttribute("aria-describedby")) {
      const hint = el("span", { class: "sg-hint", id: `${this.id}-search`, text: this.ui.search });
      (country.labels?.[0] || country).append(hint);
      describe(country, hint.id);
    }
  }
}
