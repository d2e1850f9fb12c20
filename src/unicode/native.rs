//! The Unicode services and script properties from the Rust crates (`unicode-normalization`,
//! `idna`, `unicode-script`, `unicode-security`): every native build. The wasm build asks the
//! browser instead (`web`, `web_scripts`); the shared vectors prove the two agree.

use super::{IdnaError, UnicodeServices};
use unicode_normalization::UnicodeNormalization;
use unicode_script::{Script, UnicodeScript};
use unicode_security::mixed_script::AugmentedScriptSet;

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

/// [`super::is_restricted_script_mix`] over `unicode-security`'s augmented script sets.
pub(super) fn is_restricted_script_mix(s: &str) -> bool {
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

/// [`super::scripts`] from `unicode-script`.
pub(super) fn scripts(s: &str) -> Vec<&'static str> {
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

#[cfg(test)]
mod tests {
    use super::super::{is_virama, SCRIPT_NAMES};
    use unicode_script::{Script, UnicodeScript};

    #[test]
    fn virama_table_is_the_crates_combining_class_9() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let crate_says = unicode_normalization::char::canonical_combining_class(c) == 9;
            assert_eq!(is_virama(c), crate_says, "U+{:04X}", u32::from(c));
        }
    }

    /// The browser build asks RegExp about each name in `SCRIPT_NAMES`: it must be every script
    /// `unicode-script` knows a character of (Script or Script_Extensions), and nothing else.
    #[test]
    fn script_names_are_the_crates_scripts() {
        let mut seen = std::collections::BTreeSet::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for s in std::iter::once(c.script()).chain(c.script_extension().iter()) {
                if !matches!(s, Script::Common | Script::Inherited | Script::Unknown) {
                    seen.insert(s.full_name());
                }
            }
        }
        let from_crate: Vec<&str> = seen.into_iter().collect();
        let mut ours: Vec<&str> = SCRIPT_NAMES.split(' ').collect();
        // The browser build takes an ASCII letter's script to be the first name.
        assert_eq!(ours[0], "Latin");
        ours.sort_unstable();
        assert_eq!(ours, from_crate);
    }
}
