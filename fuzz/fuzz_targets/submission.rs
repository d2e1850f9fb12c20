//! A whole Submission JSON: `Submission::from_json`, then `validate_with` against the default
//! policy and against the acme-news test policy. Every verdict is well formed (see
//! `common::assert_verdict`), the submission's JSON round-trips, and an accepted contact's
//! normalized values, submitted again, are accepted with the same contact. Without consent,
//! each field's issues are exactly what `check_field` (the browser's `validateField`, the CLI's
//! `check`) answers for that value: the form shows on blur what it refuses on submit.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signup_guard::check::{check_field, FieldContext};
use signup_guard::fields::country;
use signup_guard::hygiene::is_trimmable;
use signup_guard::{validate_with, Contact, Field, Policy, Submission, Verdict};
use std::sync::OnceLock;

const ACME: &str = include_str!("../../tests/vectors/policies/acme-news.json");

fn policies() -> &'static [(&'static str, Policy)] {
    static POLICIES: OnceLock<Vec<(&'static str, Policy)>> = OnceLock::new();
    POLICIES.get_or_init(|| {
        let acme = Policy::from_json(ACME).expect("the acme-news test policy loads");
        vec![("default", Policy::default()), ("acme-news", acme)]
    })
}

/// The submission a form would send back with `contact`'s stored values.
fn resubmission(original: &Submission, contact: &Contact) -> Submission {
    let phone = contact
        .phone_e164
        .as_ref()
        .map(|e164| match &contact.phone_extension {
            Some(ext) => format!("{e164} ext. {ext}"),
            None => e164.clone(),
        });
    Submission {
        email: contact.email.clone(),
        phone,
        given_name: contact.given_name.clone(),
        family_name: contact.family_name.clone(),
        country: contact.country.clone(),
        locale: original.locale.clone(),
        consent: original.consent.clone(),
        custom: contact.custom.clone(),
        // Cleaning a cleaned source keeps it as it is.
        source: contact.source.clone(),
    }
}

/// Each present field's verdict issues equal `check_field`'s for the same value and context.
fn assert_fields_agree(name: &str, submission: &Submission, policy: &Policy, verdict: &Verdict) {
    let ctx = FieldContext {
        country: submission
            .country
            .as_deref()
            .and_then(|c| country::parse(c).value),
        locale: submission.locale.clone(),
        policy: policy.clone(),
    };
    let values = [
        (Field::Email, &submission.email),
        (Field::Phone, &submission.phone),
        (Field::GivenName, &submission.given_name),
        (Field::FamilyName, &submission.family_name),
        (Field::Country, &submission.country),
    ];
    for (field, value) in values {
        let Some(value) = value.as_deref() else {
            continue;
        };
        if value.trim_matches(is_trimmable).is_empty() {
            continue; // absent for the form, `input.required` for a single field
        }
        let alone = check_field(field, value, &ctx);
        let within: Vec<_> = verdict.issues.iter().filter(|i| i.field == field).collect();
        let alone_issues: Vec<_> = alone.issues.iter().collect();
        assert_eq!(
            alone_issues, within,
            "{name}: check_field({field:?}, {value:?}) disagrees with validate_with"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(submission) = Submission::from_json(json) else {
        return;
    };
    let wire = serde_json::to_string(&submission).expect("a submission serializes");
    let back = Submission::from_json(&wire).expect("a serialized submission reads back");
    assert_eq!(
        back, submission,
        "submission JSON does not round-trip: {wire}"
    );

    for (name, policy) in policies() {
        let verdict = validate_with(&submission, policy);
        common::assert_verdict(name, &verdict);
        if submission.consent.is_none() {
            assert_fields_agree(name, &submission, policy, &verdict);
        }
        let Some(contact) = &verdict.contact else {
            continue;
        };
        let again = resubmission(&submission, contact);
        let second = validate_with(&again, policy);
        assert!(
            second.ok,
            "{name}: the accepted contact {contact:?} is refused when sent again as {again:?}: {:?}",
            second.issues
        );
        assert_eq!(
            second.contact.as_ref(),
            Some(contact),
            "{name}: contact changes on re-validation"
        );
    }
});
