//! The Unicode services the field rules need, behind one small trait.
//!
//! Natively they come from the Rust crates (`unicode-normalization`, `idna`, `unicode-script`,
//! `unicode-security`: `native`) and `std`; the browser build backs the same functions with what
//! the browser already ships (`String.prototype.normalize` and `toLowerCase`, the URL parser's
//! IDNA: `web`; RegExp `\p{…}` for scripts, marks, Alphabetic and numbers: `web_scripts`), so the
//! wasm bundle does not carry the tables twice. Only `identifier_allowed` (JavaScript has no
//! Identifier_Status: a compact table, `identifier.rs`), Punycode decoding (`punycode.rs`) and
//! the small virama and look-alike tables are Rust in the browser build. The rules only ever call
//! this module for these properties, never `char`'s or `str`'s own Alphabetic, numeric or case
//! methods beyond ASCII (they would link `core`'s tables into the module; White_Space, a small
//! table, stays `char`'s); the shared vectors run on both sides and check that they agree, and
//! the vector runner compares the JS engine's Alphabetic, numbers and lowercase with Rust's on
//! every code point (in Node and Chromium; other browsers may be on another Unicode version, and
//! the server checks every post again).

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
/// The browser has no such property: its build reads a compact copy of the table
/// (`identifier.rs`, written by `build.rs` from `unicode-security`, which native builds ask).
pub fn identifier_allowed(c: char) -> bool {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return identifier::allowed(c);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    {
        use unicode_security::GeneralSecurityProfile;
        c.identifier_allowed()
    }
}

#[cfg(any(all(target_arch = "wasm32", target_os = "unknown"), test))]
mod identifier;
#[cfg(any(all(target_arch = "wasm32", target_os = "unknown"), test))]
pub(crate) mod lazy;

/// Whether the scripts of `s` pass the UTS #39 "moderately restrictive" level (one script; Latin
/// with Han/Hiragana/Katakana, Han/Bopomofo or Han/Hangul; or Latin with one other recommended
/// script that is not Cyrillic or Greek): the mixed-script spoofing check.
///
/// Only scripts are judged (UTS #39 §5.2 over augmented script sets), not whether each character
/// is allowed in identifiers: the mailbox rules check that apart, and IDNA decides it for domains.
pub fn is_restricted_script_mix(s: &str) -> bool {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return web_scripts::is_restricted_script_mix(s);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    native::is_restricted_script_mix(s)
}

/// The scripts of the letters in `s` (not Common or Inherited), by full name, in order of
/// first appearance: what a mixed-script message names.
pub fn scripts(s: &str) -> Vec<&'static str> {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return web_scripts::scripts(s);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    native::scripts(s)
}

/// Whether `c` is a combining mark (General_Category M: Mn, Mc, Me).
pub fn is_mark(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return web_scripts::is_mark(c);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    unicode_normalization::char::is_combining_mark(c)
}

/// [`has_class`]: Alphabetic.
const ALPHABETIC: u8 = 1;
/// [`has_class`]: a number (General_Category N).
const NUMERIC: u8 = 2;

/// Whether `c` is [`ALPHABETIC`] or [`NUMERIC`], as `bit` asks: ASCII answered here, the rest by
/// `std` natively and by RegExp in the browser (`web_scripts::class`).
fn has_class(c: char, bit: u8) -> bool {
    if c.is_ascii() {
        return if bit == ALPHABETIC {
            c.is_ascii_alphabetic()
        } else {
            c.is_ascii_digit()
        };
    }
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return web_scripts::class(c) & bit != 0;
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    if bit == ALPHABETIC {
        c.is_alphabetic()
    } else {
        c.is_numeric()
    }
}

/// Whether `c` is Alphabetic (the Unicode property, as `char::is_alphabetic`).
///
/// Natively Rust's own table; the browser build asks RegExp `\p{Alphabetic}` (`web_scripts`), so
/// the module carries no such table (with [`is_numeric`] and [`to_lowercase`], 5.0 KB brotli).
pub fn is_alphabetic(c: char) -> bool {
    has_class(c, ALPHABETIC)
}

/// Whether `c` is a number (General_Category N: Nd, Nl, No, as `char::is_numeric`); the browser
/// build asks RegExp `\p{N}`, like [`is_alphabetic`].
pub fn is_numeric(c: char) -> bool {
    has_class(c, NUMERIC)
}

/// The lowercase of `s`: Unicode's default case conversion with the final sigma rule, as
/// `str::to_lowercase`. The browser build asks `String.prototype.toLowerCase`, which is the same
/// conversion (locale-independent), instead of carrying Rust's case tables; ASCII never leaves
/// the module.
pub fn to_lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return js_sys::JsString::from(s).to_lower_case().into();
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    s.to_lowercase()
}

/// The lowercase of one character (without the final sigma rule, as `char::to_lowercase`).
pub fn char_to_lowercase(c: char) -> String {
    // Alone, a capital sigma has no letter before it, so the final sigma rule never applies.
    to_lowercase(c.encode_utf8(&mut [0; 4]))
}

/// Whether the Script property of `c` is Latin.
pub fn is_latin(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return web_scripts::is_latin(c);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    {
        use unicode_script::{Script, UnicodeScript};
        c.script() == Script::Latin
    }
}

/// Whether `c` is a virama (Canonical_Combining_Class 9): a small table on every build, which a
/// native test compares with `unicode-normalization` over every code point.
pub fn is_virama(c: char) -> bool {
    matches!(
        c,
        '\u{094D}' | '\u{09CD}' | '\u{0A4D}' | '\u{0ACD}' | '\u{0B4D}' | '\u{0BCD}' | '\u{0C4D}'
            | '\u{0CCD}' | '\u{0D3B}'..='\u{0D3C}' | '\u{0D4D}' | '\u{0DCA}' | '\u{0E3A}'
            | '\u{0EBA}' | '\u{0F84}' | '\u{1039}'..='\u{103A}' | '\u{1714}'..='\u{1715}'
            | '\u{1734}' | '\u{17D2}' | '\u{1A60}' | '\u{1B44}' | '\u{1BAA}'..='\u{1BAB}'
            | '\u{1BF2}'..='\u{1BF3}' | '\u{2D7F}' | '\u{A806}' | '\u{A82C}' | '\u{A8C4}'
            | '\u{A953}' | '\u{A9C0}' | '\u{AAF6}' | '\u{ABED}' | '\u{10A3F}' | '\u{11046}'
            | '\u{11070}' | '\u{1107F}' | '\u{110B9}' | '\u{11133}'..='\u{11134}' | '\u{111C0}'
            | '\u{11235}' | '\u{112EA}' | '\u{1134D}' | '\u{113CE}'..='\u{113D0}' | '\u{11442}'
            | '\u{114C2}' | '\u{115BF}' | '\u{1163F}' | '\u{116B6}' | '\u{1172B}' | '\u{11839}'
            | '\u{1193D}'..='\u{1193E}' | '\u{119E0}' | '\u{11A34}' | '\u{11A47}' | '\u{11A99}'
            | '\u{11C3F}' | '\u{11D44}'..='\u{11D45}' | '\u{11D97}' | '\u{11F41}'..='\u{11F42}'
            | '\u{1612F}'
    )
}

#[cfg_attr(
    any(not(all(target_arch = "wasm32", target_os = "unknown")), fields_only),
    allow(unused_imports)
)]
use script_names::SCRIPT_NAMES;
mod script_names;

// The browser build reads LOOKALIKES from the Unicode data file (`lazy.rs`) instead.
#[cfg_attr(all(target_arch = "wasm32", target_os = "unknown"), allow(dead_code))]
mod lookalikes;
#[cfg(any(all(target_arch = "wasm32", target_os = "unknown"), test))]
mod punycode;
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
    // The browser build reads the table from the Unicode data file (`lazy.rs`); until it is
    // loaded, `None` with the check marked (its answer is then *pending*, never a verdict).
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    let table: &[u32] = &lazy::tables()?.lookalikes;
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    let table: &[u32] = &lookalikes::LOOKALIKES;
    table
        .binary_search_by_key(&key, |&entry| entry >> 8)
        .ok()
        .and_then(|i| table.get(i))
        .map(|&entry| char::from((entry & 0xFF) as u8))
}

/// The services for this build.
pub fn services() -> &'static dyn UnicodeServices {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return &web::Web;
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    &native::Native
}

/// The Rust crates' services (native builds; the wasm build uses `web` and `web_scripts`).
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod native;
/// Scripts and marks from the browser's RegExp `\p{…}` (wasm build only).
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod web_scripts;
