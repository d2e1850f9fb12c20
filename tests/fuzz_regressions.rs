//! Minimal reproductions of what the fuzz targets (fuzz/fuzz_targets/*.rs) found, as plain tests
//! so they run without nightly. Each says which target found it and why it matters.
//!
//! The name cases broke the `name` target's check that the NFC and NFD spellings of one text
//! get the same verdict; the rules now judge the stored (NFC) form.

use signup_guard::fields::name;
use signup_guard::Field;

/// The stored name, or the codes of the refusal.
fn verdict(input: &str) -> Result<String, Vec<&'static str>> {
    let checked = name::parse(input, Field::GivenName, None);
    match checked.value {
        Some(n) => Ok(n.as_str().to_owned()),
        None => Err(checked.issues.iter().map(|i| i.code.as_str()).collect()),
    }
}

/// Found by `name`: a joiner between two ASCII letters is refused (it only hides a Latin name
/// from search), but the test looks at the next *character*, so `A`+ZWJ+`ĺ` typed precomposed
/// (U+013A, Windows) is accepted while the same text typed decomposed (`l` + U+0301, macOS
/// keyboards and NFD pastes) is refused: one person, two verdicts depending on their computer.
/// Both spellings are stored alike (NFC), so both must get the same answer: a refusal, since a
/// joiner between two Latin letters hides a name whether the letter is accented or not.
#[test]
fn joiner_before_a_decomposed_letter_gets_the_verdict_of_the_precomposed_one() {
    let precomposed = verdict("A\u{200D}\u{013A}");
    let decomposed = verdict("A\u{200D}l\u{0301}");
    assert_eq!(decomposed, precomposed);
    assert_eq!(precomposed, Err(vec!["input.invisible_character"]));
}

/// Found by `name`: characters are checked as typed, before NFC. GREEK ANO TELEIA (U+0387) is
/// canonically the MIDDLE DOT (U+00B7) that Catalan names use (`Paul·la`), and any
/// normalization (the browser's `normalize()`, an NFC paste) turns one into the other; the
/// typed U+0387 is refused as an invalid character, the normalized U+00B7 accepted.
#[test]
fn greek_ano_teleia_gets_the_verdict_of_the_middle_dot_it_normalizes_to() {
    let middle_dot = verdict("Paul\u{00B7}la");
    assert_eq!(middle_dot, Ok("Paul\u{00B7}la".to_owned()));
    assert_eq!(verdict("Paul\u{0387}la"), middle_dot);
}

/// Found by `phone` (libphonenumber 9.0.43 metadata): `808 1034 55679` in Belarus is a valid
/// premium-rate number stored as `+3758103455679`, but reading that E.164 back stripped the `8`
/// of `810` as a trunk prefix (as libphonenumber itself does) and called it invalid. A stored
/// number must read back as itself, or erasure and suppression by phone miss the person.
#[test]
fn a_stored_e164_number_reads_back_as_itself() {
    use signup_guard::fields::phone;
    use signup_guard::Country;
    let typed = phone::parse("808 1034 55679", Country::from_code("BY"));
    let e164 = typed.value.expect("valid in Belarus").e164().to_owned();
    assert_eq!(e164, "+3758103455679");
    let again = phone::parse(&e164, None)
        .value
        .expect("its own E.164 reads back");
    assert_eq!(again.e164(), e164);
}

/// Found by `email` (the fuzz smoke on a fresh clone, 2026-12-07): a mailbox of 64 octets with a
/// capital `İ` (U+0130, two octets) is a valid address, but its dedup key folds `İ` to `i` and a
/// combining dot (three octets): 65, one past what a mailbox may have, so the target's "the key
/// re-validates" failed. A key identifies an address, it is none to send to: it stays the
/// stored form's key, idempotent, and longer than any mailbox.
#[test]
fn a_dedup_key_may_outgrow_the_mailbox_it_folds_and_stays_idempotent() {
    use signup_guard::fields::email::{self, MAX_LOCAL_OCTETS};
    let local = format!("{}\u{0130}", "u".repeat(MAX_LOCAL_OCTETS - 2));
    assert_eq!(local.len(), MAX_LOCAL_OCTETS);
    let e = email::parse(&format!("{local}@gmail.com"))
        .value
        .expect("a 64-octet mailbox is an address");
    let key_local = e.key().rsplit_once('@').unwrap().0;
    assert_eq!(
        key_local,
        format!("{}i\u{0307}", "u".repeat(MAX_LOCAL_OCTETS - 2))
    );
    assert_eq!(key_local.len(), MAX_LOCAL_OCTETS + 1);
    assert_eq!(email::dedup_key(e.stored()), e.key());
    assert_eq!(email::dedup_key(e.key()), e.key());
}
