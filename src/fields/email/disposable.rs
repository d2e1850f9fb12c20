//! Disposable (throwaway) mailbox domains, native builds only: the list is too large to ship to
//! every browser, so the browser build never warns about them and the server does.
//!
//! `disposable.txt` is the CC0 community list published as the PyPI package
//! `disposable-email-domains`, one lowercase domain per line, byte-sorted. Refresh it with
//! `bash scripts/refresh-email-data.sh`. A subdomain of a listed domain is disposable too.

use super::lines;

/// The list: newline-terminated, byte-sorted lowercase ASCII domains.
const DISPOSABLE: &str = include_str!("disposable.txt");

/// Whether `domain` (lowercase A-labels) or one of its parent domains is a throwaway service.
pub(super) fn is_disposable(domain: &str) -> bool {
    let mut rest = domain;
    loop {
        if lines::contains(DISPOSABLE, rest) {
            return true;
        }
        match rest.split_once('.') {
            Some((_, parent)) if parent.contains('.') => rest = parent,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_finds_known_services_and_their_subdomains() {
        assert!(lines::iter(DISPOSABLE).count() > 1000);
        let mut prev = "";
        for line in lines::iter(DISPOSABLE) {
            assert!(prev < line, "{prev} / {line}");
            prev = line;
        }
        assert!(is_disposable("mailinator.com"));
        assert!(is_disposable("eu.mailinator.com"));
        assert!(!is_disposable("gmail.com"));
        assert!(!is_disposable("com"));
    }
}
