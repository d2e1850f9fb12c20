//! From what a person typed to digits: folds every Unicode decimal digit and fullwidth `＋` to
//! ASCII, drops the separators people type and invisible marks, splits off an extension, and
//! refuses anything else (letters, vanity numbers, free text) naming the first such character.

use crate::issue::{Code, Field, Issue};
use crate::unicode;

/// The zero of every Unicode `Nd` run (Unicode 14, as Python 3.11's `unicodedata` lists them):
/// a decimal digit is `zero + 0..=9`. Checked by a unit test against `char::is_numeric` ranges.
const ZEROS: &[u32] = &[
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
    0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

/// The ASCII digit for any Unicode decimal digit.
pub(super) fn fold_digit(c: char) -> Option<u8> {
    let cp = c as u32;
    let i = ZEROS.partition_point(|&z| z <= cp).checked_sub(1)?;
    let off = cp - ZEROS[i];
    (off < 10).then(|| b'0' + off as u8)
}

/// Separators people type between digit groups (after NBSP and other spaces, which are
/// Unicode `White_Space`).
pub(super) fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '.' | '(' | ')' | '/' | '\u{2010}'
                ..='\u{2015}'
                    | '\u{2212}'
                    | '\u{30FC}'
                    | '\u{FF0D}'
                    | '\u{FF0E}'
                    | '\u{FF0F}'
                    | '\u{FF08}'
                    | '\u{FF09}'
                    | '\u{FF3B}'
                    | '\u{FF3D}'
                    | '['
                    | ']'
        )
}

/// Invisible characters a phone number may contain (pasted from chat apps, RTL text): bidi
/// marks, zero-width space/joiners, word joiner, BOM and soft hyphen. They are removed.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{061C}' | '\u{FEFF}'
    )
}

/// A number as typed, reduced to ASCII.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Typed {
    /// Started with `+` (or `＋`).
    pub plus: bool,
    /// Every digit, in order, ASCII.
    pub digits: String,
    /// The extension digits, if one was given.
    pub ext: Option<String>,
}

/// Labels that introduce an extension, lowercase, with the most digits each may have.
const EXT_LABELS: &[(&str, usize)] = &[
    (";ext=", 20),
    ("extension", 20),
    ("extensión", 20),
    ("extn", 20),
    ("ext", 20),
    ("xtn", 20),
    ("xt", 20),
    ("доб", 20),
    ("anexo", 20),
    ("ｅｘｔｎ", 20),
    ("ｅｘｔ", 20),
    ("ｘｔｎ", 20),
    ("ｘｔ", 20),
    ("int", 9),
    ("ｉｎｔ", 9),
    ("x", 9),
    ("ｘ", 9),
    ("#", 9),
    ("＃", 9),
    ("~", 9),
    ("～", 9),
    (",,", 15),
    (";", 15),
    (",", 9),
];

/// Splits `chars` into the number and an extension, the way libphonenumber's extension
/// pattern does: `<number>[sep]<label>[:.][sep]<digits>[#]` at the end.
fn split_extension(chars: &[char]) -> Option<(usize, String)> {
    let mut end = chars.len();
    if matches!(chars.last(), Some('#' | '＃')) {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && fold_digit(chars[start - 1]).is_some() {
        start -= 1;
    }
    let ext_len = end - start;
    if ext_len == 0 {
        return None;
    }
    let ext: String = chars[start..end]
        .iter()
        .filter_map(|&c| fold_digit(c).map(char::from))
        .collect();
    let mut i = start;
    while i > 0 && matches!(chars[i - 1], ' ' | '\u{A0}' | '\t' | ',' | '-') {
        i -= 1;
    }
    if i > 0 && matches!(chars[i - 1], ':' | '.' | '．') {
        i -= 1;
    }
    // Every label ends in a letter or one of `# ~ , ; =`: most numbers stop here.
    let last = *chars.get(i.checked_sub(1)?)?;
    if !(unicode::is_alphabetic(last) || matches!(last, '#' | '＃' | '~' | '～' | ',' | ';' | '='))
    {
        return None;
    }
    let window = &chars[i.saturating_sub(9)..i];
    let lower: String = window
        .iter()
        .map(|&c| unicode::char_to_lowercase(c))
        .collect();
    let lower: Vec<char> = lower.chars().collect();
    if lower.len() != window.len() {
        return None;
    }
    for (label, max) in EXT_LABELS {
        let n = label.chars().count();
        if ext_len > *max
            || n > lower.len()
            || !lower[lower.len() - n..].iter().copied().eq(label.chars())
        {
            continue;
        }
        let l = &lower[lower.len() - n..];
        let mut cut = i - l.len();
        while cut > 0 && matches!(chars[cut - 1], ' ' | '\u{A0}' | '\t' | ',') {
            cut -= 1;
        }
        if chars[..cut].iter().any(|&c| fold_digit(c).is_some()) {
            return Some((cut, ext));
        }
    }
    None
}

/// Reduces `value` (already through hygiene) to a [`Typed`] number, or names the first
/// character a phone number cannot contain.
pub(super) fn normalize(value: &str) -> Result<Typed, Issue> {
    let chars: Vec<char> = value.chars().filter(|&c| !is_invisible(c)).collect();
    let (body, ext) = match split_extension(&chars) {
        Some((cut, ext)) => (&chars[..cut], Some(ext)),
        None => (&chars[..], None),
    };
    let mut typed = Typed {
        plus: false,
        digits: String::new(),
        ext,
    };
    for &c in body {
        if let Some(d) = fold_digit(c) {
            typed.digits.push(char::from(d));
        } else if (c == '+' || c == '＋') && typed.digits.is_empty() {
            typed.plus = true;
        } else if !is_separator(c) {
            return Err(
                Issue::new(Field::Phone, Code::PhoneInvalidCharacters).with_param("char", c)
            );
        }
    }
    Ok(typed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_exactly_the_decimal_digits() {
        for &zero in ZEROS {
            for d in 0..10u32 {
                let c = char::from_u32(zero + d).expect("digit code point");
                assert!(c.is_numeric(), "U+{:04X} is not numeric", zero + d);
                assert_eq!(fold_digit(c), Some(b'0' + d as u8), "U+{:04X}", zero + d);
            }
        }
        // Numeric but not decimal: superscripts, fractions, Roman numerals stay letters/symbols.
        for c in ['²', '½', 'Ⅻ', '①', 'a', '+'] {
            assert_eq!(fold_digit(c), None, "{c}");
        }
    }

    #[test]
    fn splits_extensions_and_refuses_letters() {
        let t = normalize("+1 650 253 0000;ext=123").unwrap();
        assert_eq!(
            (t.digits.as_str(), t.ext.as_deref()),
            ("16502530000", Some("123"))
        );
        let t = normalize("650-253-0000 Ext. 9").unwrap();
        assert_eq!(t.ext.as_deref(), Some("9"));
        let t = normalize("0812-3456-7890").unwrap();
        assert_eq!((t.digits.as_str(), t.ext), ("081234567890", None));
        let err = normalize("1-800-FLOWERS").unwrap_err();
        assert_eq!(err.params.get("char"), Some("F"));
    }
}
