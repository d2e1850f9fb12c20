//! The two documents the browser reads, Submission and Policy, built from tokens by hand. Each
//! step is the one serde's derive (with `deny_unknown_fields`) takes over `serde_json`, in the
//! same order, so the first fault found is the same one and has the same code:
//!
//! - a struct is an object whose keys are read in order: an unknown key is refused at once
//!   (before its value), a key seen twice is refused, each value must have the field's type, and
//!   after the `}` a field without a default must have been there; serde's derive also takes a
//!   struct as an array of its fields in order (defaults for a short one), and so does this;
//! - `null` is an absent `Option`; a map keeps the last of repeated keys; integers must fit;
//! - unit enums are their name (`"sms"`) or `{"sms": null}`.
//!
//! Native tests read the shared vectors, odd documents and generated ones with this and with
//! `serde_json` and compare (`tests.rs`); the derive stays the one description of the shapes.

use super::de::{De, Token};
use super::Error;
use crate::policy::Policy;
use crate::source::Source;
use crate::submission::{ConsentClaim, Submission};
use std::collections::BTreeMap;

mod custom;
mod policy;
use custom::custom_values;
use policy::read_policy;
#[cfg(test)]
pub(super) use policy::CHANNELS;

/// Reads one Submission document.
pub(crate) fn submission(text: &str) -> Result<Submission, Error> {
    let mut de = De::new(text);
    let value = read_submission(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Reads one Policy document (its shape only; `Policy::from_json` checks the rest).
pub(crate) fn policy(text: &str) -> Result<Policy, Error> {
    let mut de = De::new(text);
    let value = read_policy(&mut de)?;
    de.end()?;
    Ok(value)
}

fn what(token: &Token<'_>) -> &'static str {
    match token {
        Token::Null => "null",
        Token::Bool(_) => "a boolean",
        Token::Unsigned(_) | Token::Signed(_) => "an integer",
        Token::Float => "floating point",
        Token::Str(_) => "a string",
        Token::Array => "a sequence",
        Token::Object => "a map",
    }
}

fn invalid_type(de: &De<'_>, token: &Token<'_>, expected: &str) -> Error {
    de.err(&format!(
        "invalid type: {}, expected {expected}",
        what(token)
    ))
}

fn string(de: &mut De<'_>) -> Result<String, Error> {
    match de.token()? {
        Token::Str(s) => Ok(s.into_owned()),
        other => Err(invalid_type(de, &other, "a string")),
    }
}

fn boolean(de: &mut De<'_>) -> Result<bool, Error> {
    match de.token()? {
        Token::Bool(b) => Ok(b),
        other => Err(invalid_type(de, &other, "a boolean")),
    }
}

/// An unsigned integer up to `max` (`u32`, `usize`).
fn unsigned(de: &mut De<'_>, max: u64) -> Result<u64, Error> {
    match de.token()? {
        Token::Unsigned(n) if n <= max => Ok(n),
        Token::Unsigned(_) | Token::Signed(_) => Err(de.err("invalid value: integer out of range")),
        other => Err(invalid_type(de, &other, "an unsigned integer")),
    }
}

fn optional<T>(
    de: &mut De<'_>,
    read: impl FnOnce(&mut De<'_>) -> Result<T, Error>,
) -> Result<Option<T>, Error> {
    de.ws();
    if de.peek() == Some(b'n') {
        de.literal("null")?;
        return Ok(None);
    }
    read(de).map(Some)
}

fn list<T>(
    de: &mut De<'_>,
    mut read: impl FnMut(&mut De<'_>) -> Result<T, Error>,
) -> Result<Vec<T>, Error> {
    match de.token()? {
        Token::Array => {}
        other => return Err(invalid_type(de, &other, "a sequence")),
    }
    let mut out = Vec::new();
    let mut first = true;
    while de.next_item(b']', &mut first)? {
        out.push(read(de)?);
    }
    de.close(b']')?;
    Ok(out)
}

/// A map with string keys, each value read by `read`; a repeated key keeps its last value.
fn map<T>(
    de: &mut De<'_>,
    mut read: impl FnMut(&mut De<'_>) -> Result<T, Error>,
) -> Result<BTreeMap<String, T>, Error> {
    match de.token()? {
        Token::Object => {}
        other => return Err(invalid_type(de, &other, "a map")),
    }
    let mut out = BTreeMap::new();
    let mut first = true;
    while de.next_item(b'}', &mut first)? {
        let key = key(de)?;
        de.expect(b':', "expected `:`")?;
        out.insert(key, read(de)?);
    }
    de.close(b'}')?;
    Ok(out)
}

/// A map of strings; a repeated key keeps its last value.
fn strings(de: &mut De<'_>) -> Result<BTreeMap<String, String>, Error> {
    map(de, string)
}

fn key(de: &mut De<'_>) -> Result<String, Error> {
    if de.peek() != Some(b'"') {
        return Err(de.err("key must be a string"));
    }
    Ok(de.string()?.into_owned())
}

/// A unit variant: its index in `names`.
fn variant(de: &mut De<'_>, names: &[&str]) -> Result<usize, Error> {
    de.ws();
    let wrapped = match de.peek() {
        Some(b'"') => false,
        Some(b'{') => {
            de.token()?;
            de.ws();
            true
        }
        _ => return Err(de.err("expected value")),
    };
    let name = key(de)?;
    let Some(i) = names.iter().position(|n| *n == name) else {
        return Err(de.err(&format!("unknown variant `{name}`")));
    };
    if wrapped {
        de.expect(b':', "expected `:`")?;
        match de.token()? {
            Token::Null => {}
            other => return Err(invalid_type(de, &other, "unit variant")),
        }
        de.close(b'}')?;
    }
    Ok(i)
}

/// A struct of `names`: an object of those keys, each once, or an array of them in order.
/// `read(de, i)` reads field `i`; the fields in `required` (a bit per field) must be there.
fn fields(
    de: &mut De<'_>,
    name: &str,
    names: &[&str],
    required: u32,
    mut read: impl FnMut(&mut De<'_>, usize) -> Result<(), Error>,
) -> Result<(), Error> {
    let object = match de.token()? {
        Token::Object => true,
        Token::Array => false,
        other => return Err(invalid_type(de, &other, &format!("struct {name}"))),
    };
    let mut seen = 0u32;
    let mut first = true;
    if object {
        while de.next_item(b'}', &mut first)? {
            let key = key(de)?;
            let Some(i) = names.iter().position(|n| *n == key) else {
                return Err(de.err(&format!("unknown field `{key}`")));
            };
            if seen & (1 << i) != 0 {
                return Err(de.err(&format!("duplicate field `{key}`")));
            }
            seen |= 1 << i;
            de.expect(b':', "expected `:`")?;
            read(de, i)?;
        }
        de.close(b'}')?;
        if let Some(i) = (0..names.len()).find(|i| required & !seen & (1 << i) != 0) {
            return Err(de.err(&format!("missing field `{}`", names[i])));
        }
    } else {
        for i in 0..names.len() {
            if !de.next_item(b']', &mut first)? {
                if required >> i != 0 {
                    return Err(de.err(&format!("invalid length {i}, expected struct {name}")));
                }
                break;
            }
            read(de, i)?;
        }
        de.close(b']')?;
    }
    Ok(())
}

fn read_submission(de: &mut De<'_>) -> Result<Submission, Error> {
    const NAMES: [&str; 9] = [
        "email",
        "phone",
        "given_name",
        "family_name",
        "country",
        "locale",
        "consent",
        "custom",
        "source",
    ];
    let mut s = Submission::default();
    fields(de, "Submission", &NAMES, 0, |de, i| {
        let slot = match i {
            0 => &mut s.email,
            1 => &mut s.phone,
            2 => &mut s.given_name,
            3 => &mut s.family_name,
            4 => &mut s.country,
            5 => &mut s.locale,
            6 => {
                s.consent = optional(de, read_consent)?;
                return Ok(());
            }
            7 => {
                s.custom = custom_values(de)?;
                return Ok(());
            }
            _ => {
                s.source = optional(de, read_source)?;
                return Ok(());
            }
        };
        *slot = optional(de, string)?;
        Ok(())
    })?;
    Ok(s)
}

fn read_consent(de: &mut De<'_>) -> Result<ConsentClaim, Error> {
    const NAMES: [&str; 5] = [
        "policy_id",
        "policy_version",
        "granted",
        "shown",
        "collected_at",
    ];
    let mut c = ConsentClaim::default();
    fields(de, "ConsentClaim", &NAMES, 0, |de, i| {
        match i {
            0 => c.policy_id = string(de)?,
            1 => c.policy_version = string(de)?,
            2 => c.granted = list(de, string)?,
            3 => c.shown = strings(de)?,
            _ => c.collected_at = optional(de, string)?,
        }
        Ok(())
    })?;
    Ok(c)
}

fn read_source(de: &mut De<'_>) -> Result<Source, Error> {
    let mut s = Source::default();
    fields(de, "Source", &crate::source::KEYS, 0, |de, i| {
        *s.slot(i) = optional(de, string)?;
        Ok(())
    })?;
    Ok(s)
}
