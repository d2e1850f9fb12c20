//! Differential test against libphonenumber (PyPI `phonenumbers` of the release vendored in
//! `src/fields/phone/data/metadata.json`, which build.rs compiles from).
//!
//! `scripts/phone-differential.sh` installs the pinned package, generates the cases
//! (`scripts/phone-differential.py`: example numbers of every region and type, rendered the
//! ways people type them) and runs this test with `PHONE_DIFFERENTIAL_CASES` pointing at them.
//! Every case must agree on validity, E.164, type, region, extension and both display formats,
//! except the deliberate differences listed in `deliberate` (and in the README).

use serde::Deserialize;
use signup_guard::fields::{country::Country, phone};
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct File {
    meta: serde_json::Value,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    category: String,
    input: String,
    region: Option<String>,
    valid: bool,
    e164: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(flatten)]
    rest: BTreeMap<String, serde_json::Value>,
}

impl Case {
    fn text(&self, key: &str) -> Option<&str> {
        self.rest.get(key).and_then(|v| v.as_str())
    }
}

/// Deliberate differences: what this crate answers instead of libphonenumber, and why.
/// Returns the expected region code (or `None` when this crate refuses a number libphonenumber
/// accepts).
fn deliberate(region: &str) -> Option<&str> {
    match region {
        // Ascension and Tristan da Cunha have no ISO 3166-1 code of their own: they are `SH`.
        "AC" | "TA" => Some("SH"),
        // Non-geographic services (+800, +870, +881, +882, +883, +888, +979) have no country,
        // and a signup contact needs one: refused as `phone.invalid`.
        "001" => None,
        other => Some(other),
    }
}

fn compare(case: &Case) -> Result<bool, String> {
    let region = case
        .region
        .as_deref()
        .map(|r| Country::from_code(r).expect("region"));
    let got = phone::parse(&case.input, region);
    let want_region = case.text("region_out");
    if let Some(code) = case.text("deliberate") {
        return match got.issues.first() {
            Some(i) if got.value.is_none() && i.code.as_str() == code => Ok(true),
            _ => Err(format!(
                "want {code}, got {:?} {:?}",
                got.value.map(|p| p.e164().to_owned()),
                got.issues
            )),
        };
    }
    if !case.valid {
        return match &got.value {
            None => Ok(false),
            Some(p) => Err(format!("want invalid, got {}", p.e164())),
        };
    }
    let expect_region = deliberate(want_region.unwrap_or(""));
    let deliberate_case = expect_region != want_region;
    let Some(expect_region) = expect_region else {
        return match &got.value {
            None if got
                .issues
                .iter()
                .any(|i| i.code.as_str() == "phone.invalid") =>
            {
                Ok(true)
            }
            _ => Err(format!(
                "non-geographic number not refused: {:?}",
                got.issues
            )),
        };
    };
    let Some(p) = &got.value else {
        return Err(format!("want {:?}, got {:?}", case.e164, got.issues));
    };
    let mut bad = Vec::new();
    let mut cmp = |what: &str, want: Option<&str>, have: Option<&str>| {
        if want != have {
            bad.push(format!("{what}: want {want:?}, got {have:?}"));
        }
    };
    cmp("e164", case.e164.as_deref(), Some(p.e164()));
    cmp("type", case.kind.as_deref(), Some(p.kind().as_str()));
    cmp("region", Some(expect_region), Some(p.region().as_str()));
    cmp("extension", case.text("extension"), p.extension());
    cmp(
        "international",
        case.text("international"),
        Some(p.international()),
    );
    cmp("national", case.text("national"), Some(p.national()));
    if bad.is_empty() {
        Ok(deliberate_case)
    } else {
        Err(bad.join("; "))
    }
}

#[test]
#[ignore = "needs PHONE_DIFFERENTIAL_CASES; run scripts/phone-differential.sh"]
fn agrees_with_libphonenumber() {
    let path = std::env::var("PHONE_DIFFERENTIAL_CASES")
        .expect("set PHONE_DIFFERENTIAL_CASES to the file scripts/phone-differential.py wrote");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let file: File = serde_json::from_str(&text).expect("cases JSON");
    assert!(
        file.cases.len() > 10_000,
        "too few cases: {}",
        file.cases.len()
    );
    let mut per_cat: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in &file.cases {
        let entry = per_cat.entry(case.category.as_str()).or_default();
        entry.0 += 1;
        match compare(case) {
            Ok(deliberate) => {
                entry.1 += 1;
                entry.2 += usize::from(deliberate);
            }
            Err(why) => failures.push(format!(
                "[{}] {:?} region {:?}: {why}",
                case.category, case.input, case.region
            )),
        }
    }
    println!("reference: {}", file.meta);
    // The reference must be the release the tables were compiled from, or a disagreement is
    // only a version skew.
    let vendored: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/fields/phone/data/metadata.json"
        ))
        .expect("read the vendored metadata"),
    )
    .expect("vendored metadata is JSON");
    assert_eq!(
        file.meta["phonenumbers"], vendored["version"],
        "the cases come from another phonenumbers release than the vendored metadata"
    );
    println!(
        "{:<26} {:>7} {:>7} {:>10}",
        "category", "cases", "agree", "deliberate"
    );
    for (cat, (n, ok, del)) in &per_cat {
        println!("{cat:<26} {n:>7} {ok:>7} {del:>10}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        file.cases.len(),
        failures
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
