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

use serde::Deserialize;
use serde_json::Value;
use signup_guard::check::{check_field, FieldContext, FieldVerdict};
use signup_guard::{validate_with, Country, Field, Policy, Submission};
use std::path::Path;

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
    expect: FieldExpect,
    note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldExpect {
    ok: bool,
    #[serde(default)]
    normalized: Option<String>,
    #[serde(default)]
    display: Option<String>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    phone_type: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    codes: Option<Vec<String>>,
    #[serde(default)]
    suggestion: Option<String>,
    #[serde(default)]
    message_contains: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmissionCase {
    submission: Value,
    #[serde(default)]
    policy: Option<String>,
    expect: SubmissionExpect,
    note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmissionExpect {
    ok: bool,
    #[serde(default)]
    codes: Option<Vec<String>>,
    #[serde(default)]
    contact: Option<serde_json::Map<String, Value>>,
    #[serde(default)]
    message_contains: Option<String>,
}

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors"))
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

fn field_mismatches(case: &FieldCase, got: &FieldVerdict) -> Vec<String> {
    let e = &case.expect;
    let mut bad = Vec::new();
    let mut cmp = |what: &str, want: &Option<String>, have: Option<&str>| {
        if let Some(w) = want {
            if Some(w.as_str()) != have {
                bad.push(format!("{what}: want {w:?}, got {have:?}"));
            }
        }
    };
    cmp("normalized", &e.normalized, got.normalized.as_deref());
    cmp("display", &e.display, got.display.as_deref());
    cmp("key", &e.key, got.key.as_deref());
    cmp(
        "phone_type",
        &e.phone_type,
        got.phone_type.map(|t| t.as_str()),
    );
    cmp("region", &e.region, got.region.as_deref());
    cmp(
        "suggestion",
        &e.suggestion,
        got.issues.iter().find_map(|i| i.suggestion.as_deref()),
    );
    if got.ok != e.ok {
        bad.push(format!("ok: want {}, got {}", e.ok, got.ok));
    }
    let codes: Vec<&str> = got.issues.iter().map(|i| i.code.as_str()).collect();
    if let Some(want) = &e.codes {
        if *want != codes {
            bad.push(format!("codes: want {want:?}, got {codes:?}"));
        }
    }
    if let Some(part) = &e.message_contains {
        if !got.issues.iter().any(|i| i.message.contains(part.as_str())) {
            bad.push(format!(
                "no message contains {part:?}: {:?}",
                got.issues.iter().map(|i| &i.message).collect::<Vec<_>>()
            ));
        }
    }
    bad
}

fn run_field_file(file: &str, default_field: Field, min_cases: usize) {
    let path = dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases: Vec<FieldCase> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
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
        let got = check_field(field, &case.input, &ctx);
        let bad = field_mismatches(case, &got);
        if !bad.is_empty() {
            failures.push(format!(
                "{file}[{i}] {:?} ({}): {}",
                case.input,
                case.note,
                bad.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
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
    let path = dir().join("submission.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases: Vec<SubmissionCase> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
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
            Err(e) => {
                if case.expect.ok
                    || case
                        .expect
                        .codes
                        .as_ref()
                        .is_some_and(|c| !c.iter().all(|c| c.starts_with("submission.")))
                {
                    failures.push(format!(
                        "submission[{i}] ({}): does not parse: {e}",
                        case.note
                    ));
                }
                continue;
            }
        };
        let mut bad = Vec::new();
        if verdict.ok != case.expect.ok {
            bad.push(format!("ok: want {}, got {}", case.expect.ok, verdict.ok));
        }
        let codes: Vec<&str> = verdict.issues.iter().map(|i| i.code.as_str()).collect();
        if let Some(want) = &case.expect.codes {
            if *want != codes {
                bad.push(format!("codes: want {want:?}, got {codes:?}"));
            }
        }
        if let Some(part) = &case.expect.message_contains {
            if !verdict
                .issues
                .iter()
                .any(|i| i.message.contains(part.as_str()))
            {
                bad.push(format!(
                    "no message contains {part:?}: {:?}",
                    verdict
                        .issues
                        .iter()
                        .map(|i| &i.message)
                        .collect::<Vec<_>>()
                ));
            }
        }
        if let Some(want) = &case.expect.contact {
            let have = serde_json::to_value(&verdict.contact).unwrap();
            for (k, v) in want {
                if have.get(k) != Some(v) {
                    bad.push(format!("contact.{k}: want {v}, got {:?}", have.get(k)));
                }
            }
        }
        if !bad.is_empty() {
            failures.push(format!(
                "submission[{i}] ({}): {}",
                case.note,
                bad.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
