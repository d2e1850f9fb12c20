// The demo landing page's language switch (`/?lang=fa`). Not part of the drop-in: it sets
// <html lang dir> before the form is checked and names the countries with Intl.DisplayNames in
// the page's language (the server translates the page's own words from demo-words.json).
(function () {
  "use strict";
  // The page's words are in demo-words.json; the server puts them into the page (so it reads
  // right without JavaScript too). This only sets the direction and names the countries.
  var LANGS = ["en", "ar", "fa", "id"];
  var root = document.documentElement;
  var asked = new URLSearchParams(location.search).get("lang");
  var lang = LANGS.indexOf(asked) >= 0 ? asked : LANGS.indexOf(root.lang) >= 0 ? root.lang : "en";
  root.lang = lang;
  root.dir = lang === "ar" || lang === "fa" ? "rtl" : "ltr";

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("nav a[hreflang]").forEach(function (a) {
      if (a.getAttribute("hreflang") === lang) a.setAttribute("aria-current", "page");
    });
    var select = document.querySelector('select[name="country"]');
    // The page's own option labels are English, and `signup-guard serve` names the countries in
    // the page's language (data-names): then they only need sorting. Loading a locale's region
    // names costs 15-40 ms (a long task on a slow phone), so only a page served without them
    // (a static host, ?lang=fa) asks the browser for them.
    if (select && lang !== "en" && select.dataset.names === lang) {
      requestAnimationFrame(function () {
        setTimeout(function () {
          relabel(select, null, new Intl.Collator(lang));
        }, 0);
      });
    } else if (select && lang !== "en" && typeof Intl.DisplayNames === "function") {
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
    if (names) {
      options.forEach(function (o) {
        o.textContent = names.of(o.value) || o.value;
      });
    }
    options.sort(function (a, b) {
      return collator.compare(a.textContent, b.textContent);
    });
    options.forEach(function (o) {
      select.appendChild(o);
    });
  }
})();
