//! Role accounts: mailboxes that reach a team or a machine rather than a person.
//!
//! A warning, not an error: `info@` is a real address, but consent given through it is weak
//! evidence of one person's choice, and such lists bounce or complain more. The mailbox is compared
//! lowercased, without a `+tag` and ignoring `.`, `-` and `_`, so `No-Reply+x@` counts.

/// The longest role name (`customerservice`).
const LONGEST_ROLE: usize = 15;

/// Whether `local` (the stored mailbox) names a role rather than a person.
pub(super) fn is_role(local: &str) -> bool {
    // A mailbox over 32 octets before its tag is never a role; one longer than any role once
    // folded is not one either, without searching.
    let mut folded = [0u8; LONGEST_ROLE];
    let mut n = 0;
    for (i, b) in local.bytes().take_while(|&b| b != b'+').enumerate() {
        if i == 32 || !b.is_ascii() {
            return false;
        }
        if matches!(b, b'.' | b'-' | b'_') {
            continue;
        }
        if n == LONGEST_ROLE {
            return false;
        }
        folded[n] = b.to_ascii_lowercase();
        n += 1;
    }
    let folded = std::str::from_utf8(folded.get(..n).unwrap_or_default()).unwrap_or_default();
    super::lists::roles().is_some_and(|roles| super::lines::contains(roles, folded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_sorted_for_binary_search() {
        use super::super::role_list::ROLES;
        let roles: Vec<&str> = super::super::lines::iter(ROLES).collect();
        assert!(roles.windows(2).all(|w| w[0] < w[1]));
        assert!(roles
            .iter()
            .all(|r| r.bytes().all(|b| b.is_ascii_lowercase())));
        assert_eq!(roles.iter().map(|r| r.len()).max(), Some(LONGEST_ROLE));
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
            "Customer-Service+x",
            "i-n-f-o-_-_-_-_-_-_-_-_-_-_-_-_",
        ] {
            assert!(is_role(local), "{local}");
        }
        for local in [
            "jane",
            "information.jane",
            "infos",
            "adminjane",
            "",
            "ınfo",
            "customer.services",
            "i-n-f-o-_-_-_-_-_-_-_-_-_-_-_-_-_",
        ] {
            assert!(!is_role(local), "{local}");
        }
    }
}
