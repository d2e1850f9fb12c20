//! The domain: LDH labels, IDNA (UTS #46 with STD3 rules, plus the IDNA2008 symbol check),
//! label and label-count limits, and the ending (see [`super::tld`]).
//!
//! Plain ASCII host names (the common case) are checked and lowercased byte by byte without the
//! IDNA machinery; anything else, and any `xn--` label, goes through IDNA. UTS #46 still maps some
//! symbols (`☃`, emoji) that IDNA2008 disallows, so every non-ASCII character must, after
//! compatibility mapping, be a letter, mark or digit (or one of IDNA2008's CONTEXTO characters).

use super::local::is_ignorable;
use super::MAX_LABEL_OCTETS;
use crate::fields::name::describe;
use crate::hygiene;
use crate::issue::{decimal, Code, Field, Issue};
use crate::unicode::services;

/// A checked host name.
pub(super) struct Domain {
    /// Lowercase A-labels.
    pub ascii: String,
    /// U-labels, when any label is internationalized.
    pub unicode: Option<String>,
}

fn refused(code: Code, c: char, position: usize) -> Issue {
    Issue::new(Field::Email, code)
        .with_param("char", describe(c))
        .with_param("position", decimal(position))
}

fn invalid(domain: &str) -> Issue {
    Issue::new(Field::Email, Code::EmailDomainInvalid).with_param("domain", domain)
}

/// Whether IDNA2008 allows `c` (already mapped by NFKC) in a label: letters, marks and digits,
/// plus the CONTEXTO punctuation (middle dot, Greek keraia, Hebrew geresh, katakana middle dot).
fn idna2008_allowed(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '-' || c == '.';
    }
    crate::unicode::is_alphabetic(c)
        || crate::unicode::is_numeric(c)
        || crate::unicode::is_mark(c)
        || matches!(
            c,
            '\u{00B7}' | '\u{0375}' | '\u{05F3}' | '\u{05F4}' | '\u{30FB}'
        )
}

/// Refuses the first character of `raw` a host name cannot contain; `offset` is the number of
/// input characters before the domain.
fn screen(raw: &str, offset: usize) -> Result<(), Issue> {
    let svc = services();
    for (i, c) in raw.chars().enumerate() {
        let position = offset + i + 1;
        if c.is_ascii() {
            if !(c.is_ascii_alphanumeric() || c == '-' || c == '.') {
                return Err(refused(Code::EmailDomainInvalidCharacter, c, position));
            }
        } else if matches!(c, '\u{3002}' | '\u{FF0E}' | '\u{FF61}') {
            // Ideographic and fullwidth full stops: UTS #46 maps them to label dots.
        } else if hygiene::is_invisible(c) || is_ignorable(c) {
            return Err(refused(Code::InputInvisibleCharacter, c, position));
        } else if !svc
            .nfkc(c.encode_utf8(&mut [0; 4]))
            .chars()
            .all(idna2008_allowed)
        {
            return Err(refused(Code::EmailDomainInvalidCharacter, c, position));
        }
    }
    Ok(())
}

/// Checks the labels of the A-label form `ascii` (lowercase).
fn check_labels(ascii: &str, raw: &str) -> Result<(), Issue> {
    let mut count = 0;
    for label in ascii.split('.') {
        count += 1;
        if label.is_empty() || label.starts_with('-') || label.ends_with('-') {
            return Err(invalid(raw));
        }
        if label.len() > MAX_LABEL_OCTETS {
            return Err(Issue::new(Field::Email, Code::EmailLabelTooLong)
                .with_param("label", label)
                .with_param("max", decimal(MAX_LABEL_OCTETS)));
        }
        if label.get(2..4) == Some("--") && !label.starts_with("xn--") {
            return Err(invalid(raw));
        }
    }
    if count == 4
        && ascii
            .split('.')
            .all(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(Issue::new(Field::Email, Code::EmailIpLiteral));
    }
    if count < 2 {
        return Err(Issue::new(Field::Email, Code::EmailDomainIncomplete).with_param("domain", raw));
    }
    Ok(())
}

/// `raw` without its one trailing root dot (`example.com.` names the same host as `example.com`,
/// RFC 1034 §3.1), in any of the forms UTS #46 maps to a dot. Two dots, or a dot alone, stay: they
/// are refused as they are.
pub(super) fn without_root_dot(raw: &str) -> &str {
    const DOTS: [char; 4] = ['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'];
    match raw.strip_suffix(DOTS) {
        Some(name) if !name.is_empty() && !name.ends_with(DOTS) => name,
        _ => raw,
    }
}

/// Checks the domain `raw` (as typed, after the last `@`, without its root dot); `offset` is the
/// number of characters before it in the input.
pub(super) fn check(raw: &str, offset: usize) -> Result<Domain, Issue> {
    if raw.is_empty() {
        return Err(Issue::new(Field::Email, Code::EmailDomainEmpty));
    }
    if raw.starts_with('[') {
        return Err(Issue::new(Field::Email, Code::EmailIpLiteral));
    }
    screen(raw, offset)?;
    let svc = services();
    let plain = raw.is_ascii()
        && !raw
            .split('.')
            .any(|l| l.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--")));
    let ascii = if plain {
        raw.to_ascii_lowercase()
    } else {
        svc.domain_to_ascii(raw).map_err(|_| invalid(raw))?
    };
    check_labels(&ascii, raw)?;
    let unicode = if plain {
        None
    } else {
        let unicode = svc.domain_to_unicode(&ascii);
        // `xn--` labels typed as such were never screened as Unicode: screen their U-labels.
        if let Some(c) = unicode
            .chars()
            .find(|&c| !c.is_ascii() && !idna2008_allowed(c))
        {
            return Err(refused(Code::EmailDomainInvalidCharacter, c, offset + 1));
        }
        (unicode != ascii).then_some(unicode)
    };
    Ok(Domain { ascii, unicode })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Option<Code> {
        check(s, 0).err().map(|i| i.code)
    }

    #[test]
    fn ascii_and_idn_domains_come_out_as_lowercase_a_labels() {
        let d = check("Mail.Example.ORG", 0).ok().map(|d| d.ascii);
        assert_eq!(d.as_deref(), Some("mail.example.org"));
        let d = check("Bücher.DE", 0).ok().map(|d| (d.ascii, d.unicode));
        assert_eq!(
            d,
            Some(("xn--bcher-kva.de".into(), Some("bücher.de".into())))
        );
        let d = check("пример。рф", 0).ok().map(|d| d.ascii);
        assert_eq!(d.as_deref(), Some("xn--e1afmkfd.xn--p1ai"));
    }

    #[test]
    fn one_trailing_root_dot_is_dropped() {
        assert_eq!(without_root_dot("example.com."), "example.com");
        assert_eq!(without_root_dot("例子.中国。"), "例子.中国");
        assert_eq!(without_root_dot("example.com"), "example.com");
        assert_eq!(without_root_dot("example.com.."), "example.com..");
        assert_eq!(without_root_dot("example.com.。"), "example.com.。");
        assert_eq!(without_root_dot("."), ".");
        assert_eq!(without_root_dot(""), "");
    }

    #[test]
    fn symbols_and_bad_labels_are_refused() {
        assert_eq!(
            code("exam!ple.com"),
            Some(Code::EmailDomainInvalidCharacter)
        );
        assert_eq!(code("☃.com"), Some(Code::EmailDomainInvalidCharacter));
        assert_eq!(code("xn--n3h.com"), Some(Code::EmailDomainInvalidCharacter));
        assert_eq!(
            code("😀.example.org"),
            Some(Code::EmailDomainInvalidCharacter)
        );
        assert_eq!(code("-bad.com"), Some(Code::EmailDomainInvalid));
        assert_eq!(code("a..com"), Some(Code::EmailDomainInvalid));
        assert_eq!(code("ab--cd.com"), Some(Code::EmailDomainInvalid));
        assert_eq!(code("localhost"), Some(Code::EmailDomainIncomplete));
        assert_eq!(code("192.168.0.1"), Some(Code::EmailIpLiteral));
        assert_eq!(code("[192.168.0.1]"), Some(Code::EmailIpLiteral));
        assert_eq!(
            code(&format!("{}.com", "a".repeat(64))),
            Some(Code::EmailLabelTooLong)
        );
        assert_eq!(code(&format!("{}.com", "a".repeat(63))), None);
    }
}
