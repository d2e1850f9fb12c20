//! How a vector case's `expect` is compared with an answer: the one comparison. The native runner
//! (`tests/vectors.rs`) checks its answers here and writes them out; the JS runner
//! (`tests/browser/vectors.test.mjs`, the shipped `pkg/` in Node and Chromium) wants the same
//! answers as JSON, so no second copy of these rules exists.

use serde_json::Value;

const FIELD_KEYS: &[&str] = &[
    "ok",
    "normalized",
    "display",
    "key",
    "phone_type",
    "region",
    "codes",
    "suggestion",
    "message_contains",
];
const SUBMISSION_KEYS: &[&str] = &["ok", "codes", "contact", "message_contains"];

fn unknown_keys(expect: &Value, known: &[&str], bad: &mut Vec<String>) {
    if let Some(map) = expect.as_object() {
        for k in map.keys().filter(|k| !known.contains(&k.as_str())) {
            bad.push(format!("unknown expect key {k:?}"));
        }
    }
}

fn issues(got: &Value) -> Vec<Value> {
    got["issues"].as_array().cloned().unwrap_or_default()
}

/// `ok`, the issue codes in order, and a message containing `message_contains`.
fn common(expect: &Value, got: &Value, bad: &mut Vec<String>) {
    if got["ok"] != expect["ok"] {
        bad.push(format!("ok: want {}, got {}", expect["ok"], got["ok"]));
    }
    let issues = issues(got);
    let codes: Vec<Value> = issues.iter().map(|i| i["code"].clone()).collect();
    if let Some(want) = expect.get("codes").and_then(Value::as_array) {
        if *want != codes {
            bad.push(format!("codes: want {want:?}, got {codes:?}"));
        }
    }
    if let Some(part) = expect.get("message_contains").and_then(Value::as_str) {
        let messages: Vec<&str> = issues
            .iter()
            .filter_map(|i| i["message"].as_str())
            .collect();
        if !messages.iter().any(|m| m.contains(part)) {
            bad.push(format!("no message contains {part:?}: {messages:?}"));
        }
    }
}

/// The differences between a field case's `expect` and a field verdict.
pub(crate) fn field_mismatches(expect: &Value, got: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    unknown_keys(expect, FIELD_KEYS, &mut bad);
    for key in ["normalized", "display", "key", "phone_type", "region"] {
        if let Some(want) = expect.get(key) {
            if got.get(key) != Some(want) {
                bad.push(format!("{key}: want {want}, got {:?}", got.get(key)));
            }
        }
    }
    if let Some(want) = expect.get("suggestion") {
        let have = issues(got)
            .into_iter()
            .find_map(|i| i.get("suggestion").cloned());
        if have.as_ref() != Some(want) {
            bad.push(format!("suggestion: want {want}, got {have:?}"));
        }
    }
    common(expect, got, &mut bad);
    bad
}

/// The differences between a submission case's `expect` and a verdict. A submission that does
/// not parse is refused as a whole; that is enough when every expected code is `submission.*`.
pub(crate) fn submission_mismatches(expect: &Value, got: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    unknown_keys(expect, SUBMISSION_KEYS, &mut bad);
    let issues = issues(got);
    let refused_whole = issues.len() == 1 && issues[0]["field"] == "submission";
    let expects_refusal = expect["codes"].as_array().is_some_and(|c| {
        c.iter()
            .all(|c| c.as_str().is_some_and(|c| c.starts_with("submission.")))
    });
    if refused_whole && expects_refusal && expect["ok"] == false {
        return bad;
    }
    common(expect, got, &mut bad);
    if let Some(want) = expect.get("contact").and_then(Value::as_object) {
        for (k, v) in want {
            if got["contact"].get(k) != Some(v) {
                bad.push(format!(
                    "contact.{k}: want {v}, got {:?}",
                    got["contact"].get(k)
                ));
            }
        }
    }
    bad
}
