//! Names: any script, one or more parts, no western first/last assumption, no "looks real" guess.
//!
//! Rules, after text hygiene:
//! - **Stored form**: NFC; every run of white space inside (NBSP, ideographic space…) becomes
//!   one space. Nothing else is changed: case, apostrophe and hyphen styles stay as typed.
//! - **Allowed**: letters of any script; combining marks that follow a letter; spaces;
//!   apostrophes (`'` `’` `‘` `ʼ` `ʻ` `` ` `` `´`, Hebrew geresh `׳`, Armenian `՚`); hyphens
//!   (`-` `‐` `‑` `–`, Armenian `֊`, Hebrew maqaf `־`, Japanese `゠`); periods and middle dots
//!   (`.` `·` `・` `･`); ZWNJ and ZWJ between two letters (Persian `محمد‌رضا`, Indic conjuncts),
//!   except inside plain ASCII (an invisible joiner in `Jo‌hn` only hides the name from search),
//!   and a ZWJ that closes a word right after a virama (Malayalam chillu spelled `ന്‍`).
//! - **Refused**: `@` (an address in the wrong field, or spam), web addresses (`www.`, `://`,
//!   `word.com`, also in fullwidth letters), only digits, any other digit or symbol (angle
//!   brackets, emoji, `/`), "fancy text" look-alikes that are letters only by property
//!   (mathematical bold `𝐉𝐨𝐡𝐧`, circled `Ⓙ`, Roman numerals `Ⅻ`), a mark with no letter to sit on,
//!   control, bidi and other invisible characters, and more than the policy's `max_chars`
//!   characters (default 200), counted after normalization.
//!
//! Positions in messages are 1-based character positions in the value as typed.
//!
//! ```
//! use signup_guard::{fields::name, Code, Field};
//! assert_eq!(name::parse("  María   José ", Field::GivenName, None).value.unwrap().as_str(), "María José");
//! assert!(name::parse("محمد‌رضا", Field::GivenName, None).is_ok()); // ZWNJ between letters
//! let spam = name::parse("visit www.spam.example", Field::FamilyName, None);
//! assert_eq!(spam.issues[0].code, Code::NameUrl);
//! ```

use crate::hygiene;
use crate::issue::{code_point, decimal, Checked, Code, Field, Issue};
use crate::unicode::{self, services};

/// The longest name accepted when the policy sets no `max_chars`.
pub const DEFAULT_MAX_CHARS: usize = 200;

/// A name as it will be stored: NFC, inner white space collapsed; only [`parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Name(String);

impl Name {
    /// The stored form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

fn is_mark(c: char) -> bool {
    unicode::is_mark(c)
}

/// Characters that are `Alphabetic` by Unicode property but are symbols or styled copies of
/// letters, not letters anyone writes a name with.
fn is_letterlike_symbol(c: char) -> bool {
    matches!(
        c,
        '\u{2160}'..='\u{2188}'       // Roman numerals (Ⅻ)
            | '\u{24B6}'..='\u{24E9}' // circled letters (Ⓙ)
            | '\u{1D400}'..='\u{1D7FF}' // mathematical alphanumerics (𝐉𝐨𝐡𝐧)
            | '\u{1F130}'..='\u{1F189}' // squared and negative circled letters (🅹)
    )
}

/// A base letter of any script (not a combining mark, not a letter-like symbol).
fn is_letter(c: char) -> bool {
    unicode::is_alphabetic(c) && !is_mark(c) && !is_letterlike_symbol(c)
}

fn is_name_punctuation(c: char) -> bool {
    matches!(
        c,
        // apostrophes
        '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´' | '\u{05F3}' | '\u{055A}'
        // hyphens
        | '-' | '‐' | '‑' | '–' | '\u{058A}' | '\u{05BE}' | '\u{30A0}'
        // periods and middle dots
        | '.' | '·' | '・' | '･'
    )
}

fn is_at_sign(c: char) -> bool {
    matches!(c, '@' | '＠' | '﹫')
}

/// Web endings seen in name-field spam, matched in any case (`Cheap.COM`).
const WEB_ENDINGS: &[&str] = &[
    "com", "net", "org", "info", "biz", "xyz", "top", "site", "online", "club", "shop", "link",
    "click", "store", "website", "bet", "casino", "loan",
];

/// Short endings that are also name parts (Vietnamese `Ly`, Chinese `Li`-like syllables), matched
/// only when typed in lower case (`bit.ly`, but not `Ngoc.Ly`). Particles such as `de`, `da` or
/// `do` after an initial (`J.de Souza`) are in neither list.
const LOWERCASE_WEB_ENDINGS: &[&str] = &[
    "ru", "io", "co", "me", "app", "dev", "ly", "tk", "cn", "win", "vip", "live",
];

/// Whether `folded` (NFKC, case kept) contains a web address.
fn looks_like_url(folded: &str) -> bool {
    let lower = unicode::to_lowercase(folded);
    if ["://", "www.", "http:", "https:"]
        .iter()
        .any(|p| super::find_text(&lower, p).is_some())
    {
        return true;
    }
    folded
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | '\\' | ',' | '(' | ')' | '<' | '>'))
        .any(|token| {
            let token = token.trim_end_matches(['.', '?', '!', ':', ';']);
            let Some((head, end)) = token.rsplit_once('.') else {
                return false;
            };
            head.chars()
                .any(|c| unicode::is_alphabetic(c) || unicode::is_numeric(c))
                && (WEB_ENDINGS.contains(&unicode::to_lowercase(end).as_str())
                    || LOWERCASE_WEB_ENDINGS.contains(&end))
        })
}

/// Whether the joiner at `i` in `chars` sits where a script needs one.
fn joiner_allowed(chars: &[char], i: usize) -> bool {
    let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
    let next = chars.get(i + 1).copied();
    let letter_or_mark = |c: Option<char>| c.is_some_and(|c| is_letter(c) || is_mark(c));
    if letter_or_mark(prev) && letter_or_mark(next) {
        // Joiners shape cursive and Indic scripts; between two Latin letters (accented or not,
        // composed or not) they only hide something. The letter before is the base of any marks.
        let base_before = chars[..i].iter().rev().find(|c| !is_mark(**c)).copied();
        let latin = |c: Option<char>| c.is_some_and(unicode::is_latin);
        return !(latin(base_before) && latin(next));
    }
    // ZWJ after a virama at the end of a word: the older spelling of Malayalam chillu letters.
    chars[i] == ZWJ && prev.is_some_and(unicode::is_virama) && next.is_none_or(char::is_whitespace)
}

/// The first character a name may not contain, with its index in `chars`.
fn first_refused(chars: &[char]) -> Option<(usize, char)> {
    chars.iter().enumerate().find_map(|(i, &c)| {
        let ok = if is_mark(c) {
            // A mark needs a base: a letter, another mark, or a joiner that itself sits well.
            i.checked_sub(1)
                .and_then(|p| chars.get(p))
                .is_some_and(|&p| is_letter(p) || is_mark(p) || matches!(p, ZWJ | ZWNJ))
        } else if matches!(c, ZWJ | ZWNJ) {
            joiner_allowed(chars, i)
        } else {
            is_letter(c) || c.is_whitespace() || is_name_punctuation(c)
        };
        (!ok).then_some((i, c))
    })
}

/// NFC, then every run of white space inside becomes one space.
fn normalize(value: &str) -> String {
    let nfc = services().nfc(value);
    let mut out = String::with_capacity(nfc.len());
    for part in nfc.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// Checks a name for `field` (given or family name) against `max_chars` (default 200).
pub fn parse(input: &str, field: Field, max_chars: Option<usize>) -> Checked<Name> {
    let value = match hygiene::clean(input, field) {
        Ok(v) => v,
        Err(issue) => return Checked::error(issue),
    };
    let leading = input
        .chars()
        .take_while(|&c| hygiene::is_trimmable(c))
        .count();
    let stored = normalize(value);
    let max = max_chars.unwrap_or(DEFAULT_MAX_CHARS);
    if stored.chars().count() > max {
        return Checked::error(
            Issue::new(field, Code::InputTooLong).with_param("max", decimal(max)),
        );
    }
    if value.chars().any(is_at_sign) {
        return Checked::error(Issue::new(field, Code::NameAtSign));
    }
    if looks_like_url(&services().nfkc(value)) {
        return Checked::error(Issue::new(field, Code::NameUrl));
    }
    if value.chars().any(unicode::is_numeric) && !value.chars().any(is_letter) {
        return Checked::error(Issue::new(field, Code::NameDigitsOnly));
    }
    // The rules judge the stored (NFC) form, so canonically equivalent spellings (composed or
    // decomposed, U+0387 or U+00B7) get one verdict; the position points at the character as
    // typed when it is there, else at its place in the stored form.
    let stored_chars: Vec<char> = stored.chars().collect();
    let refused = first_refused(&stored_chars).map(|(i, c)| {
        let typed = value.chars().position(|t| t == c).unwrap_or(i);
        (leading + typed, c)
    });
    if let Some((i, c)) = refused {
        let code = if hygiene::is_invisible(c) {
            Code::InputInvisibleCharacter
        } else {
            Code::NameInvalidCharacter
        };
        return Checked::error(
            Issue::new(field, code)
                .with_param("char", describe(c))
                .with_param("position", decimal(i + 1)),
        );
    }
    if !stored.chars().any(is_letter) {
        return Checked::error(Issue::new(field, Code::NameNoLetters));
    }
    Checked::new(Name(stored), Vec::new())
}

/// How a refused character is named in a message: itself when visible, `U+XXXX` otherwise
/// (control, invisible, white space and combining marks, which would fuse with the quotes).
pub(crate) fn describe(c: char) -> String {
    if c.is_control() || hygiene::is_invisible(c) || c.is_whitespace() || is_mark(c) {
        code_point(c)
    } else {
        String::from(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Option<Code> {
        parse(s, Field::GivenName, None)
            .issues
            .first()
            .map(|i| i.code)
    }

    #[test]
    fn joiner_at_the_edge_of_a_word_is_refused() {
        assert_eq!(code("علی \u{200C}رضا"), Some(Code::InputInvisibleCharacter));
    }

    #[test]
    fn joiner_inside_ascii_is_refused_but_not_inside_persian() {
        assert_eq!(code("Jo\u{200C}hn"), Some(Code::InputInvisibleCharacter));
        assert_eq!(code("مه\u{200C}سا"), None);
    }

    #[test]
    fn malayalam_zwj_chillu_before_a_space_is_kept() {
        let n = parse("രാമന്\u{200D} നായര്", Field::GivenName, None);
        assert_eq!(n.value.unwrap().as_str(), "രാമന്\u{200D} നായര്");
    }

    #[test]
    fn policy_limit_counts_characters() {
        assert!(parse(&"ع".repeat(10), Field::GivenName, Some(10)).is_ok());
        assert_eq!(
            parse(&"ع".repeat(11), Field::GivenName, Some(10)).issues[0].code,
            Code::InputTooLong
        );
    }

    #[test]
    fn angle_brackets_and_digits_inside_are_refused() {
        assert_eq!(code("<b>Jo</b>"), Some(Code::NameInvalidCharacter));
        assert_eq!(code("12345"), Some(Code::NameDigitsOnly));
        assert_eq!(code("-- ."), Some(Code::NameNoLetters));
    }

    #[test]
    fn position_counts_from_what_was_typed() {
        let c = parse("  Ana\u{3000}\u{3000}B#", Field::GivenName, None);
        assert_eq!(c.issues[0].params.get("position"), Some("9"));
        assert_eq!(c.issues[0].params.get("char"), Some("#"));
    }

    #[test]
    fn mark_without_a_base_is_refused_and_named_by_code_point() {
        let c = parse("Ana \u{0301}Li", Field::GivenName, None);
        assert_eq!(c.issues[0].code, Code::NameInvalidCharacter);
        assert_eq!(c.issues[0].params.get("char"), Some("U+0301"));
    }
}
