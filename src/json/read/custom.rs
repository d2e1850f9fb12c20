//! The custom fields' part of the two documents (`src/json/read.rs` reads the rest, with the
//! same steps as serde's derive): the policy's `custom_fields` and the submission's `custom`
//! object, whose values are read as `CustomValue`'s own `Deserialize` takes them.

use super::{
    boolean, fields, invalid_type, list, map, optional, string, strings, unsigned, variant,
};
use crate::custom::{CustomField, CustomKind, CustomOption, CustomValue};
use crate::json::de::{De, Token};
use crate::json::Error;
use std::collections::BTreeMap;

/// A whole number that fits in `i64`.
fn integer(de: &mut De<'_>) -> Result<i64, Error> {
    match de.token()? {
        Token::Unsigned(n) => {
            i64::try_from(n).map_err(|_| de.err("invalid value: integer out of range"))
        }
        Token::Signed(n) => Ok(n),
        other => Err(invalid_type(de, &other, "i64")),
    }
}

/// The submission's `custom` object: id → value; a repeated key keeps its last value.
pub(super) fn custom_values(de: &mut De<'_>) -> Result<BTreeMap<String, CustomValue>, Error> {
    map(de, custom_value)
}

/// One custom value, as `CustomValue`'s own `Deserialize` takes it.
fn custom_value(de: &mut De<'_>) -> Result<CustomValue, Error> {
    de.ws();
    if de.peek() == Some(b'[') {
        return list(de, string).map(CustomValue::List);
    }
    match de.token()? {
        Token::Str(s) => Ok(CustomValue::Text(s.into_owned())),
        Token::Bool(b) => Ok(CustomValue::Flag(b)),
        Token::Unsigned(n) => i64::try_from(n)
            .map(CustomValue::Number)
            .map_err(|_| de.err("invalid value: integer out of range")),
        Token::Signed(n) => Ok(CustomValue::Number(n)),
        other => Err(invalid_type(de, &other, crate::custom::value::EXPECTED)),
    }
}

pub(super) fn read_custom_field(de: &mut De<'_>) -> Result<CustomField, Error> {
    const NAMES: [&str; 11] = [
        "id",
        "type",
        "required",
        "label",
        "help",
        "min_chars",
        "max_chars",
        "pattern",
        "options",
        "min",
        "max",
    ];
    let mut f = CustomField {
        id: String::new(),
        kind: CustomKind::Text,
        required: false,
        label: BTreeMap::new(),
        help: BTreeMap::new(),
        min_chars: None,
        max_chars: None,
        pattern: None,
        options: Vec::new(),
        min: None,
        max: None,
    };
    let size = |de: &mut De<'_>| optional(de, |de| unsigned(de, usize::MAX as u64));
    fields(de, "CustomField", &NAMES, 0b1011, |de, i| {
        match i {
            0 => f.id = string(de)?,
            1 => f.kind = CustomKind::ALL[variant(de, &CustomKind::ALL.map(CustomKind::as_str))?],
            2 => f.required = boolean(de)?,
            3 => f.label = strings(de)?,
            4 => f.help = strings(de)?,
            5 => f.min_chars = size(de)?.map(|n| n as usize),
            6 => f.max_chars = size(de)?.map(|n| n as usize),
            7 => f.pattern = optional(de, string)?,
            8 => f.options = list(de, read_custom_option)?,
            9 => f.min = optional(de, integer)?,
            _ => f.max = optional(de, integer)?,
        }
        Ok(())
    })?;
    Ok(f)
}

fn read_custom_option(de: &mut De<'_>) -> Result<CustomOption, Error> {
    let mut o = CustomOption {
        value: String::new(),
        label: BTreeMap::new(),
    };
    fields(de, "CustomOption", &["value", "label"], 0b11, |de, i| {
        match i {
            0 => o.value = string(de)?,
            _ => o.label = strings(de)?,
        }
        Ok(())
    })?;
    Ok(o)
}
