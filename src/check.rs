//! One field on its own: what the CLI's `check` and the browser's `validateField` answer.
//!
//! ```
//! use signup_guard::check::{check_field, FieldContext};
//! use signup_guard::Field;
//! let v = check_field(Field::Email, " Jane.Doe@GMAIL.COM ", &FieldContext::default());
//! assert!(v.ok);
//! assert_eq!(v.normalized.as_deref(), Some("Jane.Doe@gmail.com"));
//! ```

use crate::fields::{self, Value};
use crate::issue::{Code, Field, Issue};
use crate::messages;
use crate::policy::Policy;
use crate::Country;
use crate::PhoneType;
use serde::{Deserialize, Serialize};

/// The context a single field is checked in.
#[derive(Debug, Clone, Default)]
pub struct FieldContext {
    /// The person's country: the default region for phone numbers.
    pub country: Option<Country>,
    /// The locale for messages (negotiated; English by default).
    pub locale: Option<String>,
    /// The policy: phone types accepted and name length limits.
    pub policy: Policy,
}

/// The answer for one value of one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldVerdict {
    /// The value as given.
    pub input: String,
    /// True when no issue is an error.
    pub ok: bool,
    /// The stored form (E.164 for phones, stored address for emails).
    pub normalized: Option<String>,
    /// The form to show the person (international phone format, U-label email).
    pub display: Option<String>,
    /// The deduplication key (emails and phones).
    pub key: Option<String>,
    /// The line type, for phones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_type: Option<PhoneType>,
    /// The region a phone number belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Every error and warning, messages rendered.
    pub issues: Vec<Issue>,
}

impl FieldVerdict {
    /// A refusal of `input` as a whole with one code (text that is not Unicode, a line that is
    /// not JSON), its message rendered for `locale`: how the CLI and the browser answer it alike.
    pub fn refuse(field: Field, input: &str, code: Code, locale: &str) -> FieldVerdict {
        let mut issue = Issue::new(field, code);
        issue.render(messages::negotiate(locale));
        FieldVerdict {
            input: input.to_owned(),
            ok: false,
            normalized: None,
            display: None,
            key: None,
            phone_type: None,
            region: None,
            issues: vec![issue],
        }
    }
}

/// Output values of one checked field: (normalized, display, key, phone type, region).
type Forms = (
    String,
    String,
    Option<String>,
    Option<PhoneType>,
    Option<String>,
);

/// The output columns of a checked value.
fn forms(value: Value) -> Forms {
    match value {
        Value::Email(e) => (
            e.stored().to_owned(),
            e.display().to_owned(),
            Some(e.key().to_owned()),
            None,
            None,
        ),
        Value::Phone(p) => {
            let e164 = p.e164().to_owned();
            (
                e164.clone(),
                p.international().to_owned(),
                Some(e164),
                Some(p.kind()),
                Some(p.region().to_string()),
            )
        }
        Value::Name(n) => (
            n.as_str().to_owned(),
            n.as_str().to_owned(),
            None,
            None,
            None,
        ),
        Value::Country(c) => (c.to_string(), c.to_string(), None, None, None),
    }
}

/// Checks `value` as `field` with the context's policy limits (the same rules as
/// [`crate::validate_with`], through [`crate::fields::check`]).
pub fn check_field(field: Field, value: &str, ctx: &FieldContext) -> FieldVerdict {
    let locale = messages::negotiate(ctx.locale.as_deref().unwrap_or("en"));
    let (out, mut issues) = if value.trim_matches(crate::hygiene::is_trimmable).is_empty() {
        (None, vec![Issue::new(field, Code::InputRequired)])
    } else {
        let checked = fields::check(field, value, &ctx.policy, ctx.country);
        (checked.value.map(forms), checked.issues)
    };
    for issue in &mut issues {
        issue.render(locale);
    }
    let ok = out.is_some() && !issues.iter().any(Issue::is_error);
    let (normalized, display, key, phone_type, region) = match out {
        Some((n, d, k, t, r)) if ok => (Some(n), Some(d), k, t, r),
        _ => (None, None, None, None, None),
    };
    FieldVerdict {
        input: value.to_owned(),
        ok,
        normalized,
        display,
        key,
        phone_type,
        region,
        issues,
    }
}
