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
    /// UTS #46 ToASCII with STD3 rules, non-transitional: the A-label form, lowercase.
    fn domain_to_ascii(&self, domain: &str) -> Result<String, IdnaError>;
    /// UTS #46 ToUnicode: the U-label form for display (labels that fail stay as they are).
    fn domain_to_unicode(&self, ascii: &str) -> String;
    /// Whether `c` is allowed in identifiers by the UTS #39 General Security Profile.
    fn identifier_allowed(&self, c: char) -> bool;
    /// Whether `s` passes the UTS #39 "highly restrictive" level (one script, or Latin with
    /// Han/Hiragana/Katakana, Han/Bopomofo or Han/Hangul): the mixed-script spoofing check.
    fn is_restricted_script_mix(&self, s: &str) -> bool;
}

/// The services for this build.
pub fn services() -> &'static dyn UnicodeServices {
    &native::Native
}

mod native {
    use super::{IdnaError, UnicodeServices};
    use unicode_normalization::UnicodeNormalization;
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
            idna::domain_to_ascii_strict(domain).map_err(|_| IdnaError)
        }
        fn domain_to_unicode(&self, ascii: &str) -> String {
            idna::domain_to_unicode(ascii).0
        }
        fn identifier_allowed(&self, c: char) -> bool {
            c.identifier_allowed()
        }
        fn is_restricted_script_mix(&self, s: &str) -> bool {
            s.detect_restriction_level() <= RestrictionLevel::HighlyRestrictive
        }
    }
}
