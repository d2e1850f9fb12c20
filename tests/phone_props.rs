//! Properties of `fields::phone::parse`: it never panics, whatever is typed, and what it outputs
//! reads back as the same number (E.164 under any default region, and the international form).

use proptest::prelude::*;
use signup_guard::fields::{country::Country, phone};

const REGIONS: &[&str] = &[
    "US", "CA", "GB", "DE", "FR", "IT", "VA", "SM", "RU", "KZ", "ID", "IR", "IN", "BR", "AR", "MX",
    "CI", "BJ", "CG", "GA", "NE", "JP", "CN", "AU", "NZ", "EG", "SA", "NG", "ZA", "SH",
];

fn region() -> impl Strategy<Value = Option<Country>> {
    prop_oneof![
        Just(None),
        proptest::sample::select(REGIONS).prop_map(Country::from_code),
    ]
}

/// Inputs that look like phone numbers: digits of several scripts, separators, prefixes.
fn phoneish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{1,4}",
        "[٠-٩]{1,3}",
        "[۰-۹]{1,3}",
        "[０-９]{1,3}",
        Just(" ".to_owned()),
        Just("-".to_owned()),
        Just("(0)".to_owned()),
        Just("\u{A0}".to_owned()),
        Just("\u{200E}".to_owned()),
        Just(" ext. ".to_owned()),
        Just(";ext=".to_owned()),
        Just("x".to_owned()),
        Just("#".to_owned()),
        Just("+".to_owned()),
        Just("00".to_owned()),
        Just("011".to_owned()),
    ];
    proptest::collection::vec(piece, 1..12).prop_map(|v| v.concat())
}

/// E.164-shaped strings, so that many of them are valid numbers.
fn e164ish() -> impl Strategy<Value = String> {
    "\\+[1-9][0-9]{6,14}"
}

fn round_trip(input: &str, home: Option<Country>) -> Result<(), TestCaseError> {
    let Some(p) = phone::parse(input, home).value else {
        return Ok(());
    };
    for other in [None, Country::from_code("US"), Country::from_code("KZ")] {
        let again = phone::parse(p.e164(), other).value;
        prop_assert_eq!(
            again.as_ref().map(|q| q.e164()),
            Some(p.e164()),
            "E.164 of {:?}",
            input
        );
        prop_assert_eq!(again.as_ref().map(|q| q.kind()), Some(p.kind()));
    }
    let intl = phone::parse(p.international(), None).value;
    prop_assert_eq!(
        intl.as_ref().map(|q| q.e164()),
        Some(p.e164()),
        "international of {:?}",
        input
    );
    // The national form is not asserted: libphonenumber's own national format does not always
    // read back (GA `+2412000000` formats as `02 00 00 00`, which is `+24102000000`).
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn never_panics_on_any_text(input in any::<String>(), home in region()) {
        let _ = phone::parse(&input, home);
    }

    #[test]
    fn phoneish_input_round_trips(input in phoneish(), home in region()) {
        round_trip(&input, home)?;
    }

    #[test]
    fn e164_output_reads_back_the_same(input in e164ish(), home in region()) {
        round_trip(&input, home)?;
    }
}

#[test]
fn round_trip_finds_valid_numbers() {
    // Guards the properties above against vacuity: the E.164 strategy's inputs are often valid.
    let valid = [
        "+16502530000",
        "+442079460018",
        "+390669812345",
        "+78005553535",
    ]
    .iter()
    .filter(|s| phone::parse(s, None).is_ok())
    .count();
    assert_eq!(valid, 4);
}
