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
//!
//! The JS runner (`tests/browser/vectors.test.mjs`, the shipped `pkg/` in Node and Chromium)
//! compares with no rules of its own: it asks for the native answers, checked here, and wants
//! the very same JSON from the browser (`SG_VECTOR_ANSWERS=path cargo test --test vectors` writes
//! them), so there is one comparison and browser = server on every vector.

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

/// Every case of a field file with the native answer, as the JSON every face sends.
fn field_answers(file: &str, default_field: Field) -> Vec<(FieldCase, Value)> {
    let cases: Vec<FieldCase> = read(file);
    cases
        .into_iter()
        .map(|case| {
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
            (case, got)
        })
        .collect()
}

fn run_field_file(file: &str, default_field: Field, min_cases: usize) {
    let answers = field_answers(file, default_field);
    assert!(
        answers.len() >= min_cases,
        "{file}: {} cases, want at least {min_cases}",
        answers.len()
    );
    let mut failures = Vec::new();
    for (i, (case, got)) in answers.iter().enumerate() {
        assert!(!case.note.trim().is_empty(), "{file} case {i} has no note");
        let bad = field_mismatches(&case.expect, got);
        if !bad.is_empty() {
            failures.push(format!(
                "{file}[{i}] {:?} ({}): {}",
                case.input,
                case.note,
                bad.join("; ")
            ));
        }
    }
    report(file, answers.len(), failures);
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

/// Every submission case with the native verdict, as JSON.
fn submission_answers() -> Vec<(SubmissionCase, Value)> {
    let cases: Vec<SubmissionCase> = read("submission.json");
    cases
        .into_iter()
        .map(|case| {
            let policy = load_policy(case.policy.as_deref());
            let verdict = match Submission::from_json(&case.submission.to_string()) {
                Ok(sub) => validate_with(&sub, &policy),
                Err(e) => e.verdict("en"),
            };
            let got = serde_json::to_value(&verdict).unwrap();
            (case, got)
        })
        .collect()
}

#[test]
fn submission_vectors() {
    let answers = submission_answers();
    assert!(answers.len() >= 10, "submission.json: too few cases");
    let mut failures = Vec::new();
    for (i, (case, got)) in answers.iter().enumerate() {
        assert!(
            !case.note.trim().is_empty(),
            "submission case {i} has no note"
        );
        let bad = submission_mismatches(&case.expect, got);
        if !bad.is_empty() {
            failures.push(format!(
                "submission[{i}] ({}): {}",
                case.note,
                bad.join("; ")
            ));
        }
    }
    report("submission.json", answers.len(), failures);
}

/// The Unicode properties the browser build asks of the browser instead of carrying Rust's tables
/// (`signup_guard::unicode::{is_alphabetic, is_numeric, to_lowercase}`), as Rust has them: the
/// ranges of Alphabetic and of General_Category N, and every character's lowercase that is not
/// itself. The JS runner checks that the browser agrees on every character it knows.
fn unicode_properties() -> Value {
    let ranges = |has: fn(char) -> bool| {
        let mut out: Vec<[u32; 2]> = Vec::new();
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| has(c))
        {
            let u = u32::from(c);
            match out.last_mut() {
                Some(r) if r[1] + 1 == u => r[1] = u,
                _ => out.push([u, u]),
            }
        }
        out
    };
    let lower: Vec<(u32, String)> = (0..=0x10FFFF)
        .filter_map(char::from_u32)
        .filter_map(|c| {
            let l: String = c.to_lowercase().collect();
            (l != c.to_string()).then(|| (u32::from(c), l))
        })
        .collect();
    // The module's own path too: a name of one character twice, every 53rd code point (the
    // name rules ask Alphabetic, numbers, marks and scripts of it), with the native verdict's
    // codes.
    let names: Vec<(String, Vec<&str>)> = (0x80..=0x10FFFF)
        .step_by(53)
        .filter_map(char::from_u32)
        .map(|c| {
            let name = [c, c].iter().collect::<String>();
            let v = check_field(Field::GivenName, &name, &FieldContext::default());
            let codes = v.issues.iter().map(|i| i.code.as_str()).collect();
            (name, codes)
        })
        .collect();
    serde_json::json!({
        "alphabetic": ranges(char::is_alphabetic),
        "numeric": ranges(char::is_numeric),
        "lower": lower,
        "names": names,
    })
}

/// With `SG_VECTOR_ANSWERS=path`, writes every native answer there, by file, in case order: what
/// the JS runner wants from the browser build, byte for byte (the answers are checked above).
#[test]
fn answers_for_the_js_runner() {
    let Some(path) = std::env::var_os("SG_VECTOR_ANSWERS") else {
        return;
    };
    let field = |file, default| {
        Value::Array(
            field_answers(file, default)
                .into_iter()
                .map(|(_, v)| v)
                .collect(),
        )
    };
    let all = serde_json::json!({
        "email.json": field("email.json", Field::Email),
        "phone.json": field("phone.json", Field::Phone),
        "name.json": field("name.json", Field::GivenName),
        "country.json": field("country.json", Field::Country),
        "submission.json": submission_answers().into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "unicode": unicode_properties(),
    });
    std::fs::write(&path, all.to_string()).expect("write SG_VECTOR_ANSWERS");
}
