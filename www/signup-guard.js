// signup-guard drop-in: makes every `form[data-signup-guard]` careful, accessible and consent-aware.
//
//   <link rel="stylesheet" href="https://verifier.example/signup-guard.css">
//   <script type="module" src="https://verifier.example/signup-guard.js"
//           data-endpoint="https://verifier.example"></script>
//
// `data-endpoint` (script or form) is the verifier: policy, post target, and the bot checks a
// static page lacks (`sg_t` from /v1/form-token, `sg_hp`, `sg_return`). See README "In the browser".
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

// The phone field's formatting and picker, and the policy's custom fields, are modules of their
// own, loaded only by forms that have a phone field or a policy with custom fields (a newsletter
// form with an email alone loads neither); `attach` waits for them.
let phoneUi = null;
let customUi = null;
let phoneUiLoading = null;
let customUiLoading = null;
const loadPhoneUi = () =>
  (phoneUiLoading ??= import("./signup-guard-phone.js").then((m) => (phoneUi = m), () => null));
const loadCustomUi = () =>
  (customUiLoading ??= import("./signup-guard-custom.js").then((m) => (customUi = m), () => null));
/** The form's phone input, if any. */
const phoneInput = (form) => form.querySelector('[data-sg-field="phone"]') || form.elements.namedItem("phone");

const FIELDS = ["email", "phone", "given_name", "family_name", "country"];

// Words of this layer only; every message about a value comes from the core's catalogues.
const UI = {
  en: {
    check: "Please check these fields: {list}.",
    use: "Use {value}",
    saved: "We will save it as {value}",
    consent: "What may we send you? (optional)",
    controller: "Data controller: {name}",
    privacy: "Privacy notice",
    retention: "We keep your details for {days} days after your last signup, then delete them.",
    consentField: "Consent",
    retry: "Almost done: please check your details and choices, then send the form again.",
    search: "Type the first letters to jump to your country.",
  },
  ar: {
    check: "يُرجى مراجعة هذه الحقول: {list}.",
    use: "استخدم {value}",
    saved: "سنحفظه بهذا الشكل: {value}",
    consent: "ماذا يمكننا أن نرسل إليك؟ (اختياري)",
    controller: "المسؤول عن البيانات: {name}",
    privacy: "إشعار الخصوصية",
    retention: "نحتفظ ببياناتك مدة {days} يومًا بعد آخر اشتراك لك، ثم نحذفها.",
    consentField: "الموافقة",
    retry: "اقتربت من النهاية: راجع بياناتك واختياراتك، ثم أرسل النموذج مرة أخرى.",
    search: "اكتب الحروف الأولى للانتقال إلى بلدك.",
  },
  fa: {
    check: "لطفاً این بخش‌ها را بررسی کنید: {list}.",
    use: "استفاده از {value}",
    saved: "به این شکل ذخیره می‌شود: {value}",
    consent: "چه چیزهایی برایتان بفرستیم؟ (اختیاری)",
    controller: "مسئول داده‌ها: {name}",
    privacy: "اطلاعیهٔ حریم خصوصی",
    retention: "اطلاعات شما را تا {days} روز پس از آخرین عضویتتان نگه می‌داریم و سپس پاک می‌کنیم.",
    consentField: "رضایت",
    retry: "تقریباً تمام است: اطلاعات و انتخاب‌هایتان را بررسی کنید و فرم را دوباره بفرستید.",
    search: "چند حرف اول را تایپ کنید تا به کشورتان برسید.",
  },
  id: {
    check: "Mohon periksa kolom berikut: {list}.",
    use: "Pakai {value}",
    saved: "Akan disimpan sebagai {value}",
    consent: "Apa yang boleh kami kirimkan? (opsional)",
    controller: "Pengendali data: {name}",
    privacy: "Pemberitahuan privasi",
    retention: "Kami menyimpan data Anda selama {days} hari sejak pendaftaran terakhir, lalu menghapusnya.",
    consentField: "Persetujuan",
    retry: "Hampir selesai: periksa data dan pilihan Anda, lalu kirim formulir sekali lagi.",
    search: "Ketik huruf awal untuk melompat ke negara Anda.",
  },
};

const fill = (template, params) => template.replace(/\{(\w+)\}/g, (_, k) => params[k] ?? "");

/** A template with `{value}` as nodes, the value isolated left to right (addresses, numbers). */
function withValue(template, value) {
  const [before, after = ""] = template.split("{value}");
  return [before, el("bdi", { dir: "ltr", text: value }), after];
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children);
  return node;
}

const script =
  [...document.querySelectorAll("script[src]")].find((s) => s.src === import.meta.url) ||
  document.querySelector("script[data-policy]");
/** The verifier's origin (`data-endpoint`), without a trailing slash; "" is this page's own. */
const endpoint = (script?.dataset.endpoint ?? "").replace(/\/+$/, "");
const defaultPolicyUrl = script?.dataset.policy ?? `${endpoint}/v1/policy`;

const policies = new Map();
function loadPolicy(url) {
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

const afterPaint = () =>
  new Promise((resolve) => {
    if (document.visibilityState === "hidden") setTimeout(resolve, 0);
    else requestAnimationFrame(() => setTimeout(resolve, 0));
  });

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Holds back what a blur would render while a press is under way, so a message appearing above
 * the button being pressed never moves it between press and release (the click would land on
 * nothing). A press lasts from pointerdown to its click (touch taps send their mouse events and
 * the focus change after pointerup), or to a cancel; work queued meanwhile runs right after.
 */
const pointer = {
  down: false,
  queue: [],
  timer: 0,
  later(work) {
    if (this.down) this.queue.push(work);
    else work();
  },
  flush() {
    clearTimeout(this.timer);
    this.down = false;
    const work = this.queue.splice(0);
    for (const w of work) w();
  },
};
addEventListener("pointerdown", () => {
  clearTimeout(pointer.timer);
  pointer.down = true;
}, true);
// After the click's own handlers (a submit, a suggestion) have run.
addEventListener("click", () => setTimeout(() => pointer.flush(), 0), true);
addEventListener("pointercancel", () => pointer.flush(), true);
// A press that ends without a click (dragged away): flush once a tap's mouse events had their chance.
addEventListener("pointerup", () => {
  clearTimeout(pointer.timer);
  pointer.timer = setTimeout(() => pointer.flush(), 600);
}, true);

let api = null;
let serial = 0;
const guards = new WeakMap();

class Guard {
  constructor(form, policy) {
    this.form = form;
    this.policy = policy;
    this.id = `sg${++serial}`;
    const tag = form.dataset.locale || form.closest("[lang]")?.lang || navigator.language || "en";
    this.locale = api.negotiateLocale(tag);
    loadFileOf(api.messagesFor(this.locale)); // the page's own catalogue (English is built in)
    this.ui = UI[this.locale] || UI.en;
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
    this.renderConsent();
    this.customs = new Map();
    if (customUi) this.renderCustoms();
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
    form.addEventListener("submit", (e) => this.submit(e));
    this.watchPhoneData();
    if (this.fields.get("phone")?.input.value) this.typed(null);
    form.dispatchEvent(new CustomEvent("signup-guard:ready", { bubbles: true }));
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

  /** Renders the policy's purposes as separate unticked boxes, unless the server already did. */
  renderConsent() {
    const form = this.form;
    let box = form.querySelector("fieldset.sg-consent");
    const purposes = this.policy?.purposes?.length ? api.consentPurposes(this.policy, this.locale) : [];
    if (!form.querySelector('input[type="checkbox"][name="consent"]') && purposes.length) {
      box = el("fieldset", { class: "sg-consent" }, el("legend", { text: this.ui.consent }));
      for (const p of purposes) {
        const text = el("span", { class: "sg-purpose-text", text: p.text });
        box.append(
          el("label", { class: "sg-purpose" },
            el("input", { type: "checkbox", name: "consent", value: p.id, required: p.required }), " ", text),
          el("input", { type: "hidden", name: `consent_shown.${p.id}`, value: api.sha256Hex(text.textContent) }),
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

  /** The consent receipt: purposes ticked and the SHA-256 of every purpose text shown. */
  receipt() {
    const form = this.form;
    const boxes = [...form.querySelectorAll('input[type="checkbox"][name="consent"]')];
    if (!boxes.length) return undefined;
    const granted = boxes.filter((b) => b.checked).map((b) => b.value);
    const claim = api.consentReceipt(this.policy, granted, this.locale);
    // The hashes of what this page really displayed (rendered here or by the server).
    for (const b of boxes) {
      const shown = form.elements.namedItem(`consent_shown.${b.value}`)?.value;
      if (shown) claim.shown[b.value] = shown;
    }
    return claim;
  }

  // ---- Phone data on demand (see loadPhoneFile below) ----

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
      if (this.nameOf(e.target) === "email") loadFileOf(api.emailDataFor()); // rarer endings' list
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

  /** The submission as the JSON API takes it. */
  submission() {
    const sub = { locale: this.locale };
    for (const [name, f] of this.fields) if (f.input.value.trim()) sub[name] = f.input.value;
    // Without the policy the receipt cannot be checked here; the server still checks it.
    const consent = this.policy && this.receipt();
    if (consent) sub.consent = consent;
    for (const f of this.customs.values()) {
      const value = customUi.customValue(f);
      if (value !== undefined) (sub.custom ??= {})[f.def.id] = value;
    }
    const source = sourceFields(this.form);
    if (Object.keys(source).length) sub.source = source;
    return sub;
  }

  /**
   * The whole form is checked by the verifier (`POST /v1/validate`: the same code that checks
   * the post, custom fields, consent and the contact's rules included), so the page's module
   * carries field checks alone; a field in error blocks at once, without asking. The verdict is
   * shown like a field's; if it cannot be had, the form posts and the verifier decides.
   */
  submit(event) {
    if (this.serverDecides) return;
    // Another script that took the submit over (it cancelled it first) sends the form itself.
    const theirs = event.defaultPrevented;
    event.preventDefault();
    // A second press while the form is being checked or held would post twice.
    if (this.holding) return;
    const submission = this.submission();
    // What the page can tell at once (a field in error) blocks without a trip to the verifier.
    const issues = [];
    for (const [name, f] of this.fields) {
      const verdict = f.input.value.trim() ? this.check(name) : null;
      if (verdict && !verdict.pending) issues.push(...verdict.issues);
    }
    if (issues.some((i) => i.severity === "error")) {
      this.answered({ ok: false, issues }, submission);
      return;
    }
    const submitter = event.submitter;
    this.holding = true;
    this.form.setAttribute("aria-busy", "true");
    const settle = () => {
      this.holding = false;
      this.form.removeAttribute("aria-busy");
    };
    verify(this.form, submission).then(
      (verdict) => {
        settle();
        if (this.answered(verdict, submission) && !theirs) send(this, submitter);
      },
      (e) => {
        settle();
        warn(`cannot check the form at ${endpointOf(this.form)}/v1/validate (${e.message}); posting it.`);
        this.serverDecides = true;
        if (!theirs) send(this, submitter);
      },
    );
  }

  /** Shows the verifier's verdict on the whole form; whether the form may go. */
  answered(verdict, submission) {
    const byField = new Map();
    for (const issue of verdict.issues) {
      const custom = `custom.${issue.params?.field}`;
      const key = this.fields.has(issue.field) || issue.field === "consent" ? issue.field
        : issue.field === "custom" && this.customs.has(custom) ? custom : "submission";
      byField.set(key, [...(byField.get(key) || []), issue]);
    }
    const c = verdict.contact;
    const display = c && {
      email: c.email_display, phone: c.phone_display, given_name: c.given_name,
      family_name: c.family_name, country: c.country,
    };
    for (const [name, f] of this.fields) {
      const own = byField.get(name) || [];
      // A field that is fine on its own keeps its preview ("We will save it as …") when
      // something else blocks the form.
      if (!display && !own.length && f.input.value.trim()) this.check(name);
      else this.show(name, own, display?.[name]);
    }
    for (const key of this.customs.keys()) this.show(key, byField.get(key) || [], null);
    this.show("consent", byField.get("consent") || [], null);
    const invalid = [...this.fields.keys(), ...this.customs.keys(), "consent"].filter((n) =>
      (byField.get(n) || []).some((i) => i.severity === "error"));
    if (!verdict.ok) {
      const labels = invalid.map((n) => (n === "consent" ? this.ui.consentField
        : this.customs.get(n)?.def.label ?? this.label(n)));
      const whole = (byField.get("submission") || []).map((i) => i.message);
      const list = new Intl.ListFormat(this.locale, { type: "conjunction" }).format(labels);
      this.summary.textContent = [labels.length ? fill(this.ui.check, { list }) : "", ...whole].join(" ").trim();
      const first = invalid[0] === "consent"
        ? this.consent?.box.querySelector("input:not([type=hidden])")
        : (this.fields.get(invalid[0]) || this.customs.get(invalid[0]))?.input;
      first?.focus();
      this.form.dispatchEvent(new CustomEvent("signup-guard:invalid", { bubbles: true, detail: { verdict, submission } }));
      return false;
    }
    this.summary.textContent = "";
    const go = this.form.dispatchEvent(
      new CustomEvent("signup-guard:valid", { bubbles: true, cancelable: true, detail: { verdict, submission } }));
    if (!go) return false;
    // Send the normalized forms the person was shown (the server verifies them again).
    for (const [name, f] of this.fields) {
      if (display?.[name] && f.input.tagName !== "SELECT") f.input.value = display[name];
    }
    return true;
  }

  /** The policy's own fields, before the consent box (or the submit button): once their module is in. */
  renderCustoms() {
    const form = this.form;
    const button = form.querySelector('[type="submit"]');
    const before = this.consent?.box || (button && button.parentElement !== form ? button.parentElement : button);
    this.customs = customUi.renderCustom(api, form, this.policy, this.locale, this.id, before, { el, describe });
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

// ---- Integration with the verifier: endpoint, bot-check token, return URL, warnings ----

const warn = (text) => console.warn(`signup-guard: ${text}`);

/** Where what was typed waits for a `sg_status=retry` (one trip). */
const KEPT = "signup-guard:kept";

/** Action, `sg_return`, `sg_hp` and `sg_t` where missing; resolves to the stamp's time and wait. */
async function integrate(form) {
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
const endpointOf = (form) => (form.dataset.endpoint ?? endpoint).replace(/\/+$/, "");

/** This page's address without our own `sg_status` flag. */
function pageUrl() {
  const url = new URL(location.href);
  url.searchParams.delete("sg_status");
  return url.href;
}

// Where a signup came from (README "Where a signup came from"): captured with no code from the
// page; the core bounds and cleans it (no query string beyond utm_*, no personal data).
const SOURCE_KEYS = ["path", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "form_id"];

/** This page's path, its address's `utm_*` parameters and the form's `data-form-id`. */
function sourceOf(form) {
  const query = new URLSearchParams(location.search);
  const found = { path: location.pathname, form_id: form.dataset.formId };
  for (const key of SOURCE_KEYS) if (key.startsWith("utm_")) found[key] = query.get(key);
  return found;
}

/** The form's `source.KEY` inputs as the JSON API's `source` object. */
function sourceFields(form) {
  const source = {};
  for (const key of SOURCE_KEYS) {
    const value = form.elements.namedItem(`source.${key}`)?.value;
    if (value) source[key] = value;
  }
  return source;
}

/** Warns about fields the policy requires that the form has no input for. */
function warnMissing(guard) {
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
function send(guard, submitter) {
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
async function verify(form, submission) {
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
function giveBack(guard) {
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

// ---- Phone data and message catalogues on demand (issue 12) ----
// The module knows every calling code but carries neither the phone engine nor phone data, and
// only English messages: a number while the engine or its data is not loaded, or any answer in a
// language whose catalogue is not, is pending and names files (`phone-engine.<hash>.wasm`,
// `phone-62.<hash>.bin`, `messages-fa.<hash>.txt`, beside this script and named by their content,
// so caches may keep them forever), fetched here once each and handed over.
// Likewise an address with a less common ending needs the root zone list (`tlds.<hash>.txt`),
// fetched when the person starts on the email field.

/** How long a field waits for phone data before it says it is checking. */
const SLOW_DATA_MS = 600;
const phoneFiles = new Map();

/** Fetches and loads one data file (phone data, a catalogue, the root zone list), once (a failed fetch is tried again next time). */
function loadPhoneFile(name) {
  let loading = phoneFiles.get(name);
  if (!loading) {
    loading = fetch(new URL(name, import.meta.url))
      .then((r) => (r.ok ? r : Promise.reject(new Error(`${name}: HTTP ${r.status}`))))
      .then(async (r) => {
        if (name.endsWith(".wasm")) return api.usePhoneEngine(await instantiate(r));
        const data = new Uint8Array(await r.arrayBuffer());
        if (name.startsWith("messages-")) api.loadMessages(data);
        else if (name.startsWith("tlds.")) api.loadEmailData(data);
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
const loadNeeds = (verdict) =>
  verdict.needs.every((name) => loaded.has(name))
    ? Promise.reject(new Error(`still pending after loading ${verdict.needs.join(", ")}`))
    : Promise.all(verdict.needs.map(loadPhoneFile));

/** Starts loading the phone engine and the phone data of `country` (ISO code), unless loaded. */
function prefetchPhoneData(country) {
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

/** Starts loading a data file the module named (phone data, a catalogue, the root zone list), if any. */
function loadFileOf(name) {
  if (name) loadPhoneFile(name).catch(() => {});
}

/** Adds `id` to the element's aria-describedby list. */
function describe(node, id) {
  const ids = (node.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  if (!ids.includes(id)) node.setAttribute("aria-describedby", [...ids, id].join(" "));
}

/** The `<!--sg:consent-->` comment in a form, where the consent block belongs. */
function findMarker(form) {
  const walker = document.createTreeWalker(form, NodeFilter.SHOW_COMMENT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.data.trim() === "sg:consent") return n;
  return null;
}

async function attach(form) {
  if (guards.has(form)) return;
  guards.set(form, null);
  const ripe = integrate(form);
  const own = form.dataset.endpoint ? `${endpointOf(form)}/v1/policy` : undefined;
  const policy = await loadPolicy(form.dataset.policy ?? own ?? defaultPolicyUrl);
  // The phone field's module came with the page (fetched at once when a form has a phone); the
  // custom fields' module, fetched once the policy shows some, renders them when it is in.
  if (phoneInput(form)) await loadPhoneUi();
  const guard = new Guard(form, policy);
  if (policy?.custom_fields?.length && !customUi) loadCustomUi().then(() => customUi && guard.renderCustoms());
  guards.set(form, guard);
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

/** The compiled module at `url`: streamed while it downloads when the host sends `application/wasm`. */
async function compile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  if (WebAssembly.compileStreaming && response.headers.get("content-type") === "application/wasm") {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Resolves to the JS API once the WebAssembly core is loaded (for scripts that want it too). */
export const ready = (async () => {
  // Fetching the glue and compiling the module run beside the page (compilation streams off the
  // main thread), so they start now; instantiating and attaching wait for the first paint.
  const glue = import("./signup_guard_fields.js");
  // The modules this page's forms need, fetched beside the core: the phone field's when a form
  // has one, the custom fields' as soon as the policy turns out to define some.
  if ([...document.querySelectorAll("form[data-signup-guard]")].some(phoneInput)) loadPhoneUi();
  const compiled = compile(new URL("signup_guard_fields_bg.wasm", import.meta.url));
  loadPolicy(defaultPolicyUrl).then((policy) => policy?.custom_fields?.length && loadCustomUi());
  await afterPaint();
  performance.mark("signup-guard:load");
  const mod = await glue;
  await mod.default({ module_or_path: await compiled });
  api = mod;
  performance.mark("signup-guard:wasm");
  // Attaching (the first calls compile their wasm functions) and warming up each get a task.
  await nextTask();
  scan(document);
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) scan(n);
  }).observe(document.documentElement, { childList: true, subtree: true });
  performance.mark("signup-guard:warm-up");
  // One field per task (the first call of each path compiles its wasm functions), so no task of
  // the warm-up is long on a slow phone.
  for (const [field, value] of [["email", "warm.up@example.org"], ["given_name", "Ani"], ["country", "ID"]]) {
    await nextTask();
    api.validateField(field, value);
  }
  performance.mark("signup-guard:ready");
  return api;
})();
// Without WebAssembly (or if the module cannot load) the forms simply post; the server checks.
ready.catch((e) => console.warn("signup-guard: not active:", e));
