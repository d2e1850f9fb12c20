//! `validate_with`: a whole submission against a policy, every problem at once, in form order.

use crate::issue::{Checked, Code, Field, Issue};
use crate::messages;
use crate::policy::Policy;
use crate::submission::Submission;
use crate::verdict::{Contact, Verdict};
use crate::{check, consent};

/// Validates `submission` against [`Policy::default()`] (email required, no consent purposes).
pub fn validate(submission: &Submission) -> Verdict {
    validate_with(submission, &Policy::default())
}

/// The value of an optional field, or `None` when it is absent or only white space.
fn present(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .filter(|v| !v.trim_matches(crate::hygiene::is_trimmable).is_empty())
}

/// Runs `check` on a present value, or reports `input.required` when the policy needs it.
fn field<T>(
    value: Option<&str>,
    required: bool,
    f: Field,
    check: impl FnOnce(&str) -> Checked<T>,
) -> Checked<T> {
    match value {
        Some(v) => check(v),
        None if required => Checked::error(Issue::new(f, Code::InputRequired)),
        None => Checked {
            value: None,
            issues: Vec::new(),
        },
    }
}

/// Validates `submission` against `policy`: the verdict every face gives.
///
/// ```
/// use signup_guard::{validate_with, Policy, Submission};
/// let sub = Submission { email: Some(" Jane.Doe@Gmail.COM ".into()), ..Default::default() };
/// let verdict = validate_with(&sub, &Policy::default());
/// assert!(verdict.ok);
/// assert_eq!(verdict.contact.unwrap().email.as_deref(), Some("Jane.Doe@gmail.com"));
/// ```
pub fn validate_with(submission: &Submission, policy: &Policy) -> Verdict {
    let locale = messages::negotiate(submission.locale.as_deref().unwrap_or("en"));
    let rules = &policy.fields;

    let email = field(
        present(&submission.email),
        rules.email.required,
        Field::Email,
        |v| check::email(v, policy),
    );
    let country = field(
        present(&submission.country),
        rules.country.required,
        Field::Country,
        check::country,
    );
    let phone = field(
        present(&submission.phone),
        rules.phone.required,
        Field::Phone,
        |v| check::phone(v, policy, country.value),
    );
    let given = field(
        present(&submission.given_name),
        rules.given_name.required,
        Field::GivenName,
        |v| check::name(v, Field::GivenName, policy),
    );
    let family = field(
        present(&submission.family_name),
        rules.family_name.required,
        Field::FamilyName,
        |v| check::name(v, Field::FamilyName, policy),
    );
    let ctx = consent::Context {
        locale,
        email_valid: email.value.is_some(),
        phone: phone.value.as_ref(),
        email_faulty: email.value.is_none() && !email.issues.is_empty(),
        phone_faulty: phone.value.is_none() && !phone.issues.is_empty(),
    };
    let consent = consent::check(submission.consent.as_ref(), policy, ctx);
    let (custom, custom_issues) = check::custom_fields(&submission.custom, policy, locale);

    let mut issues: Vec<Issue> = [
        email.issues,
        phone.issues,
        given.issues,
        family.issues,
        country.issues,
        custom_issues,
        consent.issues,
    ]
    .into_iter()
    .flatten()
    .collect();
    // A contact is someone we can reach: even a policy that requires neither field needs one
    // (said only when nothing else is wrong, since any other error already blocks and guides).
    if email.value.is_none() && phone.value.is_none() && !issues.iter().any(Issue::is_error) {
        issues.push(Issue::new(Field::Email, Code::InputRequired));
    }
    // Form order; the consent rules may add a phone issue (SMS needs a mobile), so sort stably.
    issues.sort_by_key(|i| i.field);
    for issue in &mut issues {
        issue.render(locale);
    }
    let ok = !issues.iter().any(Issue::is_error);
    let contact = ok.then(|| Contact {
        email: email.value.as_ref().map(|e| e.stored().to_owned()),
        email_display: email.value.as_ref().map(|e| e.display().to_owned()),
        email_key: email.value.as_ref().map(|e| e.key().to_owned()),
        phone_e164: phone.value.as_ref().map(|p| p.e164().to_owned()),
        phone_type: phone.value.as_ref().map(|p| p.kind()),
        phone_display: phone.value.as_ref().map(|p| p.international().to_owned()),
        phone_extension: phone
            .value
            .as_ref()
            .and_then(|p| p.extension().map(str::to_owned)),
        given_name: given.value.map(|n| n.as_str().to_owned()),
        family_name: family.value.map(|n| n.as_str().to_owned()),
        country: country.value.map(|c| c.as_str().to_owned()),
        locale: locale.to_owned(),
        consent: consent.value.unwrap_or_default(),
        custom,
        source: submission.source.as_ref().and_then(|s| s.cleaned()),
    });
    Verdict {
        ok,
        contact,
        issues,
    }
}
