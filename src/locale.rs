//! The shipped locales and how a BCP 47 tag maps to one: the only locale logic of the core, used
//! by the message catalogues, the policy's per-locale texts and every face.
//!
//! ```
//! use signup_guard::locale::{is_rtl, negotiate};
//! assert_eq!(negotiate("fa-IR"), "fa");
//! assert!(is_rtl("ar-EG") && !is_rtl("id"));
//! ```

/// The locales with a catalogue, English first (the fallback).
pub const LOCALES: &[&str] = &["en", "ar", "fa", "id"];

/// Picks the shipped locale for a BCP 47 tag (`"fa-IR"` → `"fa"`, `"in"` → `"id"`); English otherwise.
pub fn negotiate(tag: &str) -> &'static str {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match primary.as_str() {
        "ar" => "ar",
        "fa" | "per" | "fas" => "fa",
        "id" | "in" | "ind" => "id",
        _ => "en",
    }
}

/// Whether text in `locale` is written right to left.
pub fn is_rtl(locale: &str) -> bool {
    matches!(negotiate(locale), "ar" | "fa")
}

/// The entry of a per-locale map (purpose texts, labels) for `locale`: the exact tag, its primary
/// language, the negotiated catalogue locale, then English.
pub(crate) fn pick<'a>(
    by_locale: &'a std::collections::BTreeMap<String, String>,
    locale: &str,
) -> Option<&'a str> {
    let primary = locale.split(['-', '_']).next().unwrap_or(locale);
    by_locale
        .get(locale)
        .or_else(|| by_locale.get(primary))
        .or_else(|| by_locale.get(negotiate(locale)))
        .or_else(|| by_locale.get("en"))
        .map(String::as_str)
}
