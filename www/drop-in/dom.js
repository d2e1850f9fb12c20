// The drop-in's own words and its DOM helpers.

// Words of this layer only; every message about a value comes from the core's catalogues.
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
