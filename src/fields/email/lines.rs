//! Binary search in a byte-sorted, newline-terminated list held in one `&str`.
//!
//! The compact shape for embedded word lists (the root zone, providers, disposable domains): no
//! pointer table, so the browser bundle carries only the bytes of the names themselves.

use std::cmp::Ordering;

/// Whether `needle` is one of the lines of `sorted` (each line ends with `\n`, byte order).
pub(super) fn contains(sorted: &str, needle: &str) -> bool {
    let bytes = sorted.as_bytes();
    let (mut lo, mut hi) = (0usize, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = bytes[lo..mid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(lo, |p| lo + p + 1);
        let end = bytes[start..hi]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(hi, |p| start + p);
        match compare(&bytes[start..end], needle.as_bytes()) {
            Ordering::Equal => return true,
            Ordering::Less => lo = end + 1,
            Ordering::Greater => hi = start,
        }
    }
    false
}

/// Byte order of two short names, inlined: for names of a few bytes a loop beats a call to
/// `memcmp`, and every address does a handful of these searches.
#[inline]
pub(super) fn compare(a: &[u8], b: &[u8]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// The lines of `sorted`, in order.
#[cfg(test)]
pub(super) fn iter(sorted: &str) -> impl Iterator<Item = &str> {
    sorted.split_terminator('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_line_and_nothing_else() {
        let list = "a\nab\nb\nbcd\nx\nxn--p1ai\nzz\n";
        for word in iter(list) {
            assert!(contains(list, word), "{word}");
        }
        for absent in ["", "aa", "abc", "c", "xn", "zzz", "0", "\n"] {
            assert!(!contains(list, absent), "{absent:?}");
        }
        assert!(!contains("", "a"));
    }
}
