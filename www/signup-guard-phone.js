// signup-guard drop-in, the phone field: formatting as the person types (the core's
// `formatAsYouType`, libphonenumber's behaviour), and a country picker for forms without a
// country field. Imported by signup-guard.js; every function takes the loaded JS API.
//
// Typing: the value is formatted on every input, the caret stays after the same digit, a
// deletion that only removed a separator also removes the digit beside it, and the digits keep
// the script typed (Persian ۰-۹ stay Persian). While the region's data is not loaded the text
// stays as typed; it is formatted once the data arrives (`load` fetches it).
//
// The picker: a `<select name="country">` with a label, names from `Intl.DisplayNames` in the
// page's language and calling codes; it is the form's country, so the server reads the number
// with the country the browser used.

/** A character that counts as typed: a decimal digit of any script, or a plus sign. */
const SIGNIFICANT = /^[\p{Nd}+\uFF0B]$/u;

/** The significant characters of `text` before UTF-16 index `end`. */
function countBefore(text, end) {
  let n = 0;
  for (let i = 0; i < end; i++) if (SIGNIFICANT.test(text[i])) n++;
  return n;
}

/** The UTF-16 index just after the `n`-th significant character of `text` (0 for none). */
function indexAfter(text, n) {
  if (n === 0) return 0;
  for (let i = 0, seen = 0; i < text.length; i++) {
    if (SIGNIFICANT.test(text[i]) && ++seen === n) return i + 1;
  }
  return text.length;
}

const significant = (text) => [...text].filter((c) => SIGNIFICANT.test(c)).join("");

/**
 * Formats the phone input after an input event (`event` may be null: format what is there).
 * `state.last` is the value before the edit (set on `beforeinput`, else the last one shown);
 * `load(answer)` fetches what a pending answer needs and resolves when it is loaded;
 * `done(answer)` hears every formatted answer.
 */
export function formatPhoneInput(api, input, country, state, event, load, done) {
  if (event?.isComposing || input.dataset.sgFormat === "off") return;
  let value = input.value;
  let caret = input.selectionStart ?? value.length;
  const before = state.last;
  const kind = event?.inputType;
  // Backspace (or Delete) that took only a separator: take the digit beside it too.
  if (before != null && before.length > value.length && significant(before) === significant(value)) {
    if (kind === "deleteContentBackward") {
      let i = caret - 1;
      while (i >= 0 && !SIGNIFICANT.test(value[i])) i--;
      if (i >= 0) {
        value = value.slice(0, i) + value.slice(i + 1);
        caret = i;
      }
    } else if (kind === "deleteContentForward") {
      let i = caret;
      while (i < value.length && !SIGNIFICANT.test(value[i])) i++;
      if (i < value.length) value = value.slice(0, i) + value.slice(i + 1);
    }
  }
  const atEnd = caret >= value.length;
  const typed = countBefore(value, caret);
  const answer = api.formatAsYouType(value, country || null);
  const text = answer.text;
  if (text !== input.value) {
    input.value = text;
    const at = atEnd ? text.length : indexAfter(text, typed);
    if (document.activeElement === input) input.setSelectionRange(at, at);
  }
  state.last = text;
  if (!answer.pending) done(answer);
  else {
    // Format once the data is there, if the person has not typed on meanwhile.
    load(answer).then(() => {
      if (input.value === text) formatPhoneInput(api, input, country, state, null, load, done);
    }, () => {});
  }
}

/** The words of the picker's label, in the drop-in's four locales. */
const LABEL = { en: "Country code", ar: "رمز الدولة", fa: "کد کشور", id: "Kode negara" };

/**
 * The region a picker starts on: the phone input's or the form's `data-default-country`, else
 * the policy's `default_country`, else the region of the page's language (`fa-IR` → IR,
 * `id` → ID by likely subtags).
 */
function defaultRegion(input, form, policy) {
  const given = input.dataset.defaultCountry || form.dataset.defaultCountry || policy?.default_country;
  if (given) return given.toUpperCase();
  for (const tag of [document.documentElement.lang, navigator.language]) {
    try {
      const region = tag && new Intl.Locale(tag).maximize().region;
      if (region) return region;
    } catch {}
  }
  return "";
}

/**
 * Adds a country picker before the phone input of a form that has no country field (unless
 * the form or the input says `data-sg-country-picker="off"`); answers the `<select>` or null.
 * It is named `country`, so the drop-in and the server both use it.
 */
export function addCountryPicker(api, form, input, policy, locale, id) {
  if (!input || form.elements.namedItem("country") || form.querySelector('[data-sg-field="country"]')) return null;
  if ((input.dataset.sgCountryPicker || form.dataset.sgCountryPicker) === "off") return null;
  let names = null;
  try {
    names = new Intl.DisplayNames([locale], { type: "region", fallback: "none" });
  } catch {}
  const collator = new Intl.Collator(locale);
  const options = api.phoneRegions()
    .map(([region, code]) => ({ region, code, name: names?.of(region) || region }))
    .sort((a, b) => collator.compare(a.name, b.name));
  const select = document.createElement("select");
  select.name = "country";
  select.id = `${id}-phone-country`;
  select.className = "sg-phone-country";
  select.autocomplete = "country";
  select.append(new Option("—", ""));
  for (const o of options) {
    const option = new Option(`${o.name} +${o.code}`, o.region);
    option.dataset.code = o.code;
    select.append(option);
  }
  select.value = defaultRegion(input, form, policy);
  if (select.selectedIndex < 0) select.value = "";
  const label = document.createElement("label");
  label.htmlFor = select.id;
  label.className = "sg-phone-country-label";
  label.textContent = LABEL[locale] || LABEL.en;
  const code = document.createElement("span");
  code.className = "sg-phone-code";
  code.setAttribute("aria-hidden", "true");
  const box = document.createElement("span");
  box.className = "sg-phone-picker";
  box.append(label, select, code);
  // Before the input, outside a label that wraps it (one control per label).
  (input.closest("label") || input).before(box);
  showCode(select);
  select.addEventListener("change", () => showCode(select));
  return select;
}

/** Shows the chosen region's calling code beside the picker (`+62`). */
export function showCode(select) {
  const code = select.selectedOptions[0]?.dataset.code;
  const out = select.parentElement?.querySelector(".sg-phone-code");
  if (out) out.textContent = code ? `+${code}` : "";
}

/**
 * The picker follows the number: to `region` when the typed calling code is not the chosen
 * region's (`+44 …` while Indonesia is chosen; `callingCode` given), or when a valid number
 * belongs to another region sharing the code (+1 for Canada; no `callingCode`).
 */
export function follow(select, region, callingCode) {
  if (!select || !region || select.value === region) return false;
  if (callingCode && select.selectedOptions[0]?.dataset.code === String(callingCode)) return false;
  if (![...select.options].some((o) => o.value === region)) return false;
  select.value = region;
  showCode(select);
  return true;
}
