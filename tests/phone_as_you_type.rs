//! As-you-type phone formatting (`phone::format_as_you_type`): what a person sees in the field
//! while typing, and the differential test against libphonenumber's `AsYouTypeFormatter`.
//!
//! The differential test is ignored by default: `scripts/phone-differential.sh` generates the
//! typing sequences with PyPI `phonenumbers` (`scripts/phone-as-you-type.py`) and runs it with
//! `PHONE_AS_YOU_TYPE_CASES` pointing at them. Every prefix of every sequence must show the
//! same text, except the deliberate differences in `deliberate` (and in the README).

use proptest::prelude::*;
use serde::Deserialize;
use signup_guard::fields::{country::Country, phone};
use std::collections::BTreeMap;

fn shown(input: &str, country: &str) -> String {
    match phone::format_as_you_type(input, Country::from_code(country)) {
        phone::AsYouType::Formatted { text, .. } => text,
        phone::AsYouType::Pending { data } => panic!("natively nothing is pending ({data})"),
    }
}

/// Every prefix of a sequence typed in `country`.
fn typing(typed: &str, country: &str) -> Vec<String> {
    let chars: Vec<char> = typed.chars().collect();
    (1..=chars.len())
        .map(|n| shown(&chars[..n].iter().collect::<String>(), country))
        .collect()
}

#[test]
fn groups_digits_as_the_region_writes_them() {
    assert_eq!(shown("081234567890", "ID"), "0812-3456-7890");
    assert_eq!(shown("2025550143", "US"), "(202) 555-0143");
    assert_eq!(shown("02079460018", "GB"), "020 7946 0018");
    assert_eq!(shown("0612345678", "FR"), "06 12 34 56 78");
    assert_eq!(shown("09123456789", "IR"), "0912 345 6789");
}

#[test]
fn a_calling_code_switches_to_the_international_format() {
    assert_eq!(shown("+442079460018", "ID"), "+44 20 7946 0018");
    assert_eq!(shown("+6281234567890", "US"), "+62 812-3456-7890");
    assert_eq!(shown("011442079460018", "US"), "011 44 20 7946 0018");
    let typed = typing("+4420", "FR");
    assert_eq!(typed, ["+", "+4", "+44 ", "+44 2", "+44 20"]);
    match phone::format_as_you_type("+4420", Country::from_code("ID")) {
        phone::AsYouType::Formatted {
            calling_code,
            region,
            ..
        } => {
            assert_eq!(calling_code, Some(44));
            assert_eq!(region.map(|c| c.as_str().to_owned()).as_deref(), Some("GB"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn separators_already_shown_are_read_through_and_other_text_is_left_alone() {
    // What the field shows, edited in the middle, is formatted again from its digits.
    assert_eq!(shown("0812-34567-890", "ID"), "0812-3456-7890");
    assert_eq!(shown("(202) 555-01", "US"), "(202) 555-01");
    for text in ["0812 ext 5", "call 0812", "+62+81", "12+3"] {
        assert_eq!(shown(text, "ID"), text);
    }
    assert_eq!(shown("", "ID"), "");
    assert_eq!(shown("+", "ID"), "+");
}

#[test]
fn the_digits_keep_the_script_they_were_typed_in() {
    assert_eq!(shown("۰۹۱۲۳۴۵۶۷۸۹", "IR"), "۰۹۱۲ ۳۴۵ ۶۷۸۹");
    assert_eq!(shown("٠٥٠١٢٣٤٥٦٧", "SA"), "٠٥٠ ١٢٣ ٤٥٦٧");
    assert_eq!(shown("+۹۸۹۱۲", "US"), "+۹۸ ۹۱۲");
}

#[test]
fn without_a_country_only_a_calling_code_formats() {
    assert_eq!(shown("+6281234", "ZZ"), "+62 812-34");
    match phone::format_as_you_type("081234", None) {
        phone::AsYouType::Formatted { text, .. } => assert_eq!(text, "081234"),
        other => panic!("{other:?}"),
    }
}

proptest! {
    /// Formatting never adds, drops or reorders a digit, and formatting the shown text again
    /// shows the same text (so formatting on every keystroke is stable).
    #[test]
    fn keeps_every_digit_and_is_stable(
        lead in prop::sample::select(vec!["", "+", "0", "00", "011", "1", "8"]),
        body in "[0-9]{0,20}",
        region in prop::sample::select(vec!["ID", "IR", "SA", "EG", "US", "GB", "DE", "FR", "IN", "BR", "RU", "CN"]),
    ) {
        let input = format!("{lead}{body}");
        let out = shown(&input, region);
        let kept: String = out.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
        prop_assert_eq!(&kept, &input);
        prop_assert_eq!(shown(&out, region), out);
    }

    /// Any text at all: no panic. Text with a letter comes back unchanged; otherwise the digits
    /// shown are the digits typed (by value, whatever their script), in order.
    #[test]
    fn any_text_is_safe(input in "[0-9\u{6F0}-\u{6F9}\u{660}-\u{669} ().+a\u{200E}-]{0,30}") {
        let out = shown(&input, "IR");
        let value = |s: &str| -> String {
            s.chars()
                .filter_map(|c| match c {
                    '0'..='9' => Some(c),
                    '\u{6F0}'..='\u{6F9}' => char::from_digit(c as u32 - 0x6F0, 10),
                    '\u{660}'..='\u{669}' => char::from_digit(c as u32 - 0x660, 10),
                    _ => None,
                })
                .collect()
        };
        if input.contains('a') {
            prop_assert_eq!(&out, &input);
        } else {
            prop_assert_eq!(value(&out), value(&input));
        }
    }
}

#[derive(Deserialize)]
struct File {
    meta: serde_json::Value,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    category: String,
    region: String,
    typed: String,
    shown: Vec<String>,
}

/// Deliberate differences: the text this crate shows instead of libphonenumber's, and why
/// (`None`: no difference).
fn deliberate(_case: &Case, _step: usize, _want: &str) -> Option<String> {
    None
}

#[test]
#[ignore = "needs PHONE_AS_YOU_TYPE_CASES; run scripts/phone-differential.sh"]
fn agrees_with_libphonenumber_as_you_type() {
    let path = std::env::var("PHONE_AS_YOU_TYPE_CASES")
        .expect("set PHONE_AS_YOU_TYPE_CASES to the file scripts/phone-as-you-type.py wrote");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let file: File = serde_json::from_str(&text).expect("cases JSON");
    assert!(file.cases.len() > 5_000, "too few: {}", file.cases.len());
    let mut per_cat: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let (mut steps, mut agree) = (0usize, 0usize);
    let mut failures = Vec::new();
    for case in &file.cases {
        let got = typing(&case.typed, &case.region);
        let entry = per_cat.entry(case.category.as_str()).or_default();
        entry.0 += 1;
        let mut all = true;
        for (i, (have, want)) in got.iter().zip(&case.shown).enumerate() {
            steps += 1;
            let want = deliberate(case, i, want).unwrap_or_else(|| want.clone());
            if *have == want {
                agree += 1;
            } else if all {
                all = false;
                failures.push(format!(
                    "[{}] {} typed {:?}: after {:?} want {want:?}, got {have:?}",
                    case.category,
                    case.region,
                    case.typed,
                    &case.typed[..=i]
                ));
            }
        }
        entry.1 += usize::from(all);
    }
    println!("reference: {}", file.meta);
    println!("{:<20} {:>9} {:>9}", "category", "sequences", "agree");
    for (cat, (n, ok)) in &per_cat {
        println!("{cat:<20} {n:>9} {ok:>9}");
    }
    println!(
        "keystrokes: {agree} of {steps} agree ({:.3}%)",
        100.0 * agree as f64 / steps as f64
    );
    assert!(
        failures.is_empty(),
        "{} of {} sequences disagree:\n{}",
        failures.len(),
        file.cases.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
