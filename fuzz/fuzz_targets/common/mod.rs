//! Invariants shared by the fuzz targets: what every `Checked` and every `Verdict` must satisfy.
#![allow(dead_code)] // each target uses a subset

use signup_guard::{Checked, Field, Issue, Verdict};

/// A `Checked` holds a value exactly when no issue is an error (so a refusal always says why),
/// every issue belongs to `field` and carries its code's own severity.
pub fn assert_checked<T>(what: &str, input: &str, field: Field, checked: &Checked<T>) {
    let has_error = checked.issues.iter().any(Issue::is_error);
    assert_eq!(
        checked.value.is_some(),
        !has_error,
        "{what}({input:?}): value present must mean no error issue; issues {:?}",
        checked.issues
    );
    for issue in &checked.issues {
        assert_eq!(
            issue.field, field,
            "{what}({input:?}): issue for another field: {issue:?}"
        );
        assert_eq!(
            issue.severity,
            issue.code.severity(),
            "{what}({input:?}): severity differs from the code's: {issue:?}"
        );
    }
}

/// A verdict is `ok` exactly when it has a contact and no error issue, a refusal names at least
/// one error, every issue is rendered, and the whole thing serializes (every face sends it as JSON).
pub fn assert_verdict(what: &str, verdict: &Verdict) {
    let errors = verdict.errors().count();
    assert_eq!(
        verdict.ok,
        verdict.contact.is_some(),
        "{what}: ok without contact: {verdict:?}"
    );
    assert_eq!(
        verdict.ok,
        errors == 0,
        "{what}: ok disagrees with the errors: {verdict:?}"
    );
    for issue in &verdict.issues {
        assert!(
            !issue.message.is_empty(),
            "{what}: unrendered issue {issue:?}"
        );
        assert_eq!(
            issue.severity,
            issue.code.severity(),
            "{what}: severity {issue:?}"
        );
    }
    let json = serde_json::to_string(verdict).expect("a verdict always serializes");
    let back: Verdict = serde_json::from_str(&json).expect("a verdict reads back");
    assert_eq!(&back, verdict, "{what}: verdict JSON does not round-trip");
}
