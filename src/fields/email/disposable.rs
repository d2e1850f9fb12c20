//! Disposable (throwaway) mailbox domains, native builds only: the list is too large to ship to
//! every browser, so the browser build never warns about them and the server does.
//!
//! `disposable.txt` is the CC0 community list published as the PyPI package
//! `disposable-email-domains`, one lowercase domain per line, byte-sorted. Refresh it with
//! `bash scripts/refresh-email-data.sh`. A subdomain of a listed domain is disposable too.

#[cfg(test)]
use super::lines;
use std::sync::OnceLock;

/// The list: newline-terminated, byte-sorted lowercase ASCII domains.
const DISPOSABLE: &str = include_str!("disposable.txt");

/// An empty slot of [`table`].
const EMPTY: u32 = u32::MAX;

/// FNV-1a: short names, few bytes, no dependency; the table only needs a fair spread.
fn hash(name: &[u8]) -> u64 {
    name.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// An open-addressing hash table of the list's lines, built on first use (a few hundred
/// microseconds, 128 KiB): each slot holds `start << 8 | length` of one line, so a lookup is
/// one hash and usually one comparison instead of a binary search through 148 KB of text.
fn table() -> &'static [u32] {
    static TABLE: OnceLock<Vec<u32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let lines = DISPOSABLE.split_terminator('\n');
        let size = (lines.clone().count() * 2).next_power_of_two();
        let mut slots = vec![EMPTY; size];
        let mut start = 0usize;
        for line in lines {
            // Every line is far shorter than 256 bytes and the list far smaller than 16 MiB.
            if let (Ok(len @ 0..=255), Ok(at @ 0..=0x00FF_FFFF)) =
                (u32::try_from(line.len()), u32::try_from(start))
            {
                let mut i = hash(line.as_bytes()) as usize & (size - 1);
                while slots[i] != EMPTY {
                    i = (i + 1) & (size - 1);
                }
                slots[i] = at << 8 | len;
            }
            start += line.len() + 1;
        }
        slots
    })
}

/// Whether `name` is one of the lines of [`DISPOSABLE`].
fn listed(name: &str) -> bool {
    let slots = table();
    let mask = slots.len() - 1;
    let mut i = hash(name.as_bytes()) as usize & mask;
    while let Some(&slot) = slots.get(i) {
        if slot == EMPTY {
            return false;
        }
        let (start, len) = ((slot >> 8) as usize, (slot & 0xFF) as usize);
        if len == name.len()
            && DISPOSABLE.as_bytes().get(start..start + len) == Some(name.as_bytes())
        {
            return true;
        }
        i = (i + 1) & mask;
    }
    false
}

/// Whether `domain` (lowercase A-labels) or one of its parent domains is a throwaway service.
pub(super) fn is_disposable(domain: &str) -> bool {
    let mut rest = domain;
    loop {
        if listed(rest) {
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
        for line in lines::iter(DISPOSABLE) {
            assert!(listed(line), "{line}");
            assert!(!listed(&line[1..]) || lines::contains(DISPOSABLE, &line[1..]));
        }
        assert!(!listed("") && !listed("mailinator.co") && !listed("gmail.com"));
        assert!(is_disposable("mailinator.com"));
        assert!(is_disposable("eu.mailinator.com"));
        assert!(!is_disposable("gmail.com"));
        assert!(!is_disposable("com"));
    }
}
