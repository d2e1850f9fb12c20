//! One field on its own, under a policy: the single dispatch every face uses.
//!
//! [`field`] (and the typed [`email`], [`phone`], [`name`], [`country`] it dispatches to) is where a
//! policy's per-field limits meet the field parsers: the whole-submission [`crate::validate_with`],
//! [`check_field`] (the CLI's `check`, the browser's `validateField`) and the list audit all call
//! it, so a limit such as `fields.email.max_chars` is applied alike everywhere and the browser never
//! accepts what the server then refuses.
//!
//! ```
//! use signup_guard::check::{self, Value};
//! use signup_guard::{Field, Policy};
//! let policy = Policy::from_json(r#"{"id": "p", "version": "1",
//!     "fields": {"email": {"required": true, "max_chars": 20}}}"#).unwrap();
//! assert!(matches!(check::field(Field::Email, "ani@gmail.com", &policy, None).value, Some(Value::Email(_))));
//! assert!(check::field(Field::Email, "ani.wijaya.kusuma@gmail.com", &policy, None).value.is_none());
//! ```
//!
//! ```
//! use signup_guard::check::{check_field, FieldContext};
//! use signup_guard::Field;
//! let v = check_field(Field::Email, " Jane.Doe@GMAIL.COM ", &FieldContext::default());
//! assert!(v.ok);
//! assert_eq!(v.normalized.as_deref(), Some("Jane.Doe@gmail.com"));
//! ```

use crate::custom::CustomValue;
use crate::fields::{self, email::Email, name::Name, phone::Phone};
use crate::issue::{Checked, Code, Field, Issue};
use crate::messages;
use crate::policy::Policy;
use crate::Country;
use crate::PhoneType;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// A checked value of any contact field, as [`field`] returns it.
#[derive(Debug, Clone)]
pub enum Value {
    /// A valid email address.
    Email(Email),
    /// A valid phone number of an accepted type.
    Phone(Phone),
    /// A valid given or family name.
    Name(Name),
    /// An ISO 3166-1 country.
    Country(Country),
}

/// Checks a present `value` of `field` under `policy`; `person_country` is the person's country, the
/// phone's default region before the policy's `default_country`.
///
/// `Consent` and `Submission` are not single values, and a custom field is named by its id
/// ([`custom`]):: they are refused as unknown fields.
pub fn field(
    field: Field,
    value: &str,
    policy: &Policy,
    person_country: Option<Country>,
) -> Checked<Value> {
    match field {
        Field::Email => email(value, policy).map(Value::Email),
        Field::Phone => phone(value, policy, person_country).map(Value::Phone),
        Field::GivenName | Field::FamilyName => name(value, field, policy).map(Value::Name),
        Field::Country => country(value).map(Value::Country),
        Field::Custom | Field::Consent | Field::Submission => Checked::error(
            Issue::new(Field::Submission, Code::SubmissionUnknownField)
                .with_param("key", field.as_str()),
        ),
    }
}

/// An email address under the policy's `fields.email.max_chars` (counted on the stored form).
pub fn email(value: &str, policy: &Policy) -> Checked<Email> {
    let checked = fields::email::parse(value);
    match (policy.fields.email.max_chars, &checked.value) {
        (Some(max), Some(e)) if e.stored().chars().count() > max => Checked::error(
            Issue::new(Field::Email, Code::InputTooLong)
                .with_param("max", crate::issue::decimal(max)),
        ),
        _ => checked,
    }
}

/// A phone number in `country` (else the policy's `default_country`) of a type the policy accepts.
pub fn phone(value: &str, policy: &Policy, country: Option<Country>) -> Checked<Phone> {
    fields::phone::parse_with(
        value,
        country.or(policy.default_country),
        &policy.fields.phone.types,
    )
}

/// A given or family name under that field's `max_chars`.
pub fn name(value: &str, field: Field, policy: &Policy) -> Checked<Name> {
    let max = if field == Field::FamilyName {
        policy.fields.family_name.max_chars
    } else {
        policy.fields.given_name.max_chars
    };
    fields::name::parse(value, field, max)
}

/// The value of the policy's custom field `id` (absent or as sent), messages' labels in
/// `locale`; an id the policy does not define is refused as an unknown key (`custom.<id>`).
pub fn custom(
    id: &str,
    value: Option<&CustomValue>,
    policy: &Policy,
    locale: &str,
) -> Checked<Option<CustomValue>> {
    match policy.custom_field(id) {
        Some(f) => crate::custom::rules::check(f, value, locale),
        None => Checked::error(
            Issue::new(Field::Submission, Code::SubmissionUnknownField).with_param(
                "key",
                format!("custom.{}", id.chars().take(64).collect::<String>()),
            ),
        ),
    }
}

/// Every custom value of a submission: the policy's fields in order, then a refusal for each key
/// the policy does not define. Returns the values to store and the issues.
pub fn custom_fields(
    sent: &BTreeMap<String, CustomValue>,
    policy: &Policy,
    locale: &str,
) -> (BTreeMap<String, CustomValue>, Vec<Issue>) {
    let mut values = BTreeMap::new();
    let mut issues = Vec::new();
    for f in &policy.custom_fields {
        let checked = custom(&f.id, sent.get(&f.id), policy, locale);
        issues.extend(checked.issues);
        if let Some(Some(v)) = checked.value {
            values.insert(f.id.clone(), v);
        }
    }
    for key in sent.keys().filter(|k| policy.custom_field(k).is_none()) {
        issues.extend(custom(key, None, policy, locale).issues);
    }
    (values, issues)
}

/// An ISO 3166-1 alpha-2 country code.
pub fn country(value: &str) -> Checked<Country> {
    fields::country::parse(value)
}

/// Output values of one checked field: (normalized, display, key, phone type, region).
type Forms = (
    String,
    String,
    Option<String>,
    Option<PhoneType>,
    Option<String>,
);

/// The columns of a value stored and shown as it is (a name, a country code).
fn plain(text: &str) -> Forms {
    (text.to_owned(), text.to_owned(), None, None, None)
}

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
                Some(p.region().as_str().to_owned()),
            )
        }
        Value::Name(n) => plain(n.as_str()),
        Value::Country(c) => plain(c.as_str()),
    }
}

/// Checks `value` as `field` with the context's policy limits (the same rules as
/// [`crate::validate_with`], through [`field`]).
pub fn check_field(field: Field, value: &str, ctx: &FieldContext) -> FieldVerdict {
    check_field_in(
        field,
        value,
        &ctx.policy,
        ctx.country,
        ctx.locale.as_deref(),
    )
}

/// [`check_field`] with the context's parts borrowed: the browser checks every keystroke under
/// a policy it keeps, which it need not copy into a [`FieldContext`] each time.
pub fn check_field_in(
    field: Field,
    value: &str,
    policy: &Policy,
    country: Option<Country>,
    locale: Option<&str>,
) -> FieldVerdict {
    let locale = messages::negotiate(locale.unwrap_or("en"));
    let (out, mut issues) = if value.trim_matches(crate::hygiene::is_trimmable).is_empty() {
        (None, vec![Issue::new(field, Code::InputRequired)])
    } else {
        let checked = self::field(field, value, policy, country);
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
