//! UTS #39 Identifier_Status=Allowed for the browser build, from the compact table `build.rs`
//! writes out of `unicode-security` (native builds ask the crate; a native test compares the two
//! on every code point).

use std::sync::OnceLock;

/// LEB128 pairs: the gap from the end of the previous range, then the range's length − 1.
static TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/identifier_allowed.bin"));

/// The allowed ranges, decoded once.
fn ranges() -> &'static [(u32, u32)] {
    static RANGES: OnceLock<Vec<(u32, u32)>> = OnceLock::new();
    RANGES.get_or_init(|| {
        let mut bytes = TABLE.iter();
        let mut next = || {
            let (mut n, mut shift) = (0u32, 0);
            for &b in bytes.by_ref() {
                n |= u32::from(b & 0x7F) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    return Some(n);
                }
            }
            None
        };
        let mut out = Vec::new();
        let mut end = 0u32;
        while let (Some(gap), Some(len)) = (next(), next()) {
            let start = end + gap;
            out.push((start, start + len));
            end = start + len + 1;
        }
        out
    })
}

/// Whether UTS #39 allows `c` in identifiers.
pub(super) fn allowed(c: char) -> bool {
    let u = u32::from(c);
    ranges()
        .binary_search_by(|&(lo, hi)| {
            if hi < u {
                std::cmp::Ordering::Less
            } else if lo > u {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_compact_table_is_the_crates_on_every_code_point() {
        use unicode_security::GeneralSecurityProfile;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                super::allowed(c),
                c.identifier_allowed(),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }
}
