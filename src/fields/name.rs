//! Names: any script, one or more parts, no western first/last assumption, no "looks real" guess.
//!
//! Rules, after text hygiene: NFC; runs of white space inside become one space; allowed are
//! letters, combining marks, spaces, apostrophes (`'` `’` `ʼ`), hyphens (`-` `‐` `‑`), periods and
//! middle dots (`.` `·` `・`), and ZWNJ/ZWJ between two letters (Persian and Indic names need
//! them). Refused: only digits, any other digit, a web address, `@`, angle brackets and every other
//! symbol, control and bidi override characters; longer than the policy's `max_chars` (default 200).
//!
//! ```
//! use signup_guard::{fields::name, Field};
//! assert_eq!(name::parse("  María   José ", Field::GivenName, None).value.unwrap().as_str(), "María José");
//! assert!(name::parse("محمد‌رضا", Field::GivenName, None).is_ok()); // ZWNJ between letters
//! assert!(name::parse("visit www.spam.example", Field::FamilyName, None).value.is_none());
//! ```

use crate::hygiene;
use crate::issue::{Checked, Code, Field, Issue};
use crate::unicode::services;

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

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

fn is_name_punctuation(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | 'ʼ' | '‘' | '-' | '‐' | '‑' | '.' | '·' | '・' | ' '
    )
}

fn looks_like_url(lower: &str) -> bool {
    const WEB_ENDINGS: &[&str] = &[
        "com", "net", "org", "info", "biz", "ru", "xyz", "top", "io", "site", "online", "club",
        "shop", "link", "click", "win", "vip", "live",
    ];
    if lower.contains("://") || lower.contains("www.") {
        return true;
    }
    lower.split(' ').any(|token| {
        let mut parts = token.rsplitn(2, '.');
        match (parts.next(), parts.next()) {
            (Some(end), Some(head)) => !head.is_empty() && WEB_ENDINGS.contains(&end),
            _ => false,
        }
    })
}

/// Checks a name for `field` (given or family name) against `max_chars` (default 200).
pub fn parse(input: &str, field: Field, max_chars: Option<usize>) -> Checked<Name> {
    let value = match hygiene::clean(input, field) {
        Ok(v) => v,
        Err(issue) => return Checked::error(issue),
    };
    let nfc = services().nfc(value);
    let collapsed = nfc
        .split(char::is_whitespace)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let max = max_chars.unwrap_or(DEFAULT_MAX_CHARS);
    if collapsed.chars().count() > max {
        return Checked::error(Issue::new(field, Code::InputTooLong).with_param("max", max));
    }
    let lower = collapsed.to_lowercase();
    if collapsed.contains(['@', '＠']) {
        return Checked::error(Issue::new(field, Code::NameAtSign));
    }
    if looks_like_url(&lower) {
        return Checked::error(Issue::new(field, Code::NameUrl));
    }
    if collapsed.chars().any(char::is_numeric) && !collapsed.chars().any(char::is_alphabetic) {
        return Checked::error(Issue::new(field, Code::NameDigitsOnly));
    }
    let chars: Vec<char> = collapsed.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let joiner_between_letters = matches!(c, '\u{200C}' | '\u{200D}')
            && i > 0
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_alphabetic() || is_mark(*n))
            && (chars[i - 1].is_alphabetic() || is_mark(chars[i - 1]));
        if c.is_alphabetic() || is_mark(c) || is_name_punctuation(c) || joiner_between_letters {
            continue;
        }
        let code = if hygiene::is_invisible(c) {
            Code::InputInvisibleCharacter
        } else {
            Code::NameInvalidCharacter
        };
        return Checked::error(
            Issue::new(field, code)
                .with_param("char", describe(c))
                .with_param("position", i + 1),
        );
    }
    if !chars.iter().any(|c| c.is_alphabetic()) {
        return Checked::error(Issue::new(field, Code::NameNoLetters));
    }
    Checked::new(Name(collapsed), Vec::new())
}

/// How a refused character is named in a message: itself when visible, `U+XXXX` otherwise.
pub(crate) fn describe(c: char) -> String {
    if c.is_control() || hygiene::is_invisible(c) || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        c.to_string()
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
}
