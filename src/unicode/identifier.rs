//! UTS #39 Identifier_Status=Allowed for the browser build, from the compact table `build.rs`
//! writes out of `unicode-security` into the Unicode data file (`lazy.rs`; native builds ask the
//! crate, and a native test compares the two on every code point).

/// Decodes the compact table: LEB128 pairs, the gap from the end of the previous range, then
/// the range's length − 1. `None` if it ends inside a number.
pub(super) fn decode(table: &[u8]) -> Option<Vec<(u32, u32)>> {
    let mut bytes = table.iter();
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
    while let Some(gap) = next() {
        let len = next()?;
        let start = end.checked_add(gap)?;
        out.push((start, start.checked_add(len)?));
        end = start + len + 1;
    }
    Some(out)
}

/// Whether `c` is in one of the sorted inclusive `ranges`.
pub(super) fn allowed_in(ranges: &[(u32, u32)], c: char) -> bool {
    let u = u32::from(c);
    ranges
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

/// Whether UTS #39 allows `c` in identifiers; while the Unicode data file is not loaded, `true`
/// with the check marked (its answer is then *pending*, never a verdict).
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(super) fn allowed(c: char) -> bool {
    super::lazy::tables().is_none_or(|t| allowed_in(&t.allowed, c))
}
