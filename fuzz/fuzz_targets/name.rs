//! Names: `fields::name::parse`. The first byte picks the field (bit 0: given or family name)
//! and `max_chars` (the other bits: 0 = the default, else that many characters); the rest is the
//! typed text. A stored name is within the limit, has no edge or doubled white space, and
//! re-parses to itself. The NFC and NFD spellings of the same text get the same verdict.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signup_guard::fields::name;
use signup_guard::Field;
use unicode_normalization::UnicodeNormalization;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(text) else {
        return;
    };
    let field = if pick & 1 == 0 {
        Field::GivenName
    } else {
        Field::FamilyName
    };
    let max = match usize::from(pick >> 1) {
        0 => None,
        n => Some(n),
    };
    let checked = name::parse(input, field, max);
    common::assert_checked("name::parse", input, field, &checked);
    let stored =
        |c: &signup_guard::Checked<name::Name>| c.value.as_ref().map(|n| n.as_str().to_owned());
    for (form, variant) in [
        ("NFC", input.nfc().collect::<String>()),
        ("NFD", input.nfd().collect()),
    ] {
        if variant != input {
            let other = name::parse(&variant, field, max);
            assert_eq!(
                stored(&other),
                stored(&checked),
                "{input:?} and its {form} {variant:?} get different verdicts: {:?} / {:?}",
                checked.issues,
                other.issues
            );
        }
    }
    let Some(n) = checked.value else { return };
    let stored = n.as_str();

    let limit = max.unwrap_or(name::DEFAULT_MAX_CHARS);
    assert!(
        stored.chars().count() <= limit,
        "{input:?}: {stored:?} over {limit} chars"
    );
    assert!(!stored.is_empty(), "{input:?}: accepted an empty name");
    assert_eq!(
        stored,
        stored.trim(),
        "{input:?}: stored {stored:?} has edge white space"
    );
    assert!(
        !stored.contains("  "),
        "{input:?}: stored {stored:?} has a doubled space"
    );

    let again = name::parse(stored, field, max);
    let re = again.value.unwrap_or_else(|| {
        panic!(
            "{input:?}: stored {stored:?} does not re-validate: {:?}",
            again.issues
        )
    });
    assert_eq!(
        re.as_str(),
        stored,
        "{input:?}: name normalization not idempotent"
    );
});
