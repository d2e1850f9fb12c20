//! The chain's canonical form and hashes: byte-identical to what existing logs hold.
use super::*;

fn event() -> Event {
    Event {
        seq: 1,
        contact_key: "ck".into(),
        action: "grant".into(),
        purpose: "newsletter".into(),
        policy_id: "acme".into(),
        policy_version: "3".into(),
        policy_hash: "ph".into(),
        text_hash: Some("th".into()),
        rendered_checked: false,
        required_to_submit: false,
        locale: "fa".into(),
        method: "web_form".into(),
        received_at: "2026-11-23T10:00:00.000Z".into(),
        claimed_at: None,
        user_agent: Some("Mozilla \"x\"\n".into()),
        prev_hash: GENESIS.into(),
    }
}

#[test]
fn canonical_form_sorts_keys_and_escapes_like_rfc8785() {
    let c = event().canonical();
    assert!(
        c.starts_with(r#"{"action":"grant","claimed_at":null,"contact_key":"ck","locale":"fa""#),
        "{c}"
    );
    assert!(c.contains(r#""user_agent":"Mozilla \"x\"\n""#), "{c}");
    assert!(
        c.contains(r#""rendered_checked":false,"required_to_submit":false,"seq":1"#),
        "{c}"
    );
    // Any JSON parser reads it back to the same values.
    let v: serde_json::Value = serde_json::from_str(&c).unwrap();
    assert_eq!(v["prev_hash"], GENESIS);
}

#[test]
fn the_verifier_names_the_first_broken_link() {
    let first = event();
    let mut second = event();
    second.seq = 2;
    second.prev_hash = first.hash();
    let mut v = Verifier::new();
    assert_eq!(v.check(&first, first.hash()), Ok(()));
    assert_eq!(v.check(&second, second.hash()), Ok(()));
    assert_eq!(
        v.finish(),
        ChainCheck::Intact {
            events: 2,
            head: second.hash()
        }
    );
    let mut v = Verifier::new();
    assert_eq!(v.check(&first, first.hash()), Ok(()));
    let edited = Event {
        purpose: "sms_offers".into(),
        ..second.clone()
    };
    assert!(matches!(
        v.check(&edited, second.hash()),
        Err(ChainCheck::Broken { seq: 2, .. })
    ));
    let mut v = Verifier::new();
    assert!(matches!(
        v.check(&second, second.hash()),
        Err(ChainCheck::Broken { seq: 2, .. })
    ));
}

/// The canonical form as it was first written (`fmt` and a char loop), kept as the
/// reference the direct writer must match byte for byte: stored hashes must still verify.
fn reference_canonical(e: &Event) -> String {
    use std::fmt::Write;
    fn push_str(out: &mut String, s: &str) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\u{8}' => out.push_str("\\b"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\u{c}' => out.push_str("\\f"),
                '\r' => out.push_str("\\r"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
    let mut fields: Vec<(&str, Option<String>, bool)> = vec![
        ("seq", Some(e.seq.to_string()), false),
        ("contact_key", Some(e.contact_key.clone()), true),
        ("action", Some(e.action.clone()), true),
        ("purpose", Some(e.purpose.clone()), true),
        ("policy_id", Some(e.policy_id.clone()), true),
        ("policy_version", Some(e.policy_version.clone()), true),
        ("policy_hash", Some(e.policy_hash.clone()), true),
        ("text_hash", e.text_hash.clone(), true),
        (
            "rendered_checked",
            Some(e.rendered_checked.to_string()),
            false,
        ),
        (
            "required_to_submit",
            Some(e.required_to_submit.to_string()),
            false,
        ),
        ("locale", Some(e.locale.clone()), true),
        ("method", Some(e.method.clone()), true),
        ("received_at", Some(e.received_at.clone()), true),
        ("claimed_at", e.claimed_at.clone(), true),
        ("user_agent", e.user_agent.clone(), true),
        ("prev_hash", Some(e.prev_hash.clone()), true),
    ];
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = String::from("{");
    for (i, (key, value, quoted)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_str(&mut out, key);
        out.push(':');
        match value {
            None => out.push_str("null"),
            Some(v) if *quoted => push_str(&mut out, v),
            Some(v) => out.push_str(v),
        }
    }
    out.push('}');
    out
}

#[test]
fn the_direct_writer_matches_the_reference_form_byte_for_byte() {
    let awkward = [
        "",
        "plain",
        "Mozilla \"x\"\n",
        "\u{0}\u{1}\u{1f}\u{7f}\u{8}\u{c}\r\t\\",
        "ümlaut ✓ 😀 \u{202e}bidi\u{200b}",
        "end\\",
        "\"",
        "a\u{1}b\u{1e}c",
    ];
    for (n, s) in awkward.iter().enumerate() {
        for seq in [0, 1, 9, 10, 12_345_678_901, -7, i64::MAX, i64::MIN] {
            let mut e = event();
            e.seq = seq;
            e.contact_key = (*s).to_owned();
            e.user_agent = (n % 2 == 0).then(|| (*s).to_owned());
            e.claimed_at = (n % 3 == 0).then(|| (*s).to_owned());
            e.text_hash = (n % 2 == 1).then(|| (*s).to_owned());
            e.locale = s.repeat(3);
            e.rendered_checked = n % 2 == 0;
            e.required_to_submit = n % 3 == 0;
            let reference = reference_canonical(&e);
            assert_eq!(e.canonical(), reference, "{s:?} {seq}");
            assert_eq!(e.hash(), crate::digest::sha256_hex(&reference));
        }
    }
    // A known hash (an independent JSON encoder's sorted, compact output of this event).
    assert_eq!(
        event().hash(),
        "a74fe93db19817230887a261957daac30e6189ef7a8465cbcb88a138453108ad"
    );
}

#[test]
fn canonical_keys_are_in_code_point_order() {
    let e = event();
    let keys: Vec<&str> = e.view().fields().iter().map(|f| f.0).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted);
    assert_eq!(keys.len(), 16);
}

#[test]
fn any_field_change_changes_the_hash() {
    let a = event();
    let mut b = event();
    b.purpose = "sms_offers".into();
    assert_ne!(a.hash(), b.hash());
    let mut c = event();
    c.prev_hash = "1".repeat(64);
    assert_ne!(a.hash(), c.hash());
}
