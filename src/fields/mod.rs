//! The field rules: one module per field, each opening with its normalization rules, and the one
//! place where a policy's per-field limits meet them.
//!
//! Every face checks a present value through [`check`] (or the typed `check_*` functions it
//! dispatches to): the whole-submission [`crate::validate_with`], the single-field
//! [`crate::check::check_field`] (CLI `check`, the browser's `validateField`) and the list audit.
//! So a limit such as `fields.email.max_chars` is applied alike everywhere, and the browser never
//! accepts what the server then refuses.
//!
//! ```
//! use signup_guard::fields::{check, Value};
//! use signup_guard::{Field, Policy};
//! let policy = Policy::from_json(r#"{"id": "p", "version": "1",
//!     "fields": {"email": {"required": true, "max_chars": 20}}}"#).unwrap();
//! assert!(matches!(check(Field::Email, "ani@gmail.com", &policy, None).value, Some(Value::Email(_))));
//! assert!(check(Field::Email, "ani.wijaya.kusuma@gmail.com", &policy, None).value.is_none());
//! ```

pub mod consent;
pub mod country;
pub mod email;
pub mod name;
pub mod phone;

use crate::issue::{Checked, Code, Field, Issue};
use crate::policy::Policy;
use country::Country;
use email::Email;
use name::Name;
use phone::Phone;

/// A checked value of any contact field, as [`check`] returns it.
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

/// Checks a present `value` of `field` under `policy`; `country` is the person's country, the
/// phone's default region before the policy's `default_country`.
///
/// `Consent` and `Submission` are not single values: they are refused as unknown fields.
pub fn check(
    field: Field,
    value: &str,
    policy: &Policy,
    country: Option<Country>,
) -> Checked<Value> {
    match field {
        Field::Email => check_email(value, policy).map(Value::Email),
        Field::Phone => check_phone(value, policy, country).map(Value::Phone),
        Field::GivenName | Field::FamilyName => check_name(value, field, policy).map(Value::Name),
        Field::Country => check_country(value).map(Value::Country),
        Field::Consent | Field::Submission => Checked::error(
            Issue::new(Field::Submission, Code::SubmissionUnknownField)
                .with_param("key", field.as_str()),
        ),
    }
}

/// An email address under the policy's `fields.email.max_chars` (counted on the stored form).
pub fn check_email(value: &str, policy: &Policy) -> Checked<Email> {
    let checked = email::parse(value);
    match (policy.fields.email.max_chars, &checked.value) {
        (Some(max), Some(e)) if e.stored().chars().count() > max => {
            Checked::error(Issue::new(Field::Email, Code::InputTooLong).with_param("max", max))
        }
        _ => checked,
    }
}

/// A phone number in `country` (else the policy's `default_country`) of a type the policy accepts.
pub fn check_phone(value: &str, policy: &Policy, country: Option<Country>) -> Checked<Phone> {
    phone::parse_with(
        value,
        country.or(policy.default_country),
        &policy.fields.phone.types,
    )
}

/// A given or family name under that field's `max_chars`.
pub fn check_name(value: &str, field: Field, policy: &Policy) -> Checked<Name> {
    let max = if field == Field::FamilyName {
        policy.fields.family_name.max_chars
    } else {
        policy.fields.given_name.max_chars
    };
    name::parse(value, field, max)
}

/// An ISO 3166-1 alpha-2 country code.
pub fn check_country(value: &str) -> Checked<Country> {
    country::parse(value)
}
