//! Runs the shared vector files in `tests/vectors/` natively. The same files run in wasm and
//! from JS (see the browser tests) with no new code: one vector file, three runners.
//!
//! Field files (`email.json`, `phone.json`, `name.json`, `country.json`) hold cases
//! `{"input", "country"?, "locale"?, "policy"?, "field"?, "expect": {...}, "note"}`; `expect` may name
//! `ok`, `normalized`, `display`, `key`, `phone_type`, `region`, `codes` (every issue code, in order),
//! `suggestion` (of the first issue that has one) and `message_contains`.
//! `submission.json` holds `{"submission", "policy"?, "expect": {"ok", "codes"?, "contact"?,
//! "message_contains"?}, "note"}`, where `contact` lists only the keys to compare and
//! `message_contains` is a piece of some issue's message (rendered in the submission's locale).

mod vector_support;

use serde::Deserialize;
use serde_json::Value;
use signup_guard::check::{check_field, FieldContext};
use signup_guard::{validate_with, Country, Field, Policy, Submission};
use std::path::Path;
use vector_support::{field_mismatches, submission_mismatches};

/// A field case; `expect` is compared by `vector_support` (which also refuses unknown keys).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldCase {
    input: String,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    policy: Option<String>,
    expect: Value,
    note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmissionCase {
    submission: Value,
    #[serde(default)]
    policy: Option<String>,
    expect: Value,
    note: String,
}

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors"))
}

fn read<T: serde::de::DeserializeOwned>(file: &str) -> T {
    let path = dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load_policy(name: Option<&str>) -> Policy {
    match name {
        None => Policy::default(),
        Some(name) => {
            let path = dir().join("policies").join(format!("{name}.json"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Policy::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        }
    }
}

fn field_named(name: &str) -> Field {
    match name {
        "email" => Field::Email,
        "phone" => Field::Phone,
        "name" | "given_name" => Field::GivenName,
        "family_name" => Field::FamilyName,
        "country" => Field::Country,
        other => panic!("unknown field {other:?}"),
    }
}

fn report(file: &str, total: usize, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{file}: {} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn run_field_file(file: &str, default_field: Field, min_cases: usize) {
    let cases: Vec<FieldCase> = read(file);
    assert!(
        cases.len() >= min_cases,
        "{file}: {} cases, want at least {min_cases}",
        cases.len()
    );
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        assert!(!case.note.trim().is_empty(), "{file} case {i} has no note");
        let ctx = FieldContext {
            country: case
                .country
                .as_deref()
                .map(|c| Country::from_code(c).expect("vector country")),
            locale: case.locale.clone(),
            policy: load_policy(case.policy.as_deref()),
        };
        let field = case
            .field
            .as_deref()
            .map(field_named)
            .unwrap_or(default_field);
        let got = serde_json::to_value(check_field(field, &case.input, &ctx)).unwrap();
        let bad = field_mismatches(&case.expect, &got);
        if !bad.is_empty() {
            failures.push(format!(
                "{file}[{i}] {:?} ({}): {}",
                case.input,
                case.note,
                bad.join("; ")
            ));
        }
    }
    report(file, cases.len(), failures);
}

#[test]
fn email_vectors() {
    run_field_file("email.json", Field::Email, 200);
}

#[test]
fn phone_vectors() {
    run_field_file("phone.json", Field::Phone, 50);
}

#[test]
fn name_vectors() {
    run_field_file("name.json", Field::GivenName, 60);
}

#[test]
fn country_vectors() {
    run_field_file("country.json", Field::Country, 10);
}

#[test]
fn submission_vectors() {
    let cases: Vec<SubmissionCase> = read("submission.json");
    assert!(cases.len() >= 10, "submission.json: too few cases");
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        assert!(
            !case.note.trim().is_empty(),
            "submission case {i} has no note"
        );
        let policy = load_policy(case.policy.as_deref());
        let verdict = match Submission::from_json(&case.submission.to_string()) {
            Ok(sub) => validate_with(&sub, &policy),
            Err(e) => e.verdict("en"),
        };
        let bad = submission_mismatches(&case.expect, &serde_json::to_value(&verdict).unwrap());
        if !bad.is_empty() {
            failures.push(format!(
                "submission[{i}] ({}): {}",
                case.note,
                bad.join("; ")
            ));
        }
    }
    report("submission.json", cases.len(), failures);
}
