//! The browser build's JSON against `serde_json`, natively: the same documents accepted with the
//! same values, the same refusals (by the code each face answers), the same bytes written.

use crate::check::{check_field, FieldContext};
use crate::issue::Field;
use crate::policy::Policy;
use crate::submission::Submission;
use crate::validate_with;
use proptest::prelude::*;

fn vectors(name: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Both readers on one Submission document: equal values, or refusals with the same code.
fn same_submission(doc: &str) {
    let small = Submission::from_json_small(doc).map_err(|e| e.code());
    let serde = Submission::from_json(doc).map_err(|e| e.code());
    assert_eq!(small, serde, "{doc}");
}

fn same_policy(doc: &str) {
    let small = Policy::parse_small(doc).map_err(|_| ());
    let serde = serde_json::from_str::<Policy>(doc).map_err(|_| ());
    assert_eq!(small, serde, "{doc}");
}

#[test]
fn every_vector_submission_reads_the_same() {
    for case in vectors("submission.json").as_array().unwrap() {
        let doc = serde_json::to_string(&case["submission"]).unwrap();
        same_submission(&doc);
        same_submission(&serde_json::to_string_pretty(&case["submission"]).unwrap());
    }
}

#[test]
fn every_vector_policy_reads_the_same_and_writes_the_same_bytes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/policies");
    let mut docs: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    docs.push(include_str!("../../www/policy.json").to_owned());
    for doc in &docs {
        same_policy(doc);
        let policy = Policy::from_json(doc).unwrap();
        assert_eq!(
            super::to_string(&policy).unwrap(),
            serde_json::to_string(&policy).unwrap()
        );
    }
}

#[test]
fn refusals_have_the_codes_serde_json_gives() {
    for doc in [
        r#"{"email":"a@b.example","colour":"red"}"#,
        r#"{"colour":"red","email":"#,
        r#"{"email":"a@b.example","email":"c@d.example"}"#,
        r#"{"email":5}"#,
        r#"{"email":1.5}"#,
        r#"{"email":true}"#,
        r#"{"email":null}"#,
        r#"{"email":["a"]}"#,
        r#"{"email":"\ud800"}"#,
        r#"{"email":"\udc00x"}"#,
        r#"{"email":"\ud800\u0041"}"#,
        r#"{"email":"\ud83d\ude00"}"#,
        r#"{"email":"\u00e9\n\t\"\\\/"}"#,
        r#"{"email":"\x"}"#,
        r#"{"email":"\u12g4"}"#,
        "{\"email\":\"a\u{1}b\"}",
        r#"{"email":"a"} x"#,
        r#"{"email":"a",}"#,
        r#"{"email" "a"}"#,
        r#"{"email":"a""phone":"b"}"#,
        r#"{"consent":{"granted":["a","b"],"shown":{"a":"x","a":"y"}}}"#,
        r#"{"consent":{"granted":"a"}}"#,
        r#"{"consent":{"grant":[]}}"#,
        r#"{"consent":["p","1",["a"],{"a":"b"}]}"#,
        r#"{"consent":["p","1",["a"],{"a":"b"},null,1]}"#,
        r#"{"consent":{"granted":[1]}}"#,
        r#"{"consent":{"granted":["a",]}}"#,
        r#"{"consent":null}"#,
        r#"{"custom":{"a":"x","b":["p","q"],"c":true,"d":-5,"e":12}}"#,
        r#"{"custom":{"a":"x","a":"y"}}"#,
        r#"{"custom":{"a":null}}"#,
        r#"{"custom":{"a":1.5}}"#,
        r#"{"custom":{"a":-0}}"#,
        r#"{"custom":{"a":9223372036854775807}}"#,
        r#"{"custom":{"a":9223372036854775808}}"#,
        r#"{"custom":{"a":-9223372036854775808}}"#,
        r#"{"custom":{"a":[1]}}"#,
        r#"{"custom":{"a":["x",null]}}"#,
        r#"{"custom":{"a":{"b":"c"}}}"#,
        r#"{"custom":{"a":"\ud800"}}"#,
        r#"{"custom":null}"#,
        r#"{"custom":["a"]}"#,
        r#"{"custom":{}}"#,
        r#"{"source":{"path":"/a","utm_source":"news","form_id":"f"}}"#,
        r#"{"source":{"utm_id":"x"}}"#,
        r#"{"source":{"path":"/a","path":"/b"}}"#,
        r#"{"source":{"utm_term":3}}"#,
        r#"{"source":{"utm_term":null}}"#,
        r#"{"source":"/a"}"#,
        r#"{"source":["/a","news"]}"#,
        r#"{"source":null}"#,
        r#"{}"#,
        r#"  {  }  "#,
        r#"{"#,
        r#"{"email":"a"}}"#,
        r#"{"email":01}"#,
        r#"{1:2}"#,
        "",
        "[]",
    ] {
        same_submission(doc);
    }
}

#[test]
fn policy_refusals_and_oddities_match() {
    for doc in [
        r#"{"id":"a","version":"1","colour":"red"}"#,
        r#"{"id":"a"}"#,
        r#"{"id":"a","version":"1","retention_days":-1}"#,
        r#"{"id":"a","version":"1","retention_days":4294967296}"#,
        r#"{"id":"a","version":"1","retention_days":30}"#,
        r#"{"id":"a","version":"1","retention_days":3e1}"#,
        r#"{"id":"a","version":"1","retention_days":-0}"#,
        r#"{"id":"a","version":"1","default_country":"XX"}"#,
        r#"{"id":"a","version":"1","default_country":"id"}"#,
        r#"{"id":"a","version":"1","fields":{"phone":{"types":["mobile","voip"]}}}"#,
        r#"{"id":"a","version":"1","fields":{"phone":{"types":["cell"]}}}"#,
        r#"{"id":"a","version":"1","fields":{"phone":{"types":[{"mobile":null}]}}}"#,
        r#"{"id":"a","version":"1","purposes":[{"id":"n","channel":"sms","text":{"en":"t"}}]}"#,
        r#"{"id":"a","version":"1","purposes":[{"id":"n","channel":"fax","text":{"en":"t"}}]}"#,
        r#"["a","1"]"#,
        r#"{"id":"a","version":"1","controller":["Acme"]}"#,
        r#"{"id":"a","version":"1","confirm":"email","confirm_within_days":3}"#,
        r#"{"id":"a","version":"1","confirm":"sms"}"#,
        r#"{"id":"a","version":"1","custom_fields":[{"id":"c","type":"number","min":-3,"max":9,"label":{"en":"C"}}]}"#,
        r#"{"id":"a","version":"1","custom_fields":[{"id":"c","type":"number","min":-9223372036854775809,"label":{"en":"C"}}]}"#,
        r#"{"id":"a","version":"1","custom_fields":[{"id":"c","type":"colour","label":{"en":"C"}}]}"#,
        r#"{"id":"a","version":"1","custom_fields":[{"id":"c","type":"text"}]}"#,
        r#"{"id":"a","version":"1","custom_fields":[{"id":"c","type":"text","label":{"en":"C"},"size":3}]}"#,
        r#"{"id":"a","version":"1","custom_fields":[["c","select",true,{"en":"C"},{},null,null,null,[{"value":"v","label":{"en":"V"}}]]]}"#,
        r#"{"id":"a","version":"1","custom_fields":[{"id":"c","type":"select","label":{"en":"C"},"options":[{"value":"v"}]}]}"#,
        &format!("{}{}", "[".repeat(200), "]".repeat(200)),
        &format!(
            r#"{{"id":"a","version":"1","purposes":{}{}}}"#,
            "[".repeat(130),
            "]".repeat(130)
        ),
    ] {
        same_policy(doc);
    }
}

#[test]
fn verdicts_are_written_byte_for_byte_as_serde_json_writes_them() {
    let ctx = FieldContext {
        locale: Some("fa".into()),
        ..FieldContext::default()
    };
    for (file, field) in [
        ("email.json", Field::Email),
        ("name.json", Field::GivenName),
    ] {
        for case in vectors(file).as_array().unwrap() {
            let input = case["input"].as_str().unwrap_or_default();
            let verdict = check_field(field, input, &ctx);
            assert_eq!(
                super::to_string(&verdict).unwrap(),
                serde_json::to_string(&verdict).unwrap()
            );
        }
    }
    for case in vectors("submission.json").as_array().unwrap() {
        if let Ok(sub) = serde_json::from_value::<Submission>(case["submission"].clone()) {
            let policy = match case["policy"].as_str() {
                Some(name) => {
                    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
                    let path = dir.join(format!("tests/vectors/policies/{name}.json"));
                    Policy::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
                }
                None => Policy::default(),
            };
            let verdict = validate_with(&sub, &policy);
            assert_eq!(
                super::to_string(&verdict).unwrap(),
                serde_json::to_string(&verdict).unwrap()
            );
        }
    }
    let odd = "quote \" backslash \\ controls \u{0}\u{1f}\u{8}\u{c}\n\r\t del \u{7f} \u{2028} é 😀";
    assert_eq!(
        super::to_string(odd).unwrap(),
        serde_json::to_string(odd).unwrap()
    );
}

#[test]
fn enum_names_are_serdes() {
    for t in crate::fields::phone::PhoneType::ALL {
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            format!("\"{}\"", t.as_str())
        );
    }
    for c in super::read::CHANNELS {
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            format!("\"{}\"", c.as_str())
        );
    }
}

proptest! {
    /// Policies from JSON's pieces and the policy's own keys: both readers agree.
    #[test]
    fn generated_policies_read_the_same(
        parts in proptest::collection::vec(prop_oneof![
            Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"),
            Just("\"id\":\"a\","), Just("\"version\":\"1\","), Just("\"fields\""),
            Just("\"phone\""), Just("\"types\""), Just("\"mobile\""), Just("\"required\""),
            Just("\"purposes\""), Just("\"text\""), Just("\"en\""), Just("\"channel\""),
            Just("\"sms\""), Just("\"max_chars\""), Just("\"retention_days\""), Just("7"),
            Just("-1"), Just("true"), Just("null"), Just("\"x\""), Just("\"controller\""),
            Just("\"custom_fields\""), Just("\"label\""), Just("\"type\""), Just("\"min\""),
            Just("\"options\""), Just("\"number\""),
        ], 0..16)
    ) {
        let doc: String = parts.concat();
        same_policy(&doc);
        same_policy(&format!("{{\"id\":\"a\",\"version\":\"1\",{doc}"));
    }

    /// Documents built from JSON's own pieces, mostly nearly right: both readers agree.
    #[test]
    fn generated_submissions_read_the_same(
        parts in proptest::collection::vec(prop_oneof![
            Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"), Just(" "),
            Just("\"email\""), Just("\"phone\""), Just("\"consent\""), Just("\"granted\""),
            Just("\"shown\""), Just("\"x\""), Just("\"a\\u00e9\""), Just("\"\\ud800\""),
            Just("null"), Just("true"), Just("1"), Just("-0"), Just("1.5"), Just("\"policy_id\""),
            Just("\"custom\""), Just("-7"),
            Just("\"source\""), Just("\"path\""), Just("\"utm_source\""),
        ], 0..14)
    ) {
        let doc: String = parts.concat();
        same_submission(&doc);
        same_submission(&format!("{{{doc}"));
    }
}
