//! Issues: what is wrong with a value, as data.
//!
//! An [`Issue`] is a stable machine [`Code`] (`"email.tld_unknown"`), the [`Field`] it belongs to,
//! a [`Severity`], ordered `params` that fill the localized message, and an optional suggestion.
//! Words live in the message catalogues ([`crate::messages`]); faces render them for a locale.
//!
//! ```
//! use signup_guard::{Code, Field, Issue, Severity};
//! let issue = Issue::new(Field::Email, Code::EmailTldUnknown).with_param("tld", "con");
//! assert_eq!(issue.code.as_str(), "email.tld_unknown");
//! assert_eq!(issue.severity, Severity::Error);
//! ```

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The form field an issue belongs to, in form order (the order issues are reported in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The submission as a whole (malformed JSON, unknown keys, bot checks).
    Submission,
    /// The email address.
    Email,
    /// The phone number.
    Phone,
    /// The given name (or the only name, for people with one name).
    GivenName,
    /// The family name.
    FamilyName,
    /// The ISO 3166-1 country.
    Country,
    /// A field the policy defines (`custom_fields`); the issue's `field` parameter names which.
    Custom,
    /// The consent block (purposes granted, texts shown).
    Consent,
}

impl Field {
    /// The wire name of the field (`"given_name"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Field::Submission => "submission",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::GivenName => "given_name",
            Field::FamilyName => "family_name",
            Field::Country => "country",
            Field::Custom => "custom",
            Field::Consent => "consent",
        }
    }
}

/// Whether an issue blocks the submission or only advises the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The value is refused; the form must not be stored as it is.
    Error,
    /// The value is accepted, but the person may want to look again (typo, role account…).
    Warning,
}

mod code;
pub use code::Code;

/// `n` in decimal, for a message parameter. Parameters are text; `to_string` and `format!` on a
/// number would pull the formatting machinery into the browser's module (about 1 KB brotli).
pub(crate) fn decimal(n: usize) -> String {
    decimal_u64(n as u64)
}

/// A signed `n` in decimal, as [`decimal`].
pub(crate) fn signed(n: i64) -> String {
    let digits = decimal_u64(n.unsigned_abs());
    if n < 0 {
        ["-", &digits].concat()
    } else {
        digits
    }
}

fn decimal_u64(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&d| char::from(d)).collect()
}

/// `c` as `U+XXXX` (four hex digits at least, upper case): how messages name a character that
/// cannot be shown (control, invisible). Without `format!`, as [`decimal`].
pub(crate) fn code_point(c: char) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let n = c as u32;
    let mut out = String::from("U+");
    let width = (n.max(0xFFFF).ilog2() / 4 + 1) as i32;
    for shift in (0..width).rev() {
        out.push(char::from(DIGITS[((n >> (shift * 4)) & 0xF) as usize]));
    }
    out
}

/// Ordered message parameters (`{"tld": "con"}`), serialized as a JSON object in insertion order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// The value of parameter `key`, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    /// Whether no parameter is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Params {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Params;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Params, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, String>()? {
                    out.push((k, v));
                }
                Ok(Params(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// One problem (or advice) about one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// The field it belongs to.
    pub field: Field,
    /// The stable code.
    pub code: Code,
    /// Error (blocks) or warning (advises); always `code.severity()`.
    pub severity: Severity,
    /// Values that fill the message's `{placeholders}`.
    #[serde(default)]
    pub params: Params,
    /// A corrected whole value the person can accept with one click.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The message rendered for the submission's locale (empty until rendered).
    #[serde(default)]
    pub message: String,
}

impl Issue {
    /// A new issue with the code's own severity, no params and no message yet.
    pub fn new(field: Field, code: Code) -> Self {
        Issue {
            field,
            code,
            severity: code.severity(),
            params: Params::default(),
            suggestion: None,
            message: String::new(),
        }
    }

    /// Adds a message parameter, as text (numbers through [`decimal`], characters that cannot
    /// be shown through [`code_point`]: not `to_string`, which would pull the formatting
    /// machinery into the browser's module).
    pub fn with_param(mut self, key: &str, value: impl Into<String>) -> Self {
        self.params.0.push((key.to_owned(), value.into()));
        self
    }

    /// Adds a list parameter (scripts, phone types): `items` joined with ", ", the one place a
    /// list becomes message text.
    pub fn with_list_param(self, key: &str, items: &[&str]) -> Self {
        let mut text = String::new();
        for item in items {
            if !text.is_empty() {
                text.push_str(", ");
            }
            text.push_str(item);
        }
        self.with_param(key, text)
    }

    /// Adds a suggested replacement value.
    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }

    /// Whether this issue blocks the submission.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The outcome of checking one field: the parsed value when no error was found, and every issue.
///
/// `value` is `Some` exactly when no issue is an error: a valid value only comes out of validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked<T> {
    /// The parsed, normalized value, present when there is no error.
    pub value: Option<T>,
    /// Every error and warning, in the order found.
    pub issues: Vec<Issue>,
}

impl<T> Checked<T> {
    /// A value with the given warnings (any error in `issues` drops the value).
    pub fn new(value: T, issues: Vec<Issue>) -> Self {
        let value = if issues.iter().any(Issue::is_error) {
            None
        } else {
            Some(value)
        };
        Checked { value, issues }
    }

    /// A refusal with one error.
    pub fn error(issue: Issue) -> Self {
        Checked {
            value: None,
            issues: vec![issue],
        }
    }

    /// A refusal with several issues.
    pub fn errors(issues: Vec<Issue>) -> Self {
        Checked {
            value: None,
            issues,
        }
    }

    /// The same issues with the value (if any) mapped by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Checked<U> {
        Checked {
            value: self.value.map(f),
            issues: self.issues,
        }
    }

    /// Whether a value came out.
    pub fn is_ok(&self) -> bool {
        self.value.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::{code_point, decimal, signed};

    #[test]
    fn numbers_and_code_points_read_as_format_would_write_them() {
        for n in [0, 7, 10, 99, 100, 254, 4096, 65_535, 1_000_001, usize::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
        for n in [0, -1, 42, -4096, i64::MAX, i64::MIN] {
            assert_eq!(signed(n), n.to_string());
        }
        for c in [
            '\0',
            '\u{7}',
            '\u{AD}',
            '\u{200B}',
            '\u{FEFF}',
            '\u{E0001}',
            '\u{10FFFF}',
        ] {
            assert_eq!(code_point(c), format!("U+{:04X}", c as u32));
        }
    }
}
