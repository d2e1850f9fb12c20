//! A small, strict JSON reader and writer for the serde data model: what the browser build uses
//! instead of `serde_json`, whose number formatting and parsing tables (floats the wire shapes
//! never hold) and error machinery cost every page about 15 KB brotli.
//!
//! It reads and writes the same documents `serde_json` does for our shapes: RFC 8259 syntax,
//! whitespace ` \t\n\r`, nesting up to 128, integers as `u64`/`i64` (a number with a fraction or
//! exponent is refused as a "floating point" wherever a shape asks for anything, since none of
//! ours holds one), escapes decoded with lone surrogates refused, and the compact output with
//! `serde_json`'s escaping. Strictness stays with the shapes' serde derives (unknown fields,
//! duplicate fields, wrong types), and error texts keep the words the faces classify by
//! (`unknown field`, `surrogate`, `unicode`), so a refusal has the same code on every face.
//! Native tests parse the shared vectors and generated documents with both and compare.

mod de;
mod ser;

pub(crate) use de::from_str;
pub(crate) use ser::to_string;

use serde::de::{Expected, Unexpected};
use std::fmt;

/// Why a document was refused or a value could not be written; the text says what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// What an unexpected value was, without formatting floats (the wire shapes hold none).
fn describe(u: &Unexpected<'_>) -> String {
    match u {
        Unexpected::Bool(b) => format!("boolean `{b}`"),
        Unexpected::Unsigned(n) => format!("integer `{n}`"),
        Unexpected::Signed(n) => format!("integer `{n}`"),
        Unexpected::Float(_) => "floating point".to_owned(),
        Unexpected::Char(c) => format!("character `{c}`"),
        Unexpected::Str(s) => format!("string {s:?}"),
        Unexpected::Bytes(_) => "byte array".to_owned(),
        Unexpected::Unit => "null".to_owned(),
        Unexpected::Option => "optional value".to_owned(),
        Unexpected::NewtypeStruct => "newtype struct".to_owned(),
        Unexpected::Seq => "sequence".to_owned(),
        Unexpected::Map => "map".to_owned(),
        Unexpected::Enum => "enum".to_owned(),
        Unexpected::UnitVariant => "unit variant".to_owned(),
        Unexpected::NewtypeVariant => "newtype variant".to_owned(),
        Unexpected::TupleVariant => "tuple variant".to_owned(),
        Unexpected::StructVariant => "struct variant".to_owned(),
        Unexpected::Other(s) => (*s).to_owned(),
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Error(format!(
            "invalid type: {}, expected {exp}",
            describe(&unexp)
        ))
    }
    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Error(format!(
            "invalid value: {}, expected {exp}",
            describe(&unexp)
        ))
    }
}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

#[cfg(test)]
mod tests;
