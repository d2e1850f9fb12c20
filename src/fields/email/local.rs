//! The mailbox (local part): NFKC with case kept, dot rules, allowed characters, script mixing.
//!
//! ASCII mailboxes may use the RFC 5322 `atext` characters and dots. Other characters must be
//! allowed in identifiers by UTS #39 (letters and marks of living scripts, no symbols, no
//! invisible characters), and the letters must not mix scripts the way spoofs do (UTS #39
//! "moderately restrictive": Latin may join one other script, except Cyrillic or Greek). Quoted
//! mailboxes (`"john"@`) are refused: almost no provider hands them out and many senders reject
//! them.

use super::MAX_LOCAL_OCTETS;
use crate::fields::find_text;
use crate::fields::name::describe;
use crate::hygiene;
use crate::issue::{decimal, Code, Field, Issue};
use crate::unicode::{self, services};
use std::borrow::Cow;

/// Whether `b` is an RFC 5322 `atext` byte or a dot.
fn is_ascii_allowed(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b".!#$%&'*+-/=?^_`{|}~".contains(&b)
}

fn refused(code: Code, c: char, position: usize) -> Issue {
    Issue::new(Field::Email, code)
        .with_param("char", describe(c))
        .with_param("position", decimal(position))
}

/// The 1-based position in `raw` (plus `offset`) of the character that normalized to `bad`.
fn locate(raw: &str, bad: char, offset: usize) -> usize {
    let svc = services();
    raw.chars()
        .position(|r| {
            r == bad
                || (!r.is_ascii()
                    && find_text(
                        &svc.nfkc(r.encode_utf8(&mut [0; 4])),
                        bad.encode_utf8(&mut [0; 4]),
                    )
                    .is_some())
        })
        .map_or(offset + 1, |i| offset + i + 1)
}

/// Checks the mailbox `raw` (as typed, before the last `@`); `offset` is the number of
/// characters before it in the input. Returns the NFKC form.
pub(super) fn check(raw: &str, offset: usize) -> Result<Cow<'_, str>, Issue> {
    if raw.is_empty() {
        return Err(Issue::new(Field::Email, Code::EmailLocalEmpty));
    }
    let local: Cow<'_, str> = if raw.is_ascii() {
        Cow::Borrowed(raw)
    } else {
        Cow::Owned(services().nfkc(raw))
    };
    if local.starts_with('"') && local.len() > 1 {
        return Err(Issue::new(Field::Email, Code::EmailQuotedLocal));
    }
    for c in local.chars() {
        let ok = if c.is_ascii() {
            is_ascii_allowed(c as u8)
        } else {
            // The dedup key lowercases the mailbox, so its lowercase must be allowed too
            // (Georgian capital U+10C7 lowercases to U+2D27, which is not): a key always
            // re-validates.
            !hygiene::is_invisible(c)
                && unicode::identifier_allowed(c)
                && unicode::char_to_lowercase(c)
                    .chars()
                    .all(unicode::identifier_allowed)
        };
        if !ok {
            let code = if hygiene::is_invisible(c) || is_ignorable(c) {
                Code::InputInvisibleCharacter
            } else {
                Code::EmailLocalInvalidCharacter
            };
            return Err(refused(code, c, locate(raw, c, offset)));
        }
    }
    if local.starts_with('.') || local.ends_with('.') || find_text(&local, "..").is_some() {
        return Err(Issue::new(Field::Email, Code::EmailLocalDot));
    }
    if local.len() > MAX_LOCAL_OCTETS {
        return Err(Issue::new(Field::Email, Code::EmailLocalTooLong)
            .with_param("max", decimal(MAX_LOCAL_OCTETS))
            .with_param("octets", decimal(local.len())));
    }
    if !local.is_ascii() {
        let letters: String = local
            .chars()
            .filter(|c| !c.is_ascii() || c.is_ascii_alphanumeric())
            .collect();
        if !unicode::is_restricted_script_mix(&letters) {
            return Err(Issue::new(Field::Email, Code::EmailMixedScript)
                .with_list_param("scripts", &unicode::scripts(&letters)));
        }
    }
    Ok(local)
}

/// Default-ignorable characters that are not in `hygiene::is_invisible` (variation selectors,
/// fillers, the combining grapheme joiner): invisible too, so named as such.
pub(super) fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{2065}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FFA0}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Option<Code> {
        check(s, 0).err().map(|i| i.code)
    }

    #[test]
    fn nfkc_keeps_case_and_folds_fullwidth() {
        assert_eq!(check("Ｊａｎｅ", 0).ok().as_deref(), Some("Jane"));
        assert_eq!(check("Jane.Doe", 0).ok().as_deref(), Some("Jane.Doe"));
    }

    #[test]
    fn refused_character_is_named_at_its_typed_position() {
        let issue = check("ab☃c", 4).unwrap_err();
        assert_eq!(issue.code, Code::EmailLocalInvalidCharacter);
        assert_eq!(issue.params.get("char"), Some("☃"));
        assert_eq!(issue.params.get("position"), Some("7"));
    }

    #[test]
    fn dots_quotes_and_scripts() {
        assert_eq!(code(".jane"), Some(Code::EmailLocalDot));
        assert_eq!(code("ja..ne"), Some(Code::EmailLocalDot));
        assert_eq!(code("\"john\""), Some(Code::EmailQuotedLocal));
        assert_eq!(code("pаypal"), Some(Code::EmailMixedScript)); // Cyrillic а
        assert_eq!(code("ivan.иван"), Some(Code::EmailMixedScript));
        assert_eq!(code("张伟.zhang"), None);
        assert_eq!(code("rahul.राहुल"), None);
    }
}
