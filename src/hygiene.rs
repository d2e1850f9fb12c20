//! Text hygiene: the first pass every field's input goes through.
//!
//! Rules: bound the input to [`MAX_INPUT_CHARS`] characters; trim `White_Space` and invisible
//! format characters at both ends; refuse control characters and bidi embeddings, overrides and
//! isolates inside, naming their 1-based position. Nothing is ever dropped from the middle: what a
//! field may strip inside (bidi marks in a phone number) is that field's own, documented rule.
//!
//! ```
//! use signup_guard::{hygiene, Code, Field};
//! assert_eq!(hygiene::clean("\u{200B} jane@example.org \n", Field::Email).unwrap(), "jane@example.org");
//! let err = hygiene::clean("ja\u{202E}ne", Field::GivenName).unwrap_err();
//! assert_eq!(err.code, Code::InputBidiControl);
//! assert_eq!(err.params.get("position"), Some("3"));
//! ```

use crate::issue::{code_point, decimal, Code, Field, Issue};

/// The longest input any field accepts, in characters, before any other rule runs.
pub const MAX_INPUT_CHARS: usize = 1024;

/// Whether `c` is a bidi embedding, override or isolate (never allowed inside a value).
pub const fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` is an invisible format character people paste by accident (zero-width space,
/// joiners, word joiner, BOM, soft hyphen, Mongolian vowel separator, bidi marks and controls).
pub const fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
    )
}

/// Whether `c` is trimmed at the ends of a value: Unicode `White_Space` or an invisible character.
pub fn is_trimmable(c: char) -> bool {
    c.is_whitespace() || is_invisible(c)
}

/// Bounds, trims and screens `input` for `field`; returns the trimmed value or the first fault.
pub fn clean(input: &str, field: Field) -> Result<&str, Issue> {
    if input.chars().nth(MAX_INPUT_CHARS).is_some() {
        return Err(
            Issue::new(field, Code::InputTooLong).with_param("max", decimal(MAX_INPUT_CHARS))
        );
    }
    let leading = input.chars().take_while(|&c| is_trimmable(c)).count();
    let trimmed = input.trim_matches(is_trimmable);
    for (i, c) in trimmed.chars().enumerate() {
        let code = if c.is_control() {
            Code::InputControlCharacter
        } else if is_bidi_control(c) {
            Code::InputBidiControl
        } else {
            continue;
        };
        return Err(Issue::new(field, code)
            .with_param("position", decimal(leading + i + 1))
            .with_param("char", code_point(c)));
    }
    Ok(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_is_counted_in_characters_not_bytes() {
        let ok = "ب".repeat(MAX_INPUT_CHARS);
        assert!(clean(&ok, Field::GivenName).is_ok());
        let over = "ب".repeat(MAX_INPUT_CHARS + 1);
        assert_eq!(
            clean(&over, Field::GivenName).unwrap_err().code,
            Code::InputTooLong
        );
    }

    #[test]
    fn control_inside_is_refused_with_its_position() {
        let err = clean("  ab\u{0}c", Field::Email).unwrap_err();
        assert_eq!(err.code, Code::InputControlCharacter);
        assert_eq!(err.params.get("position"), Some("5"));
        assert_eq!(err.params.get("char"), Some("U+0000"));
    }

    #[test]
    fn invisible_and_nbsp_at_the_ends_are_trimmed() {
        assert_eq!(
            clean("\u{FEFF}\u{A0}Ani\u{200F}\u{3000}", Field::GivenName).unwrap(),
            "Ani"
        );
    }
}
