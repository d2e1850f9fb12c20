//! Email: any text through `fields::email::parse`. An accepted address's stored, display and key
//! forms must each re-parse, to the same stored form (display) and to themselves (stored, key):
//! normalization is idempotent and its output re-validates (DESIGN §6 "Dedup keys").
//! Canonically equivalent input (the NFC and NFD spellings of the same text, as different
//! keyboards and operating systems send it) gets the same verdict and the same dedup key.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signup_guard::fields::email::{self, MAX_ADDRESS_OCTETS, MAX_LOCAL_OCTETS};
use signup_guard::Field;
use unicode_normalization::UnicodeNormalization;

/// `form` (`what` of `input`'s address) parsed again: it must be valid.
fn reparse(input: &str, what: &str, form: &str) -> email::Email {
    let again = email::parse(form);
    again.value.unwrap_or_else(|| {
        panic!(
            "{input:?}: {what} {form:?} does not re-validate: {:?}",
            again.issues
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let checked = email::parse(input);
    common::assert_checked("email::parse", input, Field::Email, &checked);
    let stored = |c: &signup_guard::Checked<email::Email>| {
        c.value
            .as_ref()
            .map(|e| (e.stored().to_owned(), e.key().to_owned()))
    };
    for (form, variant) in [
        ("NFC", input.nfc().collect::<String>()),
        ("NFD", input.nfd().collect()),
    ] {
        if variant != input {
            let other = email::parse(&variant);
            assert_eq!(
                stored(&other),
                stored(&checked),
                "{input:?} and its {form} {variant:?} get different verdicts: {:?} / {:?}",
                checked.issues,
                other.issues
            );
        }
    }
    let Some(e) = checked.value else { return };

    assert!(
        e.stored().len() <= MAX_ADDRESS_OCTETS,
        "{input:?}: stored {:?} too long",
        e.stored()
    );
    let (local, domain) = e
        .stored()
        .rsplit_once('@')
        .expect("a stored address has an @");
    assert!(
        local.len() <= MAX_LOCAL_OCTETS,
        "{input:?}: mailbox {local:?} too long"
    );
    assert!(
        domain.is_ascii(),
        "{input:?}: stored domain {domain:?} is not A-labels"
    );
    assert_eq!(
        domain,
        domain.to_ascii_lowercase(),
        "{input:?}: stored domain not lowercase"
    );

    let re = reparse(input, "stored form", e.stored());
    assert_eq!(
        re.stored(),
        e.stored(),
        "{input:?}: stored form not idempotent"
    );
    assert_eq!(
        re.key(),
        e.key(),
        "{input:?}: key changes on re-parse of the stored form"
    );

    let re = reparse(input, "display form", e.display());
    assert_eq!(
        re.stored(),
        e.stored(),
        "{input:?}: display form parses to another address"
    );

    assert_eq!(
        email::dedup_key(e.stored()),
        e.key(),
        "{input:?}: key is not the stored form's"
    );
    assert_eq!(
        email::dedup_key(e.key()),
        e.key(),
        "{input:?}: key not idempotent"
    );
    // Case folding may lengthen a mailbox past what an address may have (`İ` is two octets, its
    // lowercase three): such a key identifies the address but is none itself. Any other key
    // re-validates, to itself.
    let (key_local, _) = e.key().rsplit_once('@').expect("a key has an @");
    if key_local.len() <= MAX_LOCAL_OCTETS && e.key().len() <= MAX_ADDRESS_OCTETS {
        let re = reparse(input, "key", e.key());
        assert_eq!(re.key(), e.key(), "{input:?}: key not idempotent");
    }
});
