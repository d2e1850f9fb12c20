//! Role accounts: mailboxes that reach a team or a machine rather than a person.
//!
//! A warning, not an error: `info@` is a real address, but consent given through it is weak
//! evidence of one person's choice, and such lists bounce or complain more. The mailbox is compared
//! lowercased, without a `+tag` and ignoring `.`, `-` and `_`, so `No-Reply+x@` counts.

/// Role mailbox names, lowercase, without separators, sorted (binary-searched).
const ROLES: &[&str] = &[
    "abuse",
    "account",
    "accounting",
    "accounts",
    "admin",
    "administrator",
    "billing",
    "bounce",
    "bounces",
    "careers",
    "contact",
    "contacto",
    "contato",
    "contatos",
    "customercare",
    "customerservice",
    "daemon",
    "dev",
    "devnull",
    "dmarc",
    "enquiries",
    "enquiry",
    "feedback",
    "finance",
    "hello",
    "help",
    "helpdesk",
    "hostmaster",
    "hr",
    "info",
    "information",
    "inquiries",
    "it",
    "jobs",
    "kontak",
    "kontakt",
    "legal",
    "mail",
    "mailerdaemon",
    "marketing",
    "media",
    "news",
    "newsletter",
    "noc",
    "noreply",
    "notifications",
    "office",
    "ops",
    "orders",
    "postmaster",
    "press",
    "privacy",
    "recruiting",
    "root",
    "sales",
    "security",
    "service",
    "spam",
    "staff",
    "support",
    "sysadmin",
    "team",
    "tech",
    "test",
    "usenet",
    "uucp",
    "webmaster",
    "www",
];

/// Whether `local` (the stored mailbox) names a role rather than a person.
pub(super) fn is_role(local: &str) -> bool {
    let base = local.split('+').next().unwrap_or(local);
    if base.len() > 32 || !base.is_ascii() {
        return false;
    }
    let mut folded = [0u8; 32];
    let mut n = 0;
    for b in base.bytes().filter(|b| !matches!(b, b'.' | b'-' | b'_')) {
        folded[n] = b.to_ascii_lowercase();
        n += 1;
    }
    let folded = &folded[..n];
    ROLES.binary_search_by(|r| r.as_bytes().cmp(folded)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_sorted_for_binary_search() {
        assert!(ROLES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn role_mailboxes_match_across_case_tags_and_separators() {
        for local in [
            "info",
            "INFO",
            "no-reply",
            "No_Reply+list",
            "postmaster",
            "mailer-daemon",
        ] {
            assert!(is_role(local), "{local}");
        }
        for local in ["jane", "information.jane", "infos", "adminjane", "", "ınfo"] {
            assert!(!is_role(local), "{local}");
        }
    }
}
