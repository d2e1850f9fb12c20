//! The Unicode services the field rules need, behind one small trait.
//!
//! Natively they come from the Rust crates (`unicode-normalization`, `idna`, `unicode-security`);
//! the browser build may back the same trait with what the browser already ships
//! (`String.prototype.normalize`, the URL parser's IDNA, RegExp `\p{…}`), so the wasm bundle does
//! not carry the tables twice. The rules only ever call [`services()`]; the shared vectors run on
//! both sides and prove they agree.

/// Why a domain could not be converted to ASCII.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdnaError;

/// Normalization, IDNA and identifier properties, as the email and name rules use them.
pub trait UnicodeServices: Sync {
    /// Canonical composition (NFC).
    fn nfc(&self, s: &str) -> String;
    /// Compatibility composition (NFKC).
    fn nfkc(&self, s: &str) -> String;
    /// Whether `s` is already in NFC (cheap check before allocating).
    fn is_nfc(&self, s: &str) -> bool;
    /// UTS #46 ToASCII with STD3 rules and hyphen checks, non-transitional: the A-label form,
    /// lowercase. Lengths are not checked here: the email rules report them with their own codes.
    fn domain_to_ascii(&self, domain: &str) -> Result<String, IdnaError>;
    /// UTS #46 ToUnicode: the U-label form for display (labels that fail stay as they are).
    fn domain_to_unicode(&self, ascii: &str) -> String;
}

/// Whether `c` is allowed in identifiers by the UTS #39 General Security Profile.
///
/// The identifier and script checks are small Rust tables on every build (the browser has no
/// equivalent service), so they live outside [`UnicodeServices`].
pub fn identifier_allowed(c: char) -> bool {
    use unicode_security::GeneralSecurityProfile;
    c.identifier_allowed()
}

/// Whether the scripts of `s` pass the UTS #39 "moderately restrictive" level (one script; Latin
/// with Han/Hiragana/Katakana, Han/Bopomofo or Han/Hangul; or Latin with one other recommended
/// script that is not Cyrillic or Greek): the mixed-script spoofing check.
///
/// Only scripts are judged (UTS #39 §5.2 over augmented script sets), not whether each character
/// is allowed in identifiers: the mailbox rules check that apart, and IDNA decides it for domains.
pub fn is_restricted_script_mix(s: &str) -> bool {
    use unicode_script::Script;
    use unicode_security::mixed_script::AugmentedScriptSet;
    let mut all = AugmentedScriptSet::default();
    let mut beside_latin = AugmentedScriptSet::default();
    for c in s.chars() {
        let set = AugmentedScriptSet::for_char(c);
        all.intersect_with(set);
        if !set.base.contains_script(Script::Latin) {
            beside_latin.intersect_with(set);
        }
    }
    if !all.is_empty() || beside_latin.hanb || beside_latin.jpan || beside_latin.kore {
        return true;
    }
    let mut other = beside_latin.base.iter();
    match (other.next(), other.next()) {
        (Some(script), None) => {
            script.is_recommended() && !matches!(script, Script::Cyrillic | Script::Greek)
        }
        _ => false,
    }
}

mod lookalikes;
/// The Unicode services backed by the browser's own (wasm build only).
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub mod web;

/// What `s` would read as in ASCII: each character replaced by the lowercase ASCII letter, digit
/// or hyphen it is confusable with (UTS #39 skeletons, one character for one), `1` folded to `l`
/// like its skeleton; `None` when some character looks like no single one of them.
///
/// Two strings with the same result have the same UTS #39 skeleton. The table is a compact,
/// generated subset of Unicode's confusables (`scripts/gen-lookalikes.sh`), the same on every
/// build: it covers the characters a U-label can hold.
///
/// ```
/// use signup_guard::unicode::ascii_lookalike;
/// assert_eq!(ascii_lookalike("gm\u{0430}il").as_deref(), Some("gmail")); // Cyrillic а
/// assert_eq!(ascii_lookalike("163").as_deref(), Some("l63"));
/// assert_eq!(ascii_lookalike("bücher"), None);
/// ```
pub fn ascii_lookalike(s: &str) -> Option<String> {
    s.chars().map(ascii_lookalike_char).collect()
}

/// [`ascii_lookalike`] of one character: itself for ASCII (`1` folded to `l`), the ASCII
/// character of the same skeleton otherwise, if there is one.
pub fn ascii_lookalike_char(c: char) -> Option<char> {
    if c.is_ascii() {
        let b = c as u8;
        let fold = lookalikes::ASCII_FOLDS.iter().find(|&&(from, _)| from == b);
        return Some(char::from(fold.map_or(b, |&(_, to)| to)));
    }
    let key = u32::from(c);
    lookalikes::LOOKALIKES
        .binary_search_by_key(&key, |&entry| entry >> 8)
        .ok()
        .and_then(|i| lookalikes::LOOKALIKES.get(i))
        .map(|&entry| char::from((entry & 0xFF) as u8))
}

/// The scripts of the letters in `s` (not Common or Inherited), by full name, in order of
/// first appearance: what a mixed-script message names.
pub fn scripts(s: &str) -> Vec<&'static str> {
    use unicode_script::{Script, UnicodeScript};
    let mut out: Vec<&'static str> = Vec::new();
    for script in s.chars().map(|c| c.script()) {
        if !matches!(script, Script::Common | Script::Inherited | Script::Unknown)
            && !out.contains(&script.full_name())
        {
            out.push(script.full_name());
        }
    }
    out
}

/// The services for this build.
pub fn services() -> &'static dyn UnicodeServices {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return &web::Web;
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    &native::Native
}

// The wasm build uses `web` instead; the native one still compiles there.
#[cfg_attr(all(target_arch = "wasm32", target_os = "unknown"), allow(dead_code))]
mod native {
    use super::{IdnaError, UnicodeServices};
    use unicode_normalization::UnicodeNormalization;

    /// The Rust-crate implementation.
    pub(super) struct Native;

    impl UnicodeServices for Native {
        fn nfc(&self, s: &str) -> String {
            s.nfc().collect()
        }
        fn nfkc(&self, s: &str) -> String {
            s.nfkc().collect()
        }
        fn is_nfc(&self, s: &str) -> bool {
            unicode_normalization::is_nfc(s)
        }
        fn domain_to_ascii(&self, domain: &str) -> Result<String, IdnaError> {
            idna::uts46::Uts46::new()
                .to_ascii(
                    domain.as_bytes(),
                    idna::uts46::AsciiDenyList::STD3,
                    idna::uts46::Hyphens::Check,
                    idna::uts46::DnsLength::Ignore,
                )
                .map(|cow| cow.into_owned())
                .map_err(|_| IdnaError)
        }
        fn domain_to_unicode(&self, ascii: &str) -> String {
            idna::domain_to_unicode(ascii).0
        }
    }
}
