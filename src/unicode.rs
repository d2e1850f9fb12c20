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
    /// Whether `c` is allowed in identifiers by the UTS #39 General Security Profile.
    fn identifier_allowed(&self, c: char) -> bool;
    /// Whether `s` passes the UTS #39 "moderately restrictive" level (one script; Latin with
    /// Han/Hiragana/Katakana, Han/Bopomofo or Han/Hangul; or Latin with one other recommended
    /// script that is not Cyrillic or Greek): the mixed-script spoofing check.
    fn is_restricted_script_mix(&self, s: &str) -> bool;
    /// The scripts of the letters in `s` (not Common or Inherited), by full name, in order of
    /// first appearance: what a mixed-script message names.
    fn scripts(&self, s: &str) -> Vec<&'static str>;
}

/// The services for this build.
pub fn services() -> &'static dyn UnicodeServices {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return &crate::unicode_web::Web;
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    &native::Native
}

// The wasm build uses `unicode_web` instead; the native one still compiles there.
#[cfg_attr(all(target_arch = "wasm32", target_os = "unknown"), allow(dead_code))]
mod native {
    use super::{IdnaError, UnicodeServices};
    use unicode_normalization::UnicodeNormalization;
    use unicode_script::{Script, UnicodeScript};
    use unicode_security::{GeneralSecurityProfile, RestrictionLevel, RestrictionLevelDetection};

    /// The Rust-crate implementation.
    pub struct Native;

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
        fn identifier_allowed(&self, c: char) -> bool {
            c.identifier_allowed()
        }
        fn is_restricted_script_mix(&self, s: &str) -> bool {
            s.detect_restriction_level() <= RestrictionLevel::ModeratelyRestrictive
        }
        fn scripts(&self, s: &str) -> Vec<&'static str> {
            let mut out: Vec<&'static str> = Vec::new();
            for c in s.chars() {
                let script = c.script();
                if !matches!(script, Script::Common | Script::Inherited | Script::Unknown) {
                    let name = script.full_name();
                    if !out.contains(&name) {
                        out.push(name);
                    }
                }
            }
            out
        }
    }
}
