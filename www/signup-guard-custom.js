// signup-guard drop-in, the policy's custom fields (`custom_fields`: company, interests…).
// Imported by the drop-in (drop-in/guard.js) once the policy turns out to define some.
//
// A field the page already has (any control named `custom.ID`, as the server's no-JavaScript
// form renders them) is used as it is; a missing one is rendered with the markup the server
// uses: a label, the help text tied with aria-describedby, a message area. Each field is read as
// the JSON API takes it (a string; a list for a multi-select; a boolean for a checkbox) and
// checked by the verifier (`POST /v1/validate` with a submission holding only that value), so
// the answer is the server's. Labels are the policy's, picked for the locale as the core picks them.

/** The markup of one field (see src/server/custom_html.rs, which renders the same). */
function markup(f, prefix, el) {
  const id = `${prefix}-${f.id}`;
  const name = `custom.${f.id}`;
  const help = f.help ? el("small", { id: `${id}-help`, class: "sg-help", text: f.help }) : null;
  const described = help ? `${id}-help` : null;
  const wrap = el("div", { class: "field sg-custom", "data-sg-custom": f.id });
  const common = { id, name, required: f.required, "aria-describedby": described };
  if (f.type === "select") {
    const select = el("select", common, el("option", { value: "" }));
    for (const [value, label] of f.options) select.append(el("option", { value, text: label }));
    wrap.append(el("label", { for: id, text: f.label }), " ", select);
  } else if (f.type === "multi_select") {
    const group = el("span", { role: "group", "aria-labelledby": `${id}-label`, "aria-describedby": described },
      el("span", { id: `${id}-label`, text: f.label }));
    for (const [value, label] of f.options) {
      group.append(" ", el("label", { class: "sg-option" }, el("input", { type: "checkbox", name, value }), ` ${label}`));
    }
    wrap.append(group);
  } else if (f.type === "checkbox") {
    wrap.append(el("label", {}, el("input", { ...common, type: "checkbox", value: "true" }), ` ${f.label}`));
  } else {
    const type = { number: "number", date: "date", url: "url" }[f.type] || "text";
    const limits = f.type === "number"
      ? { step: "1", inputmode: "numeric", min: f.min, max: f.max }
      : { maxlength: f.max_chars };
    wrap.append(el("label", { for: id, text: f.label }), " ", el("input", { ...common, type, ...limits }));
  }
  if (help) wrap.append(help);
  return wrap;
}

/** The entry of a per-locale map for `locale`: the exact tag, its language, then English. */
const pick = (map, locale) => map?.[locale] ?? map?.[locale.split(/[-_]/)[0]] ?? map?.en;

/** A field definition as the markup needs it, in `locale`. */
function shown(f, locale) {
  const max = f.max_chars ?? (f.type === "url" ? 2000 : 200);
  return {
    id: f.id, type: f.type, required: !!f.required, min: f.min, max: f.max,
    label: pick(f.label, locale) ?? f.id, help: pick(f.help, locale),
    options: (f.options || []).map((o) => [o.value, pick(o.label, locale) ?? o.value]),
    max_chars: f.type === "text" || f.type === "url" ? max : null,
  };
}

/**
 * Finds or renders every custom field of `policy` in `form`, before `before` (the consent box
 * or the submit button) when rendered. Returns a Map `custom.ID` → `{ def, controls, input,
 * message, shown }`; the drop-in's `el` builds elements and `describe(node, id)` ties a control to
 * its message.
 */
export function renderCustom(form, policy, locale, prefix, before, { el, describe }) {
  const fields = new Map();
  const defs = (policy?.custom_fields || []).map((f) => shown(f, locale));
  for (const def of defs) {
    const key = `custom.${def.id}`;
    const named = () => [...form.elements].filter((c) => c.name === key);
    let controls = named();
    let wrap = form.querySelector(`[data-sg-custom="${CSS.escape(def.id)}"]`);
    if (!controls.length) {
      wrap = markup(def, `${prefix}-custom`, el);
      if (before) before.before(wrap);
      else form.append(wrap);
      controls = named();
    }
    const message = el("div", { class: "sg-message", id: `${prefix}-custom-${def.id}-message` });
    const last = controls[controls.length - 1];
    if (wrap) wrap.append(message);
    else (last.closest("label") || last).after(message);
    for (const c of controls) describe(c, message.id);
    if (def.required && def.type !== "multi_select") controls[0].setAttribute("aria-required", "true");
    fields.set(key, { def, controls, input: controls[0], message, shown: false });
  }
  return fields;
}

/**
 * One field checked by the core, which `verify` asks (the verifier's `POST /v1/validate`):
 * resolves to `{ issues }`, this field's own, messages rendered in `locale`.
 */
export async function checkCustom(verify, field, locale) {
  const value = customValue(field);
  const submission = { locale, custom: value === undefined ? {} : { [field.def.id]: value } };
  const verdict = await verify(submission);
  return { issues: verdict.issues.filter((i) => i.field === "custom" && i.params?.field === field.def.id) };
}

/** A field's value as the JSON API takes it, or `undefined` when it is empty. */
export function customValue(field) {
  const { def, controls } = field;
  if (def.type === "multi_select") {
    const chosen = controls.filter((c) => c.checked).map((c) => c.value);
    return chosen.length ? chosen : undefined;
  }
  if (def.type === "checkbox") return controls[0].checked ? true : undefined;
  const v = controls[0].value;
  return v.trim() ? v : undefined;
}
