//! Unwrapping what people paste: `mailto:` links, `Name <addr>` headers, fullwidth at-signs.
//!
//! Each unwrap is reported (`email.extracted`, with the address used) so nobody is surprised by
//! what was stored. Several addresses in one field are refused (`email.multiple_addresses`):
//! guessing which one was meant would store someone else's address.

use crate::hygiene;
use crate::issue::{Code, Field, Issue};
use std::borrow::Cow;

/// The address found in a field value.
pub(super) struct Extracted<'a> {
    /// The bare address (at-sign folded, `mailto:` decoded).
    pub addr: Cow<'a, str>,
    /// Characters of the value before the address starts (for 1-based positions in messages).
    pub offset: usize,
    /// Whether anything was unwrapped or folded.
    pub changed: bool,
}

fn is_separator(c: char) -> bool {
    matches!(c, ',' | ';') || c.is_whitespace()
}

/// Whether `s` holds two or more address-like pieces (comma, semicolon or space separated).
fn several_addresses(s: &str) -> bool {
    s.split(is_separator)
        .filter(|p| p.contains('@'))
        .nth(1)
        .is_some()
}

/// Percent-decodes a `mailto:` address; `None` when the escapes are not valid UTF-8 text.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h)? * 16 + hex(l)?) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Finds the one address in a trimmed field value.
pub(super) fn extract(value: &str) -> Result<Extracted<'_>, Issue> {
    let mut addr: Cow<'_, str> = Cow::Borrowed(value);
    let mut offset = 0;
    let mut changed = false;

    // `Jane Doe <jane@example.org>` (the display name may be quoted).
    if let (Some(inner), Some(open)) = (value.strip_suffix('>'), value.rfind('<')) {
        let name = value.get(..open).unwrap_or_default();
        let inner = inner.get(open + 1..).unwrap_or_default();
        if name.contains(['<', '>']) || several_addresses(inner) {
            return Err(Issue::new(Field::Email, Code::EmailMultipleAddresses));
        }
        let bare_name = name.trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
        if bare_name.contains('@') && !bare_name.eq_ignore_ascii_case(inner.trim()) {
            return Err(Issue::new(Field::Email, Code::EmailMultipleAddresses));
        }
        let trimmed = inner.trim_start();
        offset =
            value.get(..open + 1).map_or(0, |s| s.chars().count()) + (inner.len() - trimmed.len());
        addr = Cow::Borrowed(trimmed.trim_end());
        changed = true;
    }

    // `mailto:jane@example.org?subject=hi`
    let is_mailto = addr
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"));
    if is_mailto {
        let rest = addr.get(7..).unwrap_or_default();
        let rest = rest.split('?').next().unwrap_or(rest);
        let decoded =
            percent_decode(rest).ok_or_else(|| Issue::new(Field::Email, Code::InputInvalidText))?;
        // What the escapes decode to passes text hygiene like typed text.
        let cleaned = hygiene::clean(&decoded, Field::Email)?.to_owned();
        offset += 7;
        addr = Cow::Owned(cleaned);
        changed = true;
    }

    // Fullwidth and small at-signs (IMEs for Chinese, Japanese and Korean type these).
    if addr.contains(['＠', '﹫']) {
        addr = Cow::Owned(addr.replace(['＠', '﹫'], "@"));
        changed = true;
    }

    if !addr.starts_with('"') && several_addresses(&addr) {
        return Err(Issue::new(Field::Email, Code::EmailMultipleAddresses));
    }
    Ok(Extracted {
        addr,
        offset,
        changed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> String {
        extract(s)
            .map(|e| e.addr.into_owned())
            .unwrap_or_else(|i| i.code.to_string())
    }

    #[test]
    fn unwraps_display_names_mailto_and_fullwidth_at() {
        assert_eq!(addr("Jane Doe <jane@example.org>"), "jane@example.org");
        assert_eq!(
            addr("\"Doe, Jane\" < jane@example.org >"),
            "jane@example.org"
        );
        assert_eq!(
            addr("MAILTO:jane@example.org?subject=hi"),
            "jane@example.org"
        );
        assert_eq!(addr("mailto:j%C3%BCrgen@example.org"), "jürgen@example.org");
        assert_eq!(addr("jane＠example.org"), "jane@example.org");
        assert_eq!(addr("<mailto:jane@example.org>"), "jane@example.org");
        assert_eq!(
            extract("x <jane@example.org>").map(|e| e.offset).ok(),
            Some(3)
        );
    }

    #[test]
    fn several_addresses_are_refused() {
        for s in [
            "a@example.org, b@example.org",
            "a@example.org;b@example.org",
            "a@example.org b@example.org",
            "mailto:a@example.org,b@example.org",
            "A <a@example.org>, B <b@example.org>",
            "a@example.org <b@example.org>",
        ] {
            assert_eq!(addr(s), "email.multiple_addresses", "{s}");
        }
        assert_eq!(
            addr("jane@example.org <jane@example.org>"),
            "jane@example.org"
        );
    }
}
