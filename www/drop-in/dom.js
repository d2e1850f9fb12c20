// The drop-in's own words and its DOM helpers.

// Words of this layer only, in English: another language's come with its catalogue (`ui.` lines,
// from `PAGE_WORDS` in src/messages/<locale>.rs); every message about a value comes from the core.
export const UI = {
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
};

export const fill = (template, params) => template.replace(/\{(\w+)\}/g, (_, k) => params[k] ?? "");

/** A template with `{value}` as nodes, the value isolated left to right (addresses, numbers). */
export function withValue(template, value) {
  const [before, after = ""] = template.split("{value}");
  return [before, el("bdi", { dir: "ltr", text: value }), after];
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children);
  return node;
}

export const warn = (text) => console.warn(`signup-guard: ${text}`);

/** Adds `id` to the element's aria-describedby list. */
export function describe(node, id) {
  const ids = (node.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  if (!ids.includes(id)) node.setAttribute("aria-describedby", [...ids, id].join(" "));
}

/** The `<!--sg:consent-->` comment in a form, where the consent block belongs. */
export function findMarker(form) {
  const walker = document.createTreeWalker(form, NodeFilter.SHOW_COMMENT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.data.trim() === "sg:consent") return n;
  return null;
}
