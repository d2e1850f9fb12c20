//! Reading: one JSON document into a serde `Deserialize` type, `serde_json`'s rules for our shapes.

use super::Error;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use std::borrow::Cow;

/// How deep arrays and objects may nest (`serde_json`'s limit).
const MAX_DEPTH: u32 = 128;

/// Parses exactly one document (whitespace around it allowed) into `T`.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    let mut de = De {
        text,
        pos: 0,
        depth: 0,
    };
    let value = T::deserialize(&mut de)?;
    de.ws();
    if de.pos < text.len() {
        return Err(de.err("trailing characters"));
    }
    Ok(value)
}

struct De<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
}

/// The start of a value, as [`De::token`] reads it.
enum Token<'a> {
    Null,
    Bool(bool),
    Unsigned(u64),
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
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn err(&self, what: &str) -> Error {
        let before = &self.text[..self.pos.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
        Error(format!("{what} at line {line} column {column}"))
    }

    fn literal(&mut self, word: &str) -> Result<(), Error> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.err("expected value"))
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), Error> {
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
            (false, true) => match text.parse() {
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
    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
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
    fn token(&mut self) -> Result<Token<'a>, Error> {
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
    fn close(&mut self, end: u8) -> Result<(), Error> {
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
}

impl<'de, 'a> de::Deserializer<'de> for &mut De<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.token()? {
            Token::Null => visitor.visit_unit(),
            Token::Bool(b) => visitor.visit_bool(b),
            Token::Unsigned(n) => visitor.visit_u64(n),
            Token::Signed(n) => visitor.visit_i64(n),
            Token::Float => Err(de::Error::invalid_type(Unexpected::Float(0.0), &visitor)),
            Token::Str(Cow::Borrowed(s)) => visitor.visit_str(s),
            Token::Str(Cow::Owned(s)) => visitor.visit_string(s),
            Token::Array => {
                let value = visitor.visit_seq(Items {
                    de: &mut *self,
                    first: true,
                })?;
                self.close(b']')?;
                Ok(value)
            }
            Token::Object => {
                let value = visitor.visit_map(Items {
                    de: &mut *self,
                    first: true,
                })?;
                self.close(b'}')?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.ws();
        if self.peek() == Some(b'n') {
            self.literal("null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.ws();
        match self.peek() {
            Some(b'"') => {
                let name = self.string()?.into_owned();
                visitor.visit_enum(UnitOnly(name))
            }
            Some(b'{') => {
                self.nest()?;
                self.ws();
                if self.peek() != Some(b'"') {
                    return Err(self.err("key must be a string"));
                }
                let value = visitor.visit_enum(&mut *self)?;
                self.close(b'}')?;
                Ok(value)
            }
            _ => Err(self.err("expected value")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// The items of an array or the entries of an object.
struct Items<'b, 'a> {
    de: &'b mut De<'a>,
    first: bool,
}

impl Items<'_, '_> {
    /// Before the next item: `None` at the closing `end`, after a comma when not the first.
    fn next(&mut self, end: u8) -> Result<Option<()>, Error> {
        self.de.ws();
        if self.de.peek() == Some(end) {
            return Ok(None);
        }
        if !std::mem::replace(&mut self.first, false) {
            self.de.expect(b',', "expected `,`")?;
            self.de.ws();
            if self.de.peek() == Some(end) {
                return Err(self.de.err("trailing comma"));
            }
        }
        Ok(Some(()))
    }
}

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.next(b']')? {
            Some(()) => seed.deserialize(&mut *self.de).map(Some),
            None => Ok(None),
        }
    }
}

impl<'de> MapAccess<'de> for Items<'_, '_> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.next(b'}')?.is_none() {
            return Ok(None);
        }
        if self.de.peek() != Some(b'"') {
            return Err(self.de.err("key must be a string"));
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        self.de.expect(b':', "expected `:`")?;
        seed.deserialize(&mut *self.de)
    }
}

/// An enum written as its variant's name (`"email"`): unit variants only.
struct UnitOnly(String);

impl<'de> EnumAccess<'de> for UnitOnly {
    type Error = Error;
    type Variant = UnitOnly;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, UnitOnly), Error> {
        let name: de::value::StringDeserializer<Error> = self.0.clone().into_deserializer();
        Ok((seed.deserialize(name)?, self))
    }
}

impl<'de> VariantAccess<'de> for UnitOnly {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"newtype variant",
        ))
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _v: V) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"tuple variant",
        ))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _v: V,
    ) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"struct variant",
        ))
    }
}

/// An enum written as `{"variant": value}`.
impl<'de, 'a> EnumAccess<'de> for &mut De<'a> {
    type Error = Error;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let variant = seed.deserialize(&mut *self)?;
        self.expect(b':', "expected `:`")?;
        Ok((variant, self))
    }
}

impl<'de, 'a> VariantAccess<'de> for &mut De<'a> {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}
