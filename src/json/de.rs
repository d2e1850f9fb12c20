//! The tokens of a JSON document, `serde_json`'s syntax: what `read.rs` builds the shapes from.

use super::Error;
use std::borrow::Cow;

/// How deep arrays and objects may nest (`serde_json`'s limit).
const MAX_DEPTH: u32 = 128;

/// A document being read, and where.
pub(super) struct De<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
}

/// The start of a value, as [`De::token`] reads it.
pub(super) enum Token<'a> {
    Null,
    Bool(bool),
    Unsigned(u64),
    /// A negative integer that fits in `i64` (a custom number field's bounds and values).
    Signed(i64),
    Float,
    Str(Cow<'a, str>),
    Array,
    Object,
}

/// A number as JSON wrote it: an integer that fits, or anything else (a fraction, an exponent,
/// an integer beyond 64 bits, `-0`), which `serde_json` reads as a float.
enum Number {
    Unsigned(u64),
    Signed(i64),
    Float,
}

impl<'a> De<'a> {
    pub(super) fn new(text: &'a str) -> De<'a> {
        De {
            text,
            pos: 0,
            depth: 0,
        }
    }

    /// The end of the document: only whitespace may follow the value.
    pub(super) fn end(&mut self) -> Result<(), Error> {
        self.ws();
        if self.pos < self.text.len() {
            return Err(self.err("trailing characters"));
        }
        Ok(())
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    pub(super) fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    pub(super) fn err(&self, what: &str) -> Error {
        let before = &self.text[..self.pos.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
        Error(format!("{what} at line {line} column {column}"))
    }

    pub(super) fn literal(&mut self, word: &str) -> Result<(), Error> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.err("expected value"))
        }
    }

    pub(super) fn expect(&mut self, byte: u8, what: &str) -> Result<(), Error> {
        self.ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else if self.peek().is_none() {
            Err(self.err("EOF while parsing"))
        } else {
            Err(self.err(what))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Number, Error> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let first = self.pos;
        if self.digits() == 0 || (self.text.as_bytes()[first] == b'0' && self.pos - first > 1) {
            return Err(self.err("invalid number"));
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.err("invalid number"));
            }
            float = true;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("invalid number"));
            }
            float = true;
        }
        let text = &self.text[start..self.pos];
        Ok(match (float, negative) {
            (true, _) => Number::Float,
            // `-0` is a float to `serde_json` too.
            (false, true) => match text.parse::<i64>() {
                Ok(0) | Err(_) => Number::Float,
                Ok(n) => Number::Signed(n),
            },
            (false, false) => text.parse().map_or(Number::Float, Number::Unsigned),
        })
    }

    fn hex4(&mut self) -> Result<u16, Error> {
        let digits = self.text.get(self.pos..self.pos + 4);
        let Some(digits) = digits else {
            return Err(self.err("EOF while parsing a string"));
        };
        let n = digits
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
            .then(|| u16::from_str_radix(digits, 16).ok())
            .flatten()
            .ok_or_else(|| self.err("invalid escape"))?;
        self.pos += 4;
        Ok(n)
    }

    /// The `\u` escape after `\u` was read; lone surrogates are refused, as `serde_json` does.
    fn unicode_escape(&mut self, out: &mut String) -> Result<(), Error> {
        let n = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.err("lone leading surrogate in hex escape"));
        }
        if !(0xD800..=0xDBFF).contains(&n) {
            out.push(char::from_u32(u32::from(n)).unwrap_or('\u{FFFD}'));
            return Ok(());
        }
        if !self.text[self.pos..].starts_with("\\u") {
            return Err(self.err("unexpected end of hex escape"));
        }
        self.pos += 2;
        let low = self.hex4()?;
        if !(0xDC00..=0xDFFF).contains(&low) {
            return Err(self.err("lone leading surrogate in hex escape"));
        }
        let c = 0x1_0000 + ((u32::from(n) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
        out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
        Ok(())
    }

    /// The string starting at the opening quote.
    pub(super) fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        self.pos += 1;
        let text = self.text;
        let mut owned: Option<String> = None;
        let mut run = self.pos;
        loop {
            let Some(b) = self.peek() else {
                return Err(self.err("EOF while parsing a string"));
            };
            match b {
                b'"' => {
                    let tail = &text[run..self.pos];
                    self.pos += 1;
                    return Ok(match owned {
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(tail),
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&text[run..self.pos]);
                    self.pos += 1;
                    let escaped = self.peek();
                    self.pos += 1;
                    match escaped {
                        Some(b'"') => s.push('"'),
                        Some(b'\\') => s.push('\\'),
                        Some(b'/') => s.push('/'),
                        Some(b'b') => s.push('\u{8}'),
                        Some(b'f') => s.push('\u{c}'),
                        Some(b'n') => s.push('\n'),
                        Some(b'r') => s.push('\r'),
                        Some(b't') => s.push('\t'),
                        Some(b'u') => self.unicode_escape(s)?,
                        None => return Err(self.err("EOF while parsing a string")),
                        Some(_) => return Err(self.err("invalid escape")),
                    }
                    run = self.pos;
                }
                0..=0x1F => {
                    return Err(self
                        .err("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                _ => self.pos += 1,
            }
        }
    }

    /// The next value's first token (a whole scalar, or the opening of an array or object):
    /// one non-generic function, so each shape's visitor adds only its dispatch.
    #[inline(never)]
    pub(super) fn token(&mut self) -> Result<Token<'a>, Error> {
        self.ws();
        Ok(match self.peek() {
            None => return Err(self.err("EOF while parsing a value")),
            Some(b'n') => self.literal("null").map(|()| Token::Null)?,
            Some(b't') => self.literal("true").map(|()| Token::Bool(true))?,
            Some(b'f') => self.literal("false").map(|()| Token::Bool(false))?,
            Some(b'-' | b'0'..=b'9') => match self.number()? {
                Number::Unsigned(n) => Token::Unsigned(n),
                Number::Signed(n) => Token::Signed(n),
                Number::Float => Token::Float,
            },
            Some(b'"') => Token::Str(self.string()?),
            Some(b'[') => self.nest().map(|()| Token::Array)?,
            Some(b'{') => self.nest().map(|()| Token::Object)?,
            Some(_) => return Err(self.err("expected value")),
        })
    }

    /// The end of an array or object whose items the visitor has read.
    #[inline(never)]
    pub(super) fn close(&mut self, end: u8) -> Result<(), Error> {
        let what = if end == b']' {
            "trailing characters in an array"
        } else {
            "trailing characters in an object"
        };
        self.expect(end, what)?;
        self.depth -= 1;
        Ok(())
    }

    fn nest(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("recursion limit exceeded"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Before the next item of an array or object: `false` at its closing `end`; after the
    /// first item a comma must come, and may not be followed by the end.
    pub(super) fn next_item(&mut self, end: u8, first: &mut bool) -> Result<bool, Error> {
        self.ws();
        if self.peek() == Some(end) {
            return Ok(false);
        }
        if !std::mem::replace(first, false) {
            self.expect(b',', "expected `,`")?;
            self.ws();
            if self.peek() == Some(end) {
                return Err(self.err("trailing comma"));
            }
        }
        Ok(true)
    }
}
