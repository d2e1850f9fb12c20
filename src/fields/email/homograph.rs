//! Homograph domains: labels that pass for another name with look-alike letters (UTS #39).
//!
//! Judged on the U-labels, so an A-label typed as `xn--…` is decoded first, label by label:
//! 1. a label whose letters mix scripts beyond UTS #39 "moderately restrictive" is refused
//!    (`gmаil` with a Cyrillic `а`, `hοtmail` with a Greek omicron), and so is a label that mixes
//!    scripts in any way and reads, letter for letter, as ASCII (`gօօgle` with Armenian `օ`,
//!    which "moderately restrictive" lets through: a real mix has letters of its own);
//! 2. a label in one script is refused when it reads, letter for letter, as a mailbox provider:
//!    the whole domain reads as a listed provider (`уаһоо.com`, all Cyrillic), or the label reads
//!    as a provider's name of five or more characters (`уаһоо.рф`).
//!
//! The provider it passes for is offered as the suggestion. Plain ASCII domains never get here:
//! `g00gle.com` is a question for the typo rules, not a homograph. Legitimate IDNs in one script
//! (`bücher.de`, `пример.рф`, `例え.jp` with Han and Hiragana) read as no provider and pass.
//!
//! ```text
//! gmаil.com → refused, gmail.com    уаһоо.com → refused, yahoo.com    пример.рф → accepted
//! ```

use super::lists::providers;
use crate::unicode::{ascii_lookalike, ascii_lookalike_char, is_restricted_script_mix, scripts};

/// Providers' names shorter than this are matched only as whole domains: a short word in
/// another script (`ор`, `уа`) too easily reads as one (`op.pl`, `ya.ru`).
const MIN_NAME_CHARS: usize = 5;

/// Why a domain is refused as a homograph.
pub(super) struct Homograph {
    /// The scripts of the offending label's letters, by full name (`["Latin", "Cyrillic"]`).
    pub scripts: Vec<&'static str>,
    /// The provider the domain passes for, if any.
    pub provider: Option<&'static str>,
}

/// Whether the ASCII `text` reads as `reading` (an [`ascii_lookalike`] result), without
/// allocating: this runs over every provider for every internationalized domain.
fn reads_as(text: &str, reading: &str) -> bool {
    text.len() == reading.len()
        && text
            .chars()
            .map(ascii_lookalike_char)
            .eq(reading.chars().map(Some))
}

/// The provider whose whole domain reads as `reading`.
fn provider_reading_as(reading: &str) -> Option<&'static str> {
    providers()?.iter().copied().find(|p| reads_as(p, reading))
}

/// The provider whose name (first label, at least [`MIN_NAME_CHARS`] long) reads as `reading`.
fn provider_named(reading: &str) -> Option<&'static str> {
    providers()?.iter().copied().find(|p| {
        let name = p.split('.').next().unwrap_or(p);
        name.len() >= MIN_NAME_CHARS && reads_as(name, reading)
    })
}

/// Checks the U-label form `unicode` of a domain that passed the other domain rules.
pub(super) fn check(unicode: &str) -> Option<Homograph> {
    if unicode.is_ascii() {
        return None;
    }
    // The whole domain's reading: its labels' readings with their dots ('.' reads as itself).
    let whole = ascii_lookalike(unicode);
    let as_whole = whole.as_deref().and_then(provider_reading_as);
    for label in unicode.split('.').filter(|l| !l.is_ascii()) {
        let reading = ascii_lookalike(label);
        let label_scripts = scripts(label);
        let mixed =
            !is_restricted_script_mix(label) || (label_scripts.len() > 1 && reading.is_some());
        let provider = as_whole.or_else(|| reading.and_then(|r| provider_named(&r)));
        if mixed || provider.is_some() {
            return Some(Homograph {
                scripts: label_scripts,
                provider,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(domain: &str) -> Option<(String, Option<&'static str>)> {
        check(domain).map(|h| (h.scripts.join(", "), h.provider))
    }

    #[test]
    fn mixed_scripts_and_provider_lookalikes_are_refused() {
        let cyrillic_a = verdict("gm\u{0430}il.com");
        assert_eq!(
            cyrillic_a,
            Some(("Latin, Cyrillic".into(), Some("gmail.com")))
        );
        let omicron = verdict("h\u{03BF}tmail.com");
        assert_eq!(omicron, Some(("Latin, Greek".into(), Some("hotmail.com"))));
        // All Cyrillic: у а һ о о.
        let whole_script = verdict("\u{0443}\u{0430}\u{04BB}\u{043E}\u{043E}.com");
        assert_eq!(whole_script, Some(("Cyrillic".into(), Some("yahoo.com"))));
        let name_only = verdict("\u{0443}\u{0430}\u{04BB}\u{043E}\u{043E}.рф");
        assert_eq!(name_only, Some(("Cyrillic".into(), Some("yahoo.com"))));
        // A mix that reads as no provider is still a mix.
        assert_eq!(
            verdict("ivanиван.com"),
            Some(("Latin, Cyrillic".into(), None))
        );
        // Latin with Armenian is moderately restrictive, but օ only stands in for o.
        let armenian = verdict("g\u{0585}\u{0585}gle.com");
        assert_eq!(armenian, Some(("Latin, Armenian".into(), None)));
    }

    #[test]
    fn single_script_names_that_read_as_no_provider_pass() {
        for ok in [
            "bücher.de",
            "пример.рф",
            "例え.jp",
            "カタカナ例えひらがな.jp",
            "مثال.ایران",
            "παράδειγμα.ελ",
            "gmail.com",
            "\u{043E}\u{0440}.рф", // ор: reads as "op" (op.pl), too short to be a name
            "example.рф",
            "rahulराहुल.in", // Latin with Devanagari letters of its own
            "abc中文.cn",
        ] {
            assert!(check(ok).is_none(), "{ok}");
        }
    }
}
