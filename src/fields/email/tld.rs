//! Top-level domains: numeric, special-use, and the IANA root zone.
//!
//! The root zone is the generated table in `tld_list.rs` (refresh it with
//! `bash scripts/refresh-email-data.sh`). Special-use names (RFC 6761 and successors) can never
//! receive mail from the internet, so a signup form refuses them even though some, like `arpa`,
//! are in the root zone.
//!
//! The browser build does not embed the root zone: it knows the most common endings, and loads
//! the list with the email data file (`lists.rs`) when an address ends in another.

use super::{lines, lists};
use crate::issue::Code;

/// Endings reserved for tests, documentation, local networks and other non-internet uses, plus
/// the private suffixes people use on office networks; sorted (binary-searched). `home.arpa`
/// (RFC 8375) is the one two-label special-use name and is matched on its own.
const SPECIAL_USE: &[&str] = &[
    "alt",         // RFC 9476
    "corp",        // ICANN name-collision, never delegated
    "example",     // RFC 2606
    "home",        // ICANN name-collision, never delegated
    "internal",    // ICANN 2024, private use
    "intranet",    // private use
    "invalid",     // RFC 2606
    "lan",         // private use
    "local",       // RFC 6762 (mDNS)
    "localdomain", // private use
    "localhost",   // RFC 6761
    "onion",       // RFC 7686 (Tor)
    "private",     // private use
    "test",        // RFC 2606
];

/// Whether `tld` (lowercase A-label) is delegated in the IANA root zone.
pub(super) fn in_root_zone(tld: &str) -> bool {
    // The endings of most addresses, answered without searching.
    matches!(
        tld,
        "com" | "net" | "org" | "id" | "de" | "uk" | "ru" | "br" | "jp" | "fr"
    ) || lists::root_zone().is_some_and(|list| lines::contains(list, tld))
}

/// The special-use ending of `domain` (lowercase A-labels), if it has one.
pub(super) fn special_use(domain: &str) -> Option<&'static str> {
    let mut labels = domain.rsplit('.');
    let last = labels.next()?;
    if last == "arpa" {
        return (labels.next() == Some("home")).then_some("home.arpa");
    }
    SPECIAL_USE
        .binary_search(&last)
        .ok()
        .and_then(|i| SPECIAL_USE.get(i).copied())
}

/// Checks the ending of a valid host name (lowercase A-labels, at least two labels); returns the
/// refusal code and the ending it names, or `None` when the ending can receive mail.
pub(super) fn check(
    domain: &str,
    allow_special_use: bool,
    require_root_zone: bool,
) -> Option<(Code, String)> {
    let tld = domain.rsplit('.').next().unwrap_or(domain);
    if !tld.is_empty() && tld.bytes().all(|b| b.is_ascii_digit()) {
        return Some((Code::EmailTldNumeric, tld.to_owned()));
    }
    if !allow_special_use {
        if let Some(name) = special_use(domain) {
            return Some((Code::EmailTldReserved, name.to_owned()));
        }
    } else if special_use(domain).is_some() {
        return None;
    }
    if require_root_zone && !in_root_zone(tld) {
        return Some((Code::EmailTldUnknown, tld.to_owned()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_zone_has_generic_country_and_idn_endings() {
        for tld in [
            "com",
            "id",
            "ir",
            "xn--p1ai",
            "xn--mgbaam7a8h",
            "xn--fiqs8s",
            "museum",
        ] {
            assert!(in_root_zone(tld), "{tld}");
        }
        for tld in ["con", "cmo", "local", "", "comm", "xn--"] {
            assert!(!in_root_zone(tld), "{tld}");
        }
    }

    #[test]
    fn special_use_is_sorted_for_binary_search() {
        assert!(SPECIAL_USE.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn special_use_matches_whole_labels_only() {
        assert_eq!(special_use("router.home.arpa"), Some("home.arpa"));
        assert_eq!(special_use("in-addr.arpa"), None);
        assert_eq!(special_use("arpa"), None);
        assert_eq!(special_use("printer.local"), Some("local"));
        assert_eq!(special_use("localhost.com"), None);
        assert_eq!(special_use("mytest"), None);
    }
}
