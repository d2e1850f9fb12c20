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

    /// Adds a message parameter.
    pub fn with_param(mut self, key: &str, value: impl ToString) -> Self {
        self.params.0.push((key.to_owned(), value.to_string()));
        self
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
