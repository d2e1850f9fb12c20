//! A custom field's value on the wire: a string, a list of strings (multi-select), a boolean
//! (checkbox) or a whole number. Forms posted without JavaScript send strings for all of them;
//! [`super::rules`] reads a string as the field's kind wants.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One custom field's value, as sent and as stored after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomValue {
    /// Text, a select's option, a date, a URL (or any kind, as a form posts it).
    Text(String),
    /// The options of a multi-select.
    List(Vec<String>),
    /// A checkbox.
    Flag(bool),
    /// A number.
    Number(i64),
}

impl CustomValue {
    /// The value as one cell of text (a list joined with `;`), for CSV columns.
    pub fn to_cell(&self) -> String {
        match self {
            CustomValue::Text(s) => s.clone(),
            CustomValue::List(items) => items.join(";"),
            CustomValue::Flag(b) => b.to_string(),
            CustomValue::Number(n) => n.to_string(),
        }
    }
}

impl Serialize for CustomValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CustomValue::Text(t) => s.serialize_str(t),
            CustomValue::List(items) => items.serialize(s),
            CustomValue::Flag(b) => s.serialize_bool(*b),
            CustomValue::Number(n) => s.serialize_i64(*n),
        }
    }
}

/// The words every reader uses for a value of another type (the browser build's too).
pub(crate) const EXPECTED: &str = "a string, a list of strings, a boolean or a whole number";

impl<'de> Deserialize<'de> for CustomValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CustomValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CustomValue, E> {
                Ok(CustomValue::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<CustomValue, E> {
                Ok(CustomValue::Text(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<CustomValue, E> {
                Ok(CustomValue::Flag(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<CustomValue, E> {
                Ok(CustomValue::Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CustomValue, E> {
                i64::try_from(v)
                    .map(CustomValue::Number)
                    .map_err(|_| E::custom("invalid value: integer out of range"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CustomValue, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    out.push(item);
                }
                Ok(CustomValue::List(out))
            }
        }
        d.deserialize_any(V)
    }
}
