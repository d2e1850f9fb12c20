// The demo landing page's own words and language switch (`/?lang=fa`). Not part of the drop-in:
// it sets <html lang dir> before the form is checked, translates the page, and names the
// countries with Intl.DisplayNames in the page's language.
(function () {
  "use strict";
  var WORDS = {
    en: {
      title: "The Acme monthly, in your inbox",
      lead: "One email a month with what is new at Acme. No spam, and you can leave with one click.",
      email: "Email", phone: "Mobile phone",
      phoneHint: "Optional; with country code, or we use your country.",
      given: "Given name", family: "Family name", country: "Country",
      choose: "Choose your country", send: "Sign up",
      fine: "We check what you type in your browser; nothing is sent until you press the button.",
      doc: "Acme News: sign up", nav: "Language",
    },
    ar: {
      title: "نشرة أكمي الشهرية في بريدك",
      lead: "رسالة واحدة في الشهر بآخر أخبار أكمي. بلا رسائل مزعجة، ويمكنك إلغاء الاشتراك بنقرة واحدة.",
      email: "البريد الإلكتروني", phone: "رقم الجوال",
      phoneHint: "اختياري؛ مع رمز الدولة، أو نستخدم بلدك.",
      given: "الاسم الأول", family: "اسم العائلة", country: "البلد",
      choose: "اختر بلدك", send: "اشترك",
      fine: "نتحقق مما تكتبه داخل متصفحك؛ لا يُرسل شيء قبل أن تضغط الزر.",
      doc: "أخبار أكمي: الاشتراك", nav: "اللغة",
    },
    fa: {
      title: "ماهنامهٔ اَکمی، در صندوق ایمیل شما",
      lead: "ماهی یک ایمیل با تازه‌های اَکمی. بدون هرزنامه، و با یک کلیک می‌توانید لغو اشتراک کنید.",
      email: "ایمیل", phone: "شمارهٔ موبایل",
      phoneHint: "اختیاری؛ با کد کشور، وگرنه کشور شما را در نظر می‌گیریم.",
      given: "نام", family: "نام خانوادگی", country: "کشور",
      choose: "کشورتان را انتخاب کنید", send: "عضویت",
      fine: "آنچه می‌نویسید در همین مرورگر بررسی می‌شود؛ تا دکمه را نزنید چیزی فرستاده نمی‌شود.",
      doc: "خبرنامهٔ اَکمی: عضویت", nav: "زبان",
    },
    id: {
      title: "Buletin bulanan Acme, langsung ke kotak masuk Anda",
      lead: "Satu email sebulan berisi kabar terbaru dari Acme. Tanpa spam, dan bisa berhenti dengan satu klik.",
      email: "Email", phone: "Nomor ponsel",
      phoneHint: "Opsional; dengan kode negara, atau kami pakai negara Anda.",
      given: "Nama depan", family: "Nama keluarga", country: "Negara",
      choose: "Pilih negara Anda", send: "Daftar",
      fine: "Kami memeriksa isian Anda di peramban; tidak ada yang terkirim sebelum Anda menekan tombol.",
      doc: "Acme News: daftar", nav: "Bahasa",
    },
  };
  var root = document.documentElement;
  var asked = new URLSearchParams(location.search).get("lang");
  var lang = WORDS[asked] ? asked : WORDS[root.lang] ? root.lang : "en";
  root.lang = lang;
  root.dir = lang === "ar" || lang === "fa" ? "rtl" : "ltr";

  document.addEventListener("DOMContentLoaded", function () {
    var w = WORDS[lang];
    document.title = w.doc;
    document.querySelectorAll("[data-i18n]").forEach(function (node) {
      var text = w[node.getAttribute("data-i18n")];
      if (text) node.textContent = text;
    });
    var nav = document.querySelector("nav");
    if (nav) nav.setAttribute("aria-label", w.nav);
    document.querySelectorAll("nav a[hreflang]").forEach(function (a) {
      if (a.getAttribute("hreflang") === lang) a.setAttribute("aria-current", "page");
    });
    var select = document.querySelector('select[name="country"]');
    if (select && typeof Intl.DisplayNames === "function") {
      // After first paint and in tasks of their own: loading the locale's region names takes
      // 15-30 ms the first time, which would make the page's first task a long one.
      requestAnimationFrame(function () {
        setTimeout(function () {
          var names = new Intl.DisplayNames([lang], { type: "region" });
          setTimeout(function () {
            relabel(select, names, new Intl.Collator(lang));
          }, 0);
        }, 0);
      });
    }
  });

  function relabel(select, names, collator) {
    var options = Array.prototype.slice.call(select.options, 1);
    options.forEach(function (o) {
      o.textContent = names.of(o.value) || o.value;
    });
    options.sort(function (a, b) {
      return collator.compare(a.textContent, b.textContent);
    });
    options.forEach(function (o) {
      select.appendChild(o);
    });
  }
})();
