//! Message catalogues: one per locale, keyed by [`Code`], with `{param}` placeholders.
//!
//! Shipped locales: `en`, `ar`, `fa`, `id` (`ar` and `fa` are right to left). Every catalogue is an
//! exhaustive `match` over [`Code`], so a new code without a message in some locale does not compile;
//! a test also checks that every locale uses exactly the placeholders English uses.
//!
//! The browser build compiles English only: the other catalogues ship as data files, one per
//! locale (`files.rs` writes them at build time from these sources, `loaded.rs` reads them), and
//! the page loads its own language's file (`needed`, `load`). The drop-in's module
//! (`fields_only`) compiles none: English is a file there too, so a page in Persian carries no
//! English messages and an English page no others.
//!
//! ```
//! use signup_guard::{messages, Code, Params};
//! let params = Params(vec![("tld".into(), "con".into())]);
//! assert_eq!(messages::negotiate("id-ID"), "id");
//! assert!(messages::render("en", Code::EmailTldUnknown, &params).contains("“.con”"));
//! ```

use crate::issue::{Checked, Code, Issue, Params};

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod ar;
#[cfg(not(fields_only))]
mod en;
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod fa;
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod id;
mod loaded;

pub use loaded::{load, needed, NotACatalogue};

pub use crate::locale::{is_rtl, negotiate, LOCALES};

/// The raw template for `code` in `locale` (after negotiation).
///
/// In the browser build a locale whose file is not loaded falls back to English (to nothing in
/// the drop-in's module); the JS API answers *pending* before it gets here (see `wasm.rs`).
pub fn template(locale: &str, code: Code) -> &'static str {
    let locale = negotiate(locale);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    match locale {
        "ar" => return ar::template(code),
        "fa" => return fa::template(code),
        "id" => return id::template(code),
        _ => {}
    }
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    if let Some(cat) = loaded::get(locale, code) {
        return cat.template(code);
    }
    #[cfg(fields_only)]
    return "";
    #[cfg(not(fields_only))]
    en::template(code)
}

/// The words for `channel` in `locale`: how it reaches the person ("SMS") and the contact it
/// needs ("mobile number"), for messages that must not show ids.
pub fn channel_words(
    locale: &str,
    channel: crate::policy::Channel,
) -> (&'static str, &'static str) {
    let locale = negotiate(locale);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    match locale {
        "ar" => return ar::channel(channel),
        "fa" => return fa::channel(channel),
        "id" => return id::channel(channel),
        _ => {}
    }
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    if let Some(cat) = loaded::page(locale) {
        return cat.channel(channel);
    }
    #[cfg(fields_only)]
    return ("", "");
    #[cfg(not(fields_only))]
    en::channel(channel)
}

/// FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: around a value inside right-to-left text.
const ISOLATE: (char, char) = ('\u{2068}', '\u{2069}');

/// The message for `code` in `locale`, with `{param}` placeholders filled from `params`.
///
/// A placeholder without a value is left out rather than shown as `{name}`. In right-to-left
/// locales each value is wrapped in a first-strong isolate (U+2068 … U+2069), so a phone number,
/// an address or a code keeps its own order (`+98 912 345 6789`, not `6789 345 912 98+`) and a
/// value in Persian or Arabic stays right to left.
pub fn render(locale: &str, code: Code, params: &Params) -> String {
    fill(template(locale, code), params, is_rtl(locale))
}

fn fill(template: &str, params: &Params, isolate: bool) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                match params.get(&after[..close]) {
                    Some(v) if isolate && !v.is_empty() => {
                        out.push(ISOLATE.0);
                        out.push_str(v);
                        out.push(ISOLATE.1);
                    }
                    Some(v) => out.push_str(v),
                    None => {}
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{placeholders}` a template uses, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

// Rendering lives with the catalogues, so `issue` (codes and values) depends on nothing here.
impl Issue {
    /// Fills `message` from the catalogue of `locale` (falling back to English). An error that
    /// carries a suggestion (`email.tld_unknown` for `gmail.con`) ends with the catalogue's
    /// "Did you mean …?", so the message alone tells the whole story.
    pub fn render(&mut self, locale: &str) {
        self.message = render(locale, self.code, &self.params);
        if let (Some(suggestion), true) = (&self.suggestion, self.code != Code::EmailTypo) {
            let params = Params(vec![("suggestion".to_owned(), suggestion.clone())]);
            self.message.push(' ');
            self.message
                .push_str(&render(locale, Code::EmailTypo, &params));
        }
    }
}

impl Issue {
    /// Names the country of a `{region}` message for a face that has names (the server from
    /// CLDR, the browser from `Intl.DisplayNames`): the message says `name`, `params.region`
    /// keeps the code and `params.region_name` the name. The core ships no name tables.
    pub fn name_region(&mut self, locale: &str, name: &str) {
        let Some(slot) = self.params.0.iter().position(|(k, _)| k == "region") else {
            return;
        };
        let code = std::mem::replace(&mut self.params.0[slot].1, name.to_owned());
        self.render(locale);
        self.params.0[slot].1 = code;
        self.params
            .0
            .push(("region_name".to_owned(), name.to_owned()));
    }
}

impl<T> Checked<T> {
    /// Renders every issue's message for `locale`.
    pub fn render(&mut self, locale: &str) {
        for issue in &mut self.issues {
            issue.render(locale);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_message_in_every_locale_with_the_same_placeholders() {
        for &code in Code::ALL {
            let mut english = placeholders(template("en", code));
            english.sort_unstable();
            for &locale in LOCALES {
                let t = template(locale, code);
                assert!(!t.trim().is_empty(), "{locale} has no message for {code}");
                let mut names = placeholders(t);
                names.sort_unstable();
                assert_eq!(
                    names, english,
                    "{locale} message for {code} uses other placeholders"
                );
                if locale != "en" {
                    assert_ne!(
                        t,
                        template("en", code),
                        "{locale} message for {code} is untranslated"
                    );
                }
            }
        }
    }

    /// The drop-in's own words: the same keys in the same order and the same placeholders in
    /// every locale that ships them in its file (English is in `www/drop-in/dom.js`; the Node
    /// tests compare the files with it).
    #[test]
    fn page_words_have_the_same_keys_and_placeholders_in_every_file_locale() {
        let sets = [ar::PAGE_WORDS, fa::PAGE_WORDS, id::PAGE_WORDS];
        for words in &sets[1..] {
            for ((key, text), (first_key, first_text)) in words.iter().zip(sets[0]) {
                assert_eq!(key, &first_key);
                assert_eq!(placeholders(text), placeholders(first_text), "{key}");
                assert!(!text.trim().is_empty(), "{key}");
            }
        }
        // Persian words in Persian letters, as its messages (fa.rs).
        for (key, text) in fa::PAGE_WORDS {
            assert!(
                !text.contains(['\u{064A}', '\u{0643}']),
                "fa {key}: Arabic yeh or kaf"
            );
        }
    }

    #[test]
    fn rtl_locales_are_arabic_and_persian() {
        assert!(is_rtl("ar-EG") && is_rtl("fa"));
        assert!(!is_rtl("id") && !is_rtl("en-GB"));
    }

    /// Issue 13: `+98 912 345 6789` inside a Persian sentence read `6789 345 912 98+` on screen.
    #[test]
    fn values_in_right_to_left_messages_are_isolated() {
        let params = Params(vec![("suggestion".into(), "+98 912 345 6789".into())]);
        for locale in ["fa", "ar"] {
            let s = render(locale, Code::EmailTypo, &params);
            assert!(
                s.contains("\u{2068}+98 912 345 6789\u{2069}"),
                "{locale}: {s:?}"
            );
        }
        let en = render("en", Code::EmailTypo, &params);
        assert!(
            en.contains(" +98 912 345 6789?") && !en.contains('\u{2068}'),
            "{en:?}"
        );
    }

    #[test]
    fn missing_param_is_left_out_not_shown_raw() {
        let s = render("en", Code::EmailTldUnknown, &Params::default());
        assert!(!s.contains('{'), "{s}");
    }
}
