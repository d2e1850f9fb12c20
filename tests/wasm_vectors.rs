//! The shared vector files (`tests/vectors/*.json`, format in `tests/vectors.rs`) run through the
//! exported JS API of the wasm module: every case crosses the JS boundary as JS values (inputs
//! built with `JSON.parse`, answers read back with `JSON.stringify`), exactly as a page calls
//! `validateField` and `validate`. One vector file, three runners: native, Node, Chromium.
//!
//! ```sh
//! bash scripts/browser-tests.sh          # Node and headless Chromium, then the e2e test
//! cargo test --target wasm32-unknown-unknown --test wasm_vectors                   # Node
//! WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
//!   WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/browser/webdriver.json \
//!   cargo test --target wasm32-unknown-unknown --test wasm_vectors                   # Chromium
//! ```
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

mod vector_support;

use include_dir::{include_dir, Dir};
use serde_json::Value;
use signup_guard::wasm::{consent_receipt, validate, validate_field};
use vector_support::{field_mismatches, submission_mismatches};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

static VECTORS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/tests/vectors");

/// A JS value built the way a page builds it: `JSON.parse` of the text.
fn js(v: &Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).expect("vector JSON parses in JS")
}

/// What the API answered, read back through `JSON.stringify`.
fn back(v: &JsValue) -> Value {
    let text: String = js_sys::JSON::stringify(v)
        .expect("answer stringifies")
        .into();
    serde_json::from_str(&text).expect("answer is JSON")
}

fn policy(name: Option<&str>) -> JsValue {
    match name {
        None => JsValue::UNDEFINED,
        Some(name) => {
            let file = VECTORS
                .get_file(format!("policies/{name}.json"))
                .unwrap_or_else(|| panic!("policies/{name}.json is missing"));
            js_sys::JSON::parse(file.contents_utf8().expect("UTF-8 policy")).expect("policy JSON")
        }
    }
}

fn cases(file: &str) -> Vec<Value> {
    match VECTORS.get_file(file) {
        None => Vec::new(),
        Some(f) => serde_json::from_slice(f.contents()).unwrap_or_else(|e| panic!("{file}: {e}")),
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn run_field_file(file: &str, default_field: &str) -> usize {
    let cases = cases(file);
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let field = str_of(case, "field").unwrap_or(default_field);
        let mut ctx = serde_json::Map::new();
        for key in ["country", "locale"] {
            if let Some(v) = case.get(key) {
                ctx.insert(key.into(), v.clone());
            }
        }
        let ctx = js(&Value::Object(ctx));
        let p = policy(str_of(case, "policy"));
        if !p.is_undefined() {
            js_sys::Reflect::set(&ctx, &"policy".into(), &p).expect("set policy");
        }
        let input = str_of(case, "input").expect("case has an input");
        let got = validate_field(field, JsValue::from_str(input), ctx)
            .unwrap_or_else(|e| panic!("{file}[{i}] threw: {e:?}"));
        let bad = field_mismatches(&case["expect"], &back(&got));
        if !bad.is_empty() {
            failures.push(format!(
                "{file}[{i}] {input:?} ({}): {}",
                case["note"],
                bad.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed in wasm:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    cases.len()
}

#[wasm_bindgen_test]
fn email_vectors() {
    run_field_file("email.json", "email");
}

#[wasm_bindgen_test]
fn phone_vectors() {
    run_field_file("phone.json", "phone");
}

#[wasm_bindgen_test]
fn name_vectors() {
    run_field_file("name.json", "given_name");
}

#[wasm_bindgen_test]
fn country_vectors() {
    run_field_file("country.json", "country");
}

#[wasm_bindgen_test]
fn submission_vectors() {
    let cases = cases("submission.json");
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let got = validate(js(&case["submission"]), policy(str_of(case, "policy")))
            .unwrap_or_else(|e| panic!("submission[{i}] threw: {e:?}"));
        let bad = submission_mismatches(&case["expect"], &back(&got));
        if !bad.is_empty() {
            failures.push(format!(
                "submission[{i}] ({}): {}",
                case["note"],
                bad.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed in wasm:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The shared files are really there (a runner that finds no case proves nothing).
#[wasm_bindgen_test]
fn vector_files_are_embedded() {
    let total: usize = [
        "email.json",
        "phone.json",
        "name.json",
        "country.json",
        "submission.json",
    ]
    .iter()
    .map(|f| cases(f).len())
    .sum();
    assert!(total > 100, "only {total} vector cases embedded");
}

/// Browser = server across the boundary: a lone surrogate is `input.invalid_text`, not U+FFFD.
#[wasm_bindgen_test]
fn lone_surrogates_get_the_servers_code() {
    let lone = js_sys::JSON::parse(r#""Ja\ud800ne""#).unwrap();
    let got = back(&validate_field("given_name", lone.clone(), JsValue::UNDEFINED).unwrap());
    assert_eq!(got["ok"], false);
    assert_eq!(got["issues"][0]["code"], "input.invalid_text");
    let sub = js_sys::Object::new();
    js_sys::Reflect::set(&sub, &"given_name".into(), &lone).unwrap();
    js_sys::Reflect::set(&sub, &"email".into(), &"ani@example.org".into()).unwrap();
    let got = back(&validate(sub.into(), JsValue::UNDEFINED).unwrap());
    assert_eq!(got["ok"], false);
    assert_eq!(got["issues"][0]["code"], "input.invalid_text");
}

/// Only malformed calls throw; a failed validation is a value.
#[wasm_bindgen_test]
fn malformed_calls_throw_and_bad_values_do_not() {
    assert!(validate_field("shoe_size", "42".into(), JsValue::UNDEFINED).is_err());
    assert!(validate_field("email", JsValue::from_f64(42.0), JsValue::UNDEFINED).is_err());
    assert!(validate(JsValue::from_str("{}"), JsValue::UNDEFINED).is_err());
    assert!(validate(
        js_sys::Object::new().into(),
        JsValue::from_str("{\"id\":1}")
    )
    .is_err());
    let got = back(&validate_field("email", "not an address".into(), JsValue::UNDEFINED).unwrap());
    assert_eq!(got["ok"], false);
}

/// A receipt made in the browser verifies against the same policy: the hashes agree.
#[wasm_bindgen_test]
fn a_receipt_from_the_browser_verifies() {
    let p = policy(Some("acme-news"));
    let granted = js_sys::Array::of1(&"newsletter".into());
    for locale in ["en", "ar", "fa", "id"] {
        let claim =
            consent_receipt(p.clone(), granted.clone().into(), Some(locale.into())).unwrap();
        let sub = serde_json::json!({ "email": "ani@example.org", "given_name": "Ani",
            "country": "ID", "locale": locale, "consent": back(&claim) });
        let got = back(&validate(js(&sub), p.clone()).unwrap());
        assert_eq!(got["ok"], true, "{locale}: {got}");
        assert_eq!(got["contact"]["consent"], serde_json::json!(["newsletter"]));
    }
}
