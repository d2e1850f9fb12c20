//! A Policy JSON: `Policy::from_json`. A loaded policy serializes and loads back equal, hashes,
//! gives a 64-hex text hash for each purpose in any locale, and judges submissions (an empty one
//! and a plain valid one) with well-formed verdicts; a refused one names a path and a reason.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signup_guard::{validate_with, Policy, Submission};

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let policy = match Policy::from_json(json) {
        Ok(p) => p,
        Err(e) => {
            assert!(
                !e.to_string().is_empty(),
                "a policy error must say something"
            );
            return;
        }
    };
    let wire = serde_json::to_string(&policy).expect("a policy serializes");
    let back = Policy::from_json(&wire)
        .unwrap_or_else(|e| panic!("a loaded policy does not load back from {wire}: {e}"));
    assert_eq!(back, policy, "policy JSON does not round-trip: {wire}");
    assert!(is_hex64(&policy.hash()), "policy hash is not SHA-256 hex");
    for purpose in &policy.purposes {
        for locale in ["en", "id", "ar", "fa", "xx", ""] {
            let hash = policy
                .text_hash(&purpose.id, locale)
                .expect("own purpose has a hash");
            assert!(is_hex64(&hash), "text hash {hash:?}");
        }
    }

    let granted: Vec<String> = policy.purposes.iter().map(|p| p.id.clone()).collect();
    let shown = policy
        .purposes
        .iter()
        .filter_map(|p| Some((p.id.clone(), policy.text_hash(&p.id, "en")?)))
        .collect();
    let submissions = [
        Submission::default(),
        Submission {
            email: Some("ani.wijaya@gmail.com".into()),
            phone: Some("+6281234567890".into()),
            given_name: Some("Ani".into()),
            family_name: Some("Wijaya".into()),
            country: Some("ID".into()),
            locale: Some("en".into()),
            consent: Some(signup_guard::ConsentClaim {
                policy_id: policy.id.clone(),
                policy_version: policy.version.clone(),
                granted,
                shown,
                collected_at: None,
            }),
            custom: Default::default(),
            source: Some(signup_guard::source::Source {
                path: Some("/spring".into()),
                utm_source: Some("newsletter".into()),
                ..Default::default()
            }),
        },
    ];
    for sub in &submissions {
        common::assert_verdict("policy", &validate_with(sub, &policy));
    }
});
