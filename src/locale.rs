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
