//! Writing: a serde `Serialize` value as compact JSON, byte for byte what `serde_json::to_string`
//! writes for our shapes (fields in order, `serde_json`'s string escapes). Floats are refused:
//! no shape holds one.

use super::Error;
use serde::ser::{self, Serialize};

/// The value as compact JSON text.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = String::with_capacity(128);
    value.serialize(Writer { out: &mut out })?;
    Ok(out)
}

fn push_str(out: &mut String, s: &str) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0..=0x1F => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        } else {
            out.push_str(escape);
        }
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

struct Writer<'o> {
    out: &'o mut String,
}

/// An array, object or struct being written; `first` says whether a comma is due.
struct Compound<'o> {
    out: &'o mut String,
    first: bool,
    /// What closes it: `]`, `}`, or `}}` for a variant wrapped in an object.
    close: &'static str,
}

impl<'o> Compound<'o> {
    /// Writes `open` (`[` or `{`) and gives the compound that `close` ends.
    fn open(out: &'o mut String, open: &str, close: &'static str) -> Compound<'o> {
        out.push_str(open);
        Compound {
            out,
            first: true,
            close,
        }
    }

    fn comma(&mut self) {
        if !std::mem::replace(&mut self.first, false) {
            self.out.push(',');
        }
    }

    /// Writes `value` into this compound's output.
    fn write<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(Writer {
            out: &mut *self.out,
        })
    }
}

/// Writes `{"variant":`, how `serde_json` opens a variant that carries data (an object with
/// the variant's name as its one key).
fn push_variant(out: &mut String, variant: &str) {
    out.push('{');
    push_str(out, variant);
    out.push(':');
}

/// Serializer methods for the narrower integers, each writing its value widened losslessly
/// (`serialize_i8` as `serialize_i64` of the same number).
macro_rules! widen {
    ($($method:ident $narrow:ty => $wide_method:ident $wide:ty),*) => {$(
        fn $method(self, v: $narrow) -> Result<(), Error> {
            self.$wide_method(<$wide>::from(v))
        }
    )*};
}

/// A type's, field's or variant's name as serde gives it.
type Name = &'static str;

/// An array or object opened by the serializer.
type Open<'o> = Result<Compound<'o>, Error>;

fn float() -> Error {
    Error("floating point numbers are not written".to_owned())
}

impl<'o> ser::Serializer for Writer<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'o>;
    type SerializeTuple = Compound<'o>;
    type SerializeTupleStruct = Compound<'o>;
    type SerializeTupleVariant = Compound<'o>;
    type SerializeMap = Compound<'o>;
    type SerializeStruct = Compound<'o>;
    type SerializeStructVariant = Compound<'o>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    widen!(serialize_i8 i8 => serialize_i64 i64, serialize_i16 i16 => serialize_i64 i64,
        serialize_i32 i32 => serialize_i64 i64, serialize_u8 u8 => serialize_u64 u64,
        serialize_u16 u16 => serialize_u64 u64, serialize_u32 u32 => serialize_u64 u64);
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        if v < 0 {
            self.out.push('-');
        }
        self.serialize_u64(v.unsigned_abs())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut n = v;
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out.extend(digits[i..].iter().map(|&d| char::from(d)));
        Ok(())
    }
    fn serialize_f32(self, _v: f32) -> Result<(), Error> {
        Err(float())
    }
    fn serialize_f64(self, _v: f64) -> Result<(), Error> {
        Err(float())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        push_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        push_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: Name) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: Name, _: u32, variant: Name) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: Name,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: Name,
        _: u32,
        variant: Name,
        value: &T,
    ) -> Result<(), Error> {
        push_variant(self.out, variant);
        value.serialize(Writer {
            out: &mut *self.out,
        })?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Open<'o> {
        Ok(Compound::open(self.out, "[", "]"))
    }
    fn serialize_tuple(self, len: usize) -> Open<'o> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: Name, len: usize) -> Open<'o> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _: Name, _: u32, variant: Name, _len: usize) -> Open<'o> {
        push_variant(self.out, variant);
        Ok(Compound::open(self.out, "[", "]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Open<'o> {
        Ok(Compound::open(self.out, "{", "}"))
    }
    fn serialize_struct(self, _: Name, len: usize) -> Open<'o> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(self, _: Name, _: u32, variant: Name, _len: usize) -> Open<'o> {
        push_variant(self.out, variant);
        Ok(Compound::open(self.out, "{", "}}"))
    }
}

impl Compound<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        self.write(value)
    }
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.comma();
        push_str(self.out, key);
        self.out.push(':');
        self.write(value)
    }
    fn finish(self) -> Result<(), Error> {
        self.out.push_str(self.close);
        Ok(())
    }
}

macro_rules! sequence {
    ($($trait:ident $method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        }
    )*};
}
sequence!(SerializeSeq serialize_element, SerializeTuple serialize_element,
    SerializeTupleStruct serialize_field, SerializeTupleVariant serialize_field);

macro_rules! structure {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        }
    )*};
}
structure!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    /// Object keys: strings only (every map of ours is keyed by text).
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        let start = self.out.len();
        self.write(key)?;
        if !self.out[start..].starts_with('"') {
            return Err(Error("key must be a string".to_owned()));
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.out.push(':');
        self.write(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}
