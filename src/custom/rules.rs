//! The value of one custom field against its definition: kind by kind, the normalized value to
//! store or the issues, each on [`Field::Custom`] with the field's `id` (`field`) and its label in
//! the locale (`label`) as parameters, so a face can put the message beside the right input.
//!
//! ```
//! use signup_guard::custom::{rules, CustomValue};
//! use signup_guard::{Code, Policy};
//! let p = Policy::from_json(r#"{"id":"p","version":"1","custom_fields":[
//!   {"id":"seats","type":"number","min":1,"max":50,"label":{"en":"Seats"}}]}"#).unwrap();
//! let seats = &p.custom_fields[0];
//! let ok = rules::check(seats, Some(&CustomValue::Text(" 12 ".into())), "en");
//! assert_eq!(ok.value, Some(Some(CustomValue::Number(12))));
//! let big = rules::check(seats, Some(&CustomValue::Number(51)), "en");
//! assert_eq!(big.issues[0].code, Code::CustomTooLarge);
//! ```

use super::{CustomField, CustomKind, CustomValue, Pattern};
use crate::hygiene;
use crate::issue::{decimal, signed, Checked, Code, Field, Issue};
use crate::unicode::services;

/// Checks `value` (absent, or as sent) for `field`; the value is `Some(None)` when the field is
/// empty and may be.
pub fn check(
    field: &CustomField,
    value: Option<&CustomValue>,
    locale: &str,
) -> Checked<Option<CustomValue>> {
    let issue = |code: Code| {
        Issue::new(Field::Custom, code)
            .with_param("field", &field.id)
            .with_param("label", field.label_for(locale))
    };
    let result = match value.filter(|v| !is_empty(v)) {
        None if field.required => Err(issue(Code::CustomRequired)),
        None => Ok(None),
        Some(v) => kind(field, v).map(Some).map_err(|mut fault| {
            let mut full = issue(fault.code);
            full.params.0.append(&mut fault.params.0);
            full
        }),
    };
    match result {
        Ok(v) => Checked {
            value: Some(v),
            issues: Vec::new(),
        },
        Err(issue) => Checked::error(issue),
    }
}

/// Nothing there: blank text, no option, an unticked box.
fn is_empty(value: &CustomValue) -> bool {
    match value {
        CustomValue::Text(s) => s.trim_matches(hygiene::is_trimmable).is_empty(),
        CustomValue::List(items) => items
            .iter()
            .all(|s| s.trim_matches(hygiene::is_trimmable).is_empty()),
        CustomValue::Flag(b) => !b,
        CustomValue::Number(_) => false,
    }
}

/// A fault before the field's own parameters are added.
fn fault(code: Code) -> Issue {
    Issue::new(Field::Custom, code)
}

fn text(value: &CustomValue) -> Result<&str, Issue> {
    match value {
        CustomValue::Text(s) => hygiene::clean(s, Field::Custom),
        _ => Err(fault(Code::CustomInvalid)),
    }
}

/// The first characters of what was sent, for a message.
fn quote(s: &str) -> String {
    s.chars().take(40).collect()
}

fn kind(field: &CustomField, value: &CustomValue) -> Result<CustomValue, Issue> {
    match field.kind {
        CustomKind::Text => {
            let clean = text(value)?;
            let normal = services()
                .nfc(clean)
                .split(char::is_whitespace)
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let n = normal.chars().count();
            if n > field.max_len() {
                return Err(fault(Code::CustomTooLong).with_param("max", decimal(field.max_len())));
            }
            if let Some(min) = field.min_chars.filter(|&m| n < m) {
                return Err(fault(Code::CustomTooShort).with_param("min", decimal(min)));
            }
            if let Some(p) = &field.pattern {
                if !Pattern::parse(p).is_ok_and(|p| p.is_match(&normal)) {
                    return Err(fault(Code::CustomPattern));
                }
            }
            Ok(CustomValue::Text(normal))
        }
        CustomKind::Select => {
            let v = text(value)?;
            option(field, v).map(CustomValue::Text)
        }
        CustomKind::MultiSelect => {
            let items = match value {
                CustomValue::List(items) => items.clone(),
                CustomValue::Text(s) => vec![s.clone()],
                _ => return Err(fault(Code::CustomInvalid)),
            };
            let mut chosen = Vec::new();
            for item in &items {
                let v = hygiene::clean(item, Field::Custom)?;
                if !v.is_empty() {
                    chosen.push(option(field, v)?);
                }
            }
            // Stored in the policy's order, each once.
            let ordered = field.options.iter().map(|o| &o.value);
            Ok(CustomValue::List(
                ordered.filter(|o| chosen.contains(o)).cloned().collect(),
            ))
        }
        CustomKind::Checkbox => match value {
            CustomValue::Flag(b) => Ok(CustomValue::Flag(*b)),
            CustomValue::Text(s) => match text(value)? {
                "true" | "on" | "yes" | "1" => Ok(CustomValue::Flag(true)),
                "false" | "off" | "no" | "0" => Ok(CustomValue::Flag(false)),
                _ => Err(fault(Code::CustomInvalid).with_param("value", quote(s))),
            },
            _ => Err(fault(Code::CustomInvalid)),
        },
        CustomKind::Number => {
            let n = match value {
                CustomValue::Number(n) => *n,
                CustomValue::Text(_) => {
                    let s = text(value)?;
                    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
                    if digits.is_empty()
                        || digits.len() > 15
                        || !digits.bytes().all(|b| b.is_ascii_digit())
                    {
                        return Err(fault(Code::CustomNotANumber).with_param("value", quote(s)));
                    }
                    s.parse::<i64>()
                        .map_err(|_| fault(Code::CustomNotANumber).with_param("value", quote(s)))?
                }
                _ => return Err(fault(Code::CustomNotANumber)),
            };
            if let Some(min) = field.min.filter(|&m| n < m) {
                return Err(fault(Code::CustomTooSmall).with_param("min", signed(min)));
            }
            if let Some(max) = field.max.filter(|&m| n > m) {
                return Err(fault(Code::CustomTooLarge).with_param("max", signed(max)));
            }
            Ok(CustomValue::Number(n))
        }
        CustomKind::Date => {
            let s = text(value)?;
            if is_date(s) {
                Ok(CustomValue::Text(s.to_owned()))
            } else {
                Err(fault(Code::CustomNotADate).with_param("value", quote(s)))
            }
        }
        CustomKind::Url => {
            let s = text(value)?;
            if s.chars().count() > field.max_len() {
                return Err(fault(Code::CustomTooLong).with_param("max", decimal(field.max_len())));
            }
            url(s).ok_or_else(|| fault(Code::CustomNotAUrl).with_param("value", quote(s)))
        }
    }
}

/// The option whose value is `v`.
fn option(field: &CustomField, v: &str) -> Result<String, Issue> {
    match field.options.iter().find(|o| o.value == v) {
        Some(o) => Ok(o.value.clone()),
        None => Err(fault(Code::CustomNotAnOption).with_param("value", quote(v))),
    }
}

/// `YYYY-MM-DD`, a real day of the proleptic Gregorian calendar, years 1000 to 9999.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    y >= 1000 && (1..=days).contains(&d)
}

/// An `http`/`https` address with a dotted host name and no spaces, the scheme and the host's
/// ASCII letters lowered (no Unicode case tables in the page: other letters stay as typed);
/// no user name or password (`user@host`), which is a phishing pattern.
pub fn url(s: &str) -> Option<CustomValue> {
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if s.chars()
        .any(|c| c.is_whitespace() || c.is_control() || hygiene::is_invisible(c))
    {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.len() <= 5 => {
            port.bytes().all(|b| b.is_ascii_digit()).then_some(h)?
        }
        Some(_) => return None,
        None => authority,
    };
    let labels_ok = host.split('.').all(|l| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || !c.is_ascii())
    });
    if !host.contains('.') || !labels_ok {
        return None;
    }
    Some(CustomValue::Text(format!(
        "{scheme}://{}{tail}",
        authority.to_ascii_lowercase()
    )))
}
