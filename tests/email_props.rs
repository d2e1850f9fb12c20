//! Property tests for the email rules over arbitrary Unicode: never panic, stored forms are
//! fixed points, and the deduplication key is stable (DESIGN §6 "dedup keys must be idempotent").

use proptest::prelude::*;
use signup_guard::fields::email::{self, Email};
use unicode_normalization::UnicodeNormalization;

/// Address-shaped strings: mailbox and domain drawn from characters that exercise NFKC, IDNA,
/// case folding and the script rules, so that many of them are valid.
fn address() -> impl Strategy<Value = String> {
    let local = prop_oneof![
        "[a-zA-Z0-9._+-]{1,20}",
        "[a-zA-Zß-ÿİıſǅﬁＡ-Ｚａ-ｚ.]{1,12}",
        "[Α-Ωά-ώΣς]{1,10}",
        "[А-Яа-яЁё.]{1,12}",
        "[ء-ي٠-٩۰-۹]{1,10}",
        "[一-龥ぁ-んァ-ン]{1,8}",
        "[ก-ฮะ-ู]{1,8}",
        "[क-ह़-्]{1,8}",
        "[가-힣]{1,6}",
        "\\PC{1,12}",
    ];
    let label = prop_oneof![
        "[a-zA-Z0-9][a-zA-Z0-9-]{0,10}[a-zA-Z0-9]",
        "[a-zäöüßА-Яа-я一-龥]{1,8}",
        "xn--[a-z0-9]{2,8}",
        "\\PC{1,6}",
    ];
    let tld = prop_oneof![
        Just("com".to_owned()),
        Just("co.id".to_owned()),
        Just("de".to_owned()),
        Just("рф".to_owned()),
        Just("中国".to_owned()),
        Just("con".to_owned()),
        "[a-z]{2,4}",
    ];
    (local, prop::collection::vec(label, 1..3), tld)
        .prop_map(|(l, labels, t)| format!("{l}@{}.{t}", labels.join(".")))
}

fn ok(input: &str) -> Option<Email> {
    email::parse(input).value
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_arbitrary_unicode(s in "\\PC*|.*") {
        let _ = email::parse(&s);
    }

    #[test]
    fn never_panics_on_address_shapes(s in address()) {
        let _ = email::parse(&s);
    }

    #[test]
    fn stored_form_is_a_fixed_point(s in address()) {
        if let Some(e) = ok(&s) {
            let again = ok(e.stored());
            prop_assert!(again.is_some(), "stored form {:?} of {:?} is refused: {:?}",
                e.stored(), s, email::parse(e.stored()).issues);
            let again = again.unwrap();
            prop_assert_eq!(again.stored(), e.stored());
            prop_assert_eq!(again.display(), e.display());
            prop_assert_eq!(again.key(), e.key(), "key(stored) != key(input) for {:?}", s);
        }
    }

    #[test]
    fn key_is_idempotent(s in address()) {
        if let Some(e) = ok(&s) {
            prop_assert_eq!(email::dedup_key(e.key()), e.key());
            // A key whose mailbox case folding lengthened past 64 octets is no address itself
            // (tests/fuzz_regressions.rs); any other re-validates, to itself.
            let local = e.key().rsplit_once('@').unwrap().0;
            if local.len() <= email::MAX_LOCAL_OCTETS {
                let again = ok(e.key());
                prop_assert!(again.is_some(), "key {:?} of {:?} is refused: {:?}",
                    e.key(), s, email::parse(e.key()).issues);
                let again = again.unwrap();
                prop_assert_eq!(again.key(), e.key());
            }
        }
    }

    /// Canonically equivalent spellings (a macOS keyboard's NFD, a Windows NFC paste) are one
    /// person: one verdict, one dedup key.
    #[test]
    fn canonically_equivalent_inputs_share_verdict_and_key(s in address()) {
        let nfc: String = s.nfc().collect();
        let nfd: String = s.nfd().collect();
        let (a, b) = (email::parse(&nfc), email::parse(&nfd));
        prop_assert_eq!(a.value.is_some(), b.value.is_some(), "{:?} vs {:?}", a.issues, b.issues);
        if let (Some(a), Some(b)) = (a.value, b.value) {
            prop_assert_eq!(a.key(), b.key());
            prop_assert_eq!(a.stored(), b.stored());
        }
    }

    #[test]
    fn display_form_checks_to_the_same_address(s in address()) {
        if let Some(e) = ok(&s) {
            let again = ok(e.display());
            prop_assert!(again.is_some(), "display {:?} refused", e.display());
            let again = again.unwrap();
            prop_assert_eq!(again.stored(), e.stored());
        }
    }
}

/// Letters of other scripts (and Latin ones outside ASCII) that look like ASCII ones, and the
/// ASCII letter each passes for.
const LOOKALIKES: &[(char, char)] = &[
    ('a', '\u{0430}'), // Cyrillic а
    ('c', '\u{0441}'), // Cyrillic с
    ('e', '\u{0435}'), // Cyrillic е
    ('h', '\u{04BB}'), // Cyrillic һ
    ('i', '\u{0456}'), // Cyrillic і
    ('i', '\u{0131}'), // Latin dotless ı
    ('l', '\u{04CF}'), // Cyrillic ӏ
    ('o', '\u{043E}'), // Cyrillic о
    ('o', '\u{03BF}'), // Greek ο
    ('o', '\u{0585}'), // Armenian օ
    ('p', '\u{0440}'), // Cyrillic р
    ('y', '\u{0443}'), // Cyrillic у
];

/// Providers to imitate, with the part before the ending that the spoofs change.
const PROVIDERS: &[(&str, &str)] = &[
    ("gmail", ".com"),
    ("yahoo", ".com"),
    ("hotmail", ".com"),
    ("outlook", ".com"),
    ("icloud", ".com"),
    ("yahoo", ".co.id"),
    ("mail", ".ru"),
    ("ya", ".ru"),
    ("yandex", ".ru"),
    ("chmail", ".ir"),
];

/// A provider with some of the letters of its name swapped for look-alikes (at least one).
fn spoof() -> impl Strategy<Value = (String, String)> {
    (
        0..PROVIDERS.len(),
        prop::collection::vec(any::<prop::sample::Index>(), 1..6),
    )
        .prop_filter_map("the name has no letter with a look-alike", |(p, picks)| {
            let (name, ending) = PROVIDERS[p];
            let mut chars: Vec<char> = name.chars().collect();
            let mut changed = false;
            for pick in picks {
                let at = pick.index(chars.len());
                let options: Vec<char> = LOOKALIKES
                    .iter()
                    .filter(|(ascii, _)| *ascii == name.chars().nth(at).unwrap_or(' '))
                    .map(|&(_, other)| other)
                    .collect();
                if !options.is_empty() {
                    chars[at] = options[pick.index(options.len())];
                    changed = true;
                }
            }
            let label: String = chars.into_iter().collect();
            changed.then(|| (format!("{label}{ending}"), format!("{name}{ending}")))
        })
}

/// Domains in several scripts, spoofs and real names alike.
fn idn_domain() -> impl Strategy<Value = String> {
    let label = prop_oneof![
        "[a-z0-9а-яёα-ωıһӏօ]{1,10}",
        "[a-zäöüß]{1,8}",
        "[а-я]{1,8}",
        "[ぁ-んァ-ン一-龥]{1,6}",
    ];
    let ending = prop_oneof![
        Just("com"),
        Just("de"),
        Just("рф"),
        Just("jp"),
        Just("co.id")
    ];
    (label, ending).prop_map(|(l, e)| format!("{l}.{e}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Issue 13: a provider spelled with any look-alike letters is refused, and the provider it
    /// imitates is the suggestion, whether the letters mix scripts or not.
    #[test]
    fn provider_spoofs_are_refused_with_the_provider_suggested((domain, provider) in spoof()) {
        let checked = email::parse(&format!("user@{domain}"));
        let codes: Vec<&str> = checked.issues.iter().map(|i| i.code.as_str()).collect();
        prop_assert_eq!(codes, vec!["email.domain_confusable"], "{}", domain);
        let want = format!("user@{provider}");
        prop_assert_eq!(checked.issues[0].suggestion.as_deref(), Some(want.as_str()));
    }

    /// Issue 13: a domain typed as A-labels gets the verdict of its U-label form (codes, and the
    /// stored form and key when accepted): the homograph rules judge the decoded labels.
    #[test]
    fn a_label_and_u_label_forms_share_the_verdict(domain in idn_domain()) {
        let Ok(ascii) = idna::domain_to_ascii(&domain) else {
            return Ok(());
        };
        let (u, a) = (email::parse(&format!("user@{domain}")), email::parse(&format!("user@{ascii}")));
        let codes = |c: &signup_guard::Checked<Email>| -> Vec<&'static str> {
            c.issues.iter().map(|i| i.code.as_str()).collect()
        };
        prop_assert_eq!(codes(&u), codes(&a), "{} vs {}", domain, ascii);
        prop_assert_eq!(
            u.value.as_ref().map(|e| (e.stored().to_owned(), e.key().to_owned())),
            a.value.as_ref().map(|e| (e.stored().to_owned(), e.key().to_owned()))
        );
        prop_assert_eq!(
            u.issues.iter().map(|i| i.suggestion.clone()).collect::<Vec<_>>(),
            a.issues.iter().map(|i| i.suggestion.clone()).collect::<Vec<_>>()
        );
    }

    /// Issue 13: one trailing root dot changes nothing but the dot (same verdict codes, same
    /// stored form, display and key).
    #[test]
    fn a_root_dot_gives_the_dotless_verdict(s in address()) {
        // Not a root dot: a dot already there, or one after a display name, query or quote.
        if s.ends_with(['.', '\u{3002}', '\u{FF0E}', '\u{FF61}']) || s.contains(['<', '?', '"']) {
            return Ok(());
        }
        let (plain, dotted) = (email::parse(&s), email::parse(&format!("{s}.")));
        let codes = |c: &signup_guard::Checked<Email>| -> Vec<&'static str> {
            c.issues.iter().map(|i| i.code.as_str()).collect()
        };
        prop_assert_eq!(codes(&plain), codes(&dotted), "{:?}", s);
        prop_assert_eq!(plain.value, dotted.value, "{:?}", s);
    }
}

/// The properties above are only as strong as the share of generated inputs that are valid.
#[test]
fn address_strategy_produces_valid_addresses() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = address();
    let valid = (0..2000)
        .filter(|_| ok(&strategy.new_tree(&mut runner).unwrap().current()).is_some())
        .count();
    assert!(
        valid > 300,
        "only {valid} of 2000 generated addresses are valid"
    );
}

#[test]
fn known_key_traps_are_stable() {
    // U+0130 U+0323: lowercase(NFKC(x)) is not idempotent (the dot above reorders past the dot
    // below on a second pass); NFKC(lowercase(NFKC(x))) is.
    for input in [
        "\u{130}\u{323}x@example.org",
        "ΣΑΣ@example.gr",
        "Ǆ@example.org",
        "ﬃ@example.org",
    ] {
        let e = ok(input).unwrap_or_else(|| panic!("{input} refused"));
        let k = ok(e.key()).unwrap_or_else(|| panic!("key of {input} refused"));
        assert_eq!(k.key(), e.key(), "{input}");
    }
}

/// Found by `key_is_idempotent`: Georgian capital U+10C7 is an allowed identifier character, but
/// its lowercase U+2D27 is not, so the key of an accepted address was itself refused. A mailbox
/// character is accepted only when its lowercase is too.
#[test]
fn a_mailbox_whose_lowercase_is_not_allowed_is_refused() {
    let checked = email::parse("\u{10C7}@example.com");
    assert_eq!(
        checked.issues[0].code.as_str(),
        "email.local_invalid_character"
    );
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
#[test]
fn disposable_domains_warn_natively_and_subdomains_count() {
    for input in [
        "x@mailinator.com",
        "x@eu.mailinator.com",
        "x@guerrillamail.com",
    ] {
        let checked = email::parse(input);
        assert!(checked.is_ok(), "{input}: a warning, not an error");
        let codes: Vec<_> = checked.issues.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes, ["email.disposable"], "{input}");
    }
    assert!(email::parse("x@gmail.com").issues.is_empty());
}
