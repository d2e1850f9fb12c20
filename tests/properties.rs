//! Property tests over arbitrary Unicode: no parser and no `validate_with` panics, normalized
//! forms are fixed points (normalizing a stored value again returns it unchanged), and what
//! normalization outputs passes validation again (DESIGN §6 "re-validate what normalization
//! outputs").
//!
//! Inputs mix arbitrary `char`s with characters chosen to hit the tricky paths: bidi controls and
//! marks, ZWJ/ZWNJ and other invisibles, combining marks (including U+0316 after U+0130, which
//! reorders under case mapping), characters whose NFC is another character (U+212B, U+0387,
//! U+1FEF), Hangul jamo, fullwidth forms, and decimal digits from many scripts.

use proptest::prelude::*;
use signup_guard::check::{check_field, FieldContext};
use signup_guard::custom::CustomValue;
use signup_guard::fields::{country, name};
use signup_guard::source::Source;
use signup_guard::{hygiene, validate_with, ConsentClaim, Country, Field, Policy, Submission};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Characters that have broken or nearly broken text rules before.
const TRICKY: &[char] = &[
    // bidi embeddings, overrides, isolates, marks
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
    // joiners and other invisibles
    '\u{200C}', '\u{200D}', '\u{200B}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{180E}',
    // combining marks: acute, diaeresis, grave below, fatha, shadda, virama, Thai, ypogegrammeni
    '\u{0301}', '\u{0308}', '\u{0316}', '\u{064E}', '\u{0651}', '\u{094D}', '\u{0D4D}', '\u{0E31}',
    '\u{0345}', // case and normalization traps
    '\u{0130}', '\u{0131}', 'ß', '\u{1E9E}', 'ﬁ', '\u{212B}', '\u{2126}', '\u{0387}', '\u{1FEF}',
    '\u{0340}', '\u{0344}', '\u{1100}', '\u{1161}', '\u{11A8}', '\u{3131}',
    // fullwidth and look-alike signs
    'Ａ', 'ｚ', 'Ｉ', 'Ｄ', '０', '９', '＠', '＋', '．', '﹫', '。',
    // decimal digits of many scripts
    '٠', '٩', '۰', '۹', '०', '९', '০', '๙', '၉', '߉', '𝟗', // spaces and controls
    ' ', '\u{00A0}', '\u{202F}', '\u{3000}', '\u{2028}', '\t', '\n', '\r', '\u{0}', '\u{7F}',
    '\u{85}', // letters of many scripts
    'a', 'Z', 'é', 'ب', 'ی', 'ک', 'क', 'ष', 'ര', '中', 'あ', 'ア', '한', 'Ж', 'Ω', 'ש', 'ა', 'ʻ',
    '𝐉', 'Ⓙ', 'Ⅻ', // punctuation that names, emails and phones care about
    '\'', '’', '-', '‐', '–', '.', '·', '・', '@', '<', '>', '/', ':', '+', '(', ')', '"', '\\',
    ',', '#', '%', '_', '~',
];

fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => proptest::sample::select(TRICKY),
        1 => any::<char>(),
    ]
}

/// Strings of up to 40 characters, biased towards [`TRICKY`].
fn tricky_string() -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..40).prop_map(|v| v.into_iter().collect())
}

/// Plausible values with tricky characters spliced in, so deeper rules are reached.
fn field_value() -> impl Strategy<Value = String> {
    let seeds = proptest::sample::select(vec![
        "ani.wijaya@gmail.com",
        "Jane.Doe@GMAIL.COM",
        "user@gmail.con",
        "мария@пример.рф",
        "+6281234567890",
        "0812-3456-7890",
        "021 5550 1234",
        "٠٨١٢٣٤٥٦٧٨٩٠",
        "Ani Wijaya",
        "محمد\u{200C}رضا",
        "क्\u{200D}ष",
        "O’Brien",
        "ID",
        "uk",
    ]);
    (seeds, tricky_string(), 0usize..40).prop_map(|(seed, extra, at)| {
        let mut chars: Vec<char> = seed.chars().collect();
        let at = at.min(chars.len());
        chars.splice(at..at, extra.chars());
        chars.into_iter().collect()
    })
}

/// Name-like strings: letters of many scripts, marks, joiners, spaces and name punctuation only,
/// so that most are accepted and the fixed-point properties have values to work on.
fn namey_string() -> impl Strategy<Value = String> {
    const NAMEY: &[char] = &[
        'a', 'Z', 'é', 'e', '\u{0301}', '\u{0308}', '\u{0316}', '\u{0130}', 'ß', '\u{212B}',
        '\u{2126}', 'ب', 'ی', '\u{064E}', '\u{0651}', 'क', 'ष', '\u{094D}', 'ര', '\u{0D4D}', 'ก',
        '\u{0E31}', '中', 'あ', 'ア', 'ー', '한', '\u{1100}', '\u{1161}', '\u{11A8}', 'Ж', 'Ω',
        'ש', 'ა', 'ʻ', 'Ａ', '\u{200C}', '\u{200D}', ' ', ' ', '\u{00A0}', '\u{3000}', '\'', '’',
        '-', '‐', '.', '·', '・', '゠',
    ];
    prop::collection::vec(proptest::sample::select(NAMEY), 1..30)
        .prop_map(|v| v.into_iter().collect())
}

fn any_value() -> impl Strategy<Value = String> {
    prop_oneof![
        tricky_string(),
        field_value(),
        namey_string(),
        any::<String>()
    ]
}

/// `Policy::default()` and the vector policies, loaded once.
fn policies() -> &'static [Policy] {
    static POLICIES: OnceLock<Vec<Policy>> = OnceLock::new();
    POLICIES.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/policies");
        let mut out = vec![Policy::default()];
        for name in ["acme-news", "club", "custom"] {
            let text = std::fs::read_to_string(format!("{dir}/{name}.json")).expect("policy file");
            out.push(Policy::from_json(&text).expect("valid policy"));
        }
        out
    })
}

fn consent_claim() -> impl Strategy<Value = ConsentClaim> {
    let ids = proptest::sample::select(vec![
        "acme-news".to_owned(),
        "club".to_owned(),
        "default".to_owned(),
        String::new(),
    ]);
    let versions = proptest::sample::select(vec!["3", "2026-11", "1", ""]);
    let purpose = prop_oneof![
        3 => proptest::sample::select(vec!["newsletter", "sms_offers", "terms", "sms_alerts",
                                           "sms_birthday", "callback"])
            .prop_map(str::to_owned),
        1 => tricky_string(),
    ];
    let locales = proptest::sample::select(vec!["en", "id", "ar", "fa", "pt-BR"]);
    (
        ids,
        versions,
        prop::collection::vec(purpose, 0..5),
        prop::collection::vec((any::<bool>(), locales, tricky_string()), 0..5),
    )
        .prop_map(|(policy_id, version, granted, shown_how)| {
            let all = policies();
            let mut shown = BTreeMap::new();
            for (id, (real, locale, junk)) in granted.iter().zip(shown_how) {
                let hash = all
                    .iter()
                    .find(|p| p.id == policy_id)
                    .and_then(|p| p.text_hash(id, locale))
                    .filter(|_| real)
                    .unwrap_or(junk);
                shown.insert(id.clone(), hash);
            }
            ConsentClaim {
                policy_id,
                policy_version: version.to_owned(),
                granted,
                shown,
                collected_at: None,
            }
        })
}

fn submission() -> impl Strategy<Value = Submission> {
    let opt = || prop::option::of(any_value());
    let locale = prop::option::of(prop_oneof![
        proptest::sample::select(vec!["en", "ar-EG", "fa-IR", "id", "in", "pt-BR", "de"])
            .prop_map(str::to_owned),
        tricky_string(),
    ]);
    (
        (opt(), opt(), opt(), opt(), opt()),
        locale,
        prop::option::of(consent_claim()),
        custom_values(),
        prop::option::of((opt(), opt(), opt(), opt(), opt(), opt(), opt())),
    )
        .prop_map(
            |(
                (email, phone, given_name, family_name, country),
                locale,
                consent,
                custom,
                source,
            )| {
                Submission {
                    email,
                    phone,
                    given_name,
                    family_name,
                    country,
                    locale,
                    consent,
                    custom,
                    source: source.map(|(path, s, m, c, t, content, form_id)| Source {
                        path,
                        utm_source: s,
                        utm_medium: m,
                        utm_campaign: c,
                        utm_term: t,
                        utm_content: content,
                        form_id,
                    }),
                }
            },
        )
}

/// Values for the custom fields of `tests/vectors/policies/custom.json` (and a key it lacks):
/// hostile text, near-valid words, lists, booleans and numbers around the limits.
fn custom_values() -> impl Strategy<Value = BTreeMap<String, CustomValue>> {
    let key = proptest::sample::select(vec![
        "company",
        "ref_code",
        "role",
        "interests",
        "terms",
        "seats",
        "offset",
        "birthday",
        "website",
        "colour",
    ])
    .prop_map(str::to_owned);
    let word = proptest::sample::select(vec![
        "dev",
        "marketing",
        "product",
        "events",
        "jobs",
        "on",
        "true",
        "12",
        "-5",
        " 7 ",
        "2000-02-29",
        "2001-02-29",
        "HTTPS://Example.COM:8080/x",
        "ID-123",
        "  Acme \u{3000} Ltd ",
    ])
    .prop_map(str::to_owned);
    let value = prop_oneof![
        any_value().prop_map(CustomValue::Text),
        word.clone().prop_map(CustomValue::Text),
        prop::collection::vec(word, 0..4).prop_map(CustomValue::List),
        any::<bool>().prop_map(CustomValue::Flag),
        (-20i64..60).prop_map(CustomValue::Number),
    ];
    prop::collection::btree_map(key, value, 0..5)
}

/// 2,048 cases per property, or `PROPTEST_CASES` for a longer run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2048)
}

const FIELDS: [Field; 7] = [
    Field::Email,
    Field::Phone,
    Field::GivenName,
    Field::FamilyName,
    Field::Country,
    Field::Consent,
    Field::Submission,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn hygiene_never_panics_and_is_idempotent(s in any_value()) {
        if let Ok(clean) = hygiene::clean(&s, Field::GivenName) {
            prop_assert_eq!(hygiene::clean(clean, Field::GivenName), Ok(clean));
        }
    }

    #[test]
    fn name_stored_form_is_a_fixed_point(s in any_value(), max in prop::option::of(1usize..60)) {
        let checked = name::parse(&s, Field::GivenName, max);
        prop_assert_eq!(checked.value.is_some(), !checked.issues.iter().any(|i| i.is_error()));
        if let Some(stored) = checked.value {
            let again = name::parse(stored.as_str(), Field::FamilyName, max);
            prop_assert!(again.issues.is_empty(), "{:?} → {:?}: {:?}", s, stored, again.issues);
            prop_assert_eq!(again.value.as_ref(), Some(&stored));
        }
    }

    #[test]
    fn name_errors_point_inside_the_input(s in any_value()) {
        let len = s.chars().count();
        for issue in name::parse(&s, Field::GivenName, None).issues {
            if let Some(pos) = issue.params.get("position") {
                let pos: usize = pos.parse().expect("numeric position");
                prop_assert!((1..=len).contains(&pos), "{:?}: position {} of {}", s, pos, len);
            }
        }
    }

    #[test]
    fn country_stored_form_is_a_fixed_point(s in any_value()) {
        if let Some(c) = country::parse(&s).value {
            prop_assert_eq!(country::parse(c.as_str()).value, Some(c));
            prop_assert_eq!(Country::from_code(c.as_str()), Some(c));
        }
    }

    #[test]
    fn every_field_check_is_total_and_its_normal_form_revalidates(
        s in any_value(),
        field in proptest::sample::select(FIELDS.to_vec()),
        country in prop::option::of(proptest::sample::select(vec!["ID", "IR", "SA", "GB", "US"])),
        locale in proptest::sample::select(vec!["en", "ar", "fa", "id"]),
        policy in 0usize..3,
    ) {
        let ctx = FieldContext {
            country: country.and_then(Country::from_code),
            locale: Some(locale.to_owned()),
            policy: policies()[policy].clone(),
        };
        let v = check_field(field, &s, &ctx);
        prop_assert_eq!(v.ok, v.normalized.is_some());
        prop_assert!(v.issues.iter().all(|i| !i.message.is_empty()));
        if let Some(normal) = &v.normalized {
            let again = check_field(field, normal, &ctx);
            prop_assert!(again.ok, "{:?}: {:?} → {:?} is refused: {:?}", field, s, normal, again.issues);
            prop_assert_eq!(again.normalized.as_ref(), Some(normal));
            prop_assert_eq!(again.key, v.key);
        }
    }

    #[test]
    fn validate_is_total_ordered_and_its_contact_revalidates(sub in submission()) {
        for policy in policies() {
            let verdict = validate_with(&sub, policy);
            prop_assert_eq!(verdict.ok, verdict.contact.is_some());
            prop_assert_eq!(verdict.ok, !verdict.issues.iter().any(|i| i.is_error()));
            prop_assert!(verdict.issues.windows(2).all(|w| w[0].field <= w[1].field), "{:?}", verdict.issues);
            prop_assert!(verdict.issues.iter().all(|i| !i.message.is_empty()));
            if let Some(contact) = verdict.contact {
                // The stored forms, submitted again with the same consent, give the same contact.
                let again = Submission {
                    email: contact.email.clone(),
                    phone: contact.phone_e164.clone(),
                    given_name: contact.given_name.clone(),
                    family_name: contact.family_name.clone(),
                    country: contact.country.clone(),
                    locale: sub.locale.clone(),
                    consent: sub.consent.clone(),
                    custom: contact.custom.clone(),
                    // Cleaning a cleaned source changes nothing (compared with the contact below).
                    source: contact.source.clone(),
                };
                let second = validate_with(&again, policy);
                prop_assert!(second.ok, "{:?} → {:?}: {:?}", sub, again, second.issues);
                let mut second = second.contact.expect("ok has a contact");
                // The extension is kept apart and not part of the E.164 we resubmitted.
                second.phone_extension = contact.phone_extension.clone();
                prop_assert_eq!(second, contact);
            }
        }
    }
}
