//! Tests of the policy file: strict loading with paths, text fallbacks and hashes, double opt-in.
use super::*;

fn load(json: &str) -> Result<Policy, PolicyError> {
    Policy::from_json(json)
}

#[test]
fn purpose_without_english_text_is_refused_naming_the_path() {
    let err = load(r#"{"id":"a","version":"1","purposes":[{"id":"n","channel":"email","text":{"id":"Kirimi saya"}}]}"#).unwrap_err();
    assert_eq!(err.path, "purposes[0].text.en");
}

#[test]
fn duplicate_purpose_ids_are_refused() {
    let err = load(r#"{"id":"a","version":"1","purposes":[
        {"id":"n","channel":"email","text":{"en":"A"}},{"id":"n","channel":"sms","text":{"en":"B"}}]}"#)
    .unwrap_err();
    assert_eq!(err.path, "purposes[1].id");
}

#[test]
fn unknown_nested_key_names_its_path() {
    let err = load(r#"{"id":"a","version":"1","fields":{"email":{"requried":true}}}"#).unwrap_err();
    assert_eq!(err.path, "fields.email.requried");
}

#[test]
fn unknown_phone_type_and_country_are_refused() {
    assert_eq!(
        load(r#"{"id":"a","version":"1","fields":{"phone":{"types":["cellular"]}}}"#)
            .unwrap_err()
            .path,
        "fields.phone.types[0]"
    );
    assert_eq!(
        load(r#"{"id":"a","version":"1","default_country":"XX"}"#)
            .unwrap_err()
            .path,
        "default_country"
    );
}

#[test]
fn double_opt_in_is_off_by_default_and_strictly_read() {
    let base = r#"{"id":"a","version":"1""#;
    let plain = load(&format!("{base}}}")).unwrap();
    assert!(!plain.confirms_by_email());
    let on = load(&format!(r#"{base},"confirm":"email"}}"#)).unwrap();
    assert!(on.confirms_by_email());
    assert_eq!(on.confirm_days(), 7);
    let days = load(&format!(
        r#"{base},"confirm":"email","confirm_within_days":3}}"#
    ));
    assert_eq!(days.unwrap().confirm_days(), 3);
    for (bad, path) in [
        (r#","confirm":"sms"}"#, "confirm"),
        (
            r#","confirm":"email","confirm_within_days":0}"#,
            "confirm_within_days",
        ),
        (r#","confirm_within_days":3}"#, "confirm_within_days"),
        (
            r#","confirm":"email","confirm_within":3}"#,
            "confirm_within",
        ),
    ] {
        assert_eq!(
            load(&format!("{base}{bad}")).unwrap_err().path,
            path,
            "{bad}"
        );
    }
}

#[test]
fn text_falls_back_to_english_and_hash_is_of_the_shown_text() {
    let p = load(r#"{"id":"a","version":"1","purposes":[{"id":"n","channel":"email","text":{"en":"Hi","fa":"سلام"}}]}"#).unwrap();
    assert_eq!(p.text_hash("n", "fa-IR").unwrap(), sha256_hex("سلام"));
    assert_eq!(p.text_hash("n", "id").unwrap(), sha256_hex("Hi"));
    assert_eq!(
        sha256_hex("Hi"),
        "3639efcd08abb273b1619e82e78c29a7df02c1051b1820e99fc395dcaa3326b8"
    );
}

#[test]
fn custom_field_definitions_that_cannot_work_are_refused_naming_the_path() {
    let with = |fields: &str| {
        load(&format!(
            r#"{{"id":"a","version":"1","custom_fields":[{fields}]}}"#
        ))
    };
    let t = r#"{"id":"company","type":"text","label":{"en":"Company"}}"#;
    assert!(with(t).is_ok());
    for (fields, path) in [
        (
            r#"{"id":"Company","type":"text","label":{"en":"C"}}"#,
            "custom_fields[0].id",
        ),
        (&format!("{t},{t}"), "custom_fields[1].id"),
        (
            r#"{"id":"c","type":"text","label":{"id":"Perusahaan"}}"#,
            "custom_fields[0].label.en",
        ),
        (
            r#"{"id":"c","type":"text","label":{"en":"C","ar":" "}}"#,
            "custom_fields[0].label.ar",
        ),
        (
            r#"{"id":"c","type":"text","pattern":"(a|b)","label":{"en":"C"}}"#,
            "custom_fields[0].pattern",
        ),
        (
            r#"{"id":"c","type":"text","min_chars":5,"max_chars":3,"label":{"en":"C"}}"#,
            "custom_fields[0].min_chars",
        ),
        (
            r#"{"id":"c","type":"number","pattern":"\\d","label":{"en":"C"}}"#,
            "custom_fields[0].pattern",
        ),
        (
            r#"{"id":"c","type":"number","min":5,"max":1,"label":{"en":"C"}}"#,
            "custom_fields[0].min",
        ),
        (
            r#"{"id":"c","type":"text","options":[{"value":"a","label":{"en":"A"}}],"label":{"en":"C"}}"#,
            "custom_fields[0].options",
        ),
        (
            r#"{"id":"c","type":"select","label":{"en":"C"}}"#,
            "custom_fields[0].options",
        ),
        (
            r#"{"id":"c","type":"select","options":[{"value":"a","label":{"en":"A"}},{"value":"a","label":{"en":"B"}}],"label":{"en":"C"}}"#,
            "custom_fields[0].options[1].value",
        ),
        (
            r#"{"id":"c","type":"colour","label":{"en":"C"}}"#,
            "custom_fields[0].type",
        ),
        (
            r#"{"id":"c","type":"text","label":{"en":"C"},"size":3}"#,
            "custom_fields[0].size",
        ),
    ] {
        let err = with(fields).unwrap_err();
        assert_eq!(err.path, path, "{fields}: {err}");
    }
}
