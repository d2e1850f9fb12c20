//! Phone: `fields::phone::parse` with a default region picked by the first byte (an index into
//! the accepted country codes; 250..=255 mean no default region), the rest as the typed text.
//! An accepted number's E.164 and international forms must re-parse to the same number, with
//! any default region (the number is never changed into another one).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signup_guard::fields::{country, phone};
use signup_guard::{Country, Field};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(text) else {
        return;
    };
    let region = country::CODES
        .get(usize::from(pick))
        .and_then(|c| Country::from_code(c));
    let checked = phone::parse(input, region);
    common::assert_checked("phone::parse", input, Field::Phone, &checked);
    let Some(p) = checked.value else { return };

    let e164 = p.e164();
    let digits = e164
        .strip_prefix('+')
        .unwrap_or_else(|| panic!("{input:?}: {e164:?} lacks +"));
    // Not E.164's 15: libphonenumber takes national numbers up to 17 digits (Japan's 0066
    // toll-free numbers make +810066210610662104 valid), after a country code of up to 3.
    assert!(
        (2..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()),
        "{input:?} ({region:?}): bad E.164 {e164:?}"
    );
    for (form, text) in [("e164", e164), ("international", p.international())] {
        for home in [None, region, Country::from_code("US")] {
            let again = phone::parse(text, home);
            let re = again.value.unwrap_or_else(|| {
                panic!("{input:?} ({region:?}): {form} {text:?} does not re-validate under {home:?}: {:?}", again.issues)
            });
            assert_eq!(
                re.e164(),
                e164,
                "{input:?} ({region:?}): {form} {text:?} under {home:?} is another number"
            );
            assert_eq!(
                re.kind(),
                p.kind(),
                "{input:?}: {form} re-parse changes the type"
            );
        }
    }
});
