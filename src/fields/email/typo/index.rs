//! Facts about the providers that let the scan skip most of them cheaply: character sets and
//! histograms (lower bounds of the distance), names sorted for exact lookup, and the providers
//! grouped by length. They are built once, on first use ([`index`]), by the same `const fn`s
//! that once built them at compile time: stored, they cost the browser module 2 KB brotli.

use super::super::providers::PROVIDERS;

/// A 38-bit set of the characters in `s` (letters, digits, dot, hyphen): a cheap lower bound,
/// since one edit changes at most two members.
pub(super) const fn char_set(s: &[u8]) -> u64 {
    let mut set = 0u64;
    let mut i = 0;
    while i < s.len() {
        set |= 1 << symbol(s[i]);
        i += 1;
    }
    set
}

/// The index of a host-name byte in a 38-symbol alphabet (anything else shares the last slot).
pub(super) const fn symbol(b: u8) -> usize {
    match b {
        b'a'..=b'z' => (b - b'a') as usize,
        b'0'..=b'9' => 26 + (b - b'0') as usize,
        b'.' => 36,
        _ => 37,
    }
}

/// How many characters `s` has of each symbol.
pub(super) fn histogram(s: &[u8]) -> [i16; 38] {
    let mut h = [0i16; 38];
    for &b in s {
        h[symbol(b)] += 1;
    }
    h
}

/// The multiset difference between `input` (as a histogram, `input_len` characters) and
/// `provider`: a lower bound of twice the distance, since every edit moves at most two
/// characters. Counted as `|input| + |provider| - 2 × shared`, one pass over the provider.
pub(super) fn histogram_gap(input: &[i16; 38], input_len: usize, provider: &[u8]) -> u32 {
    let mut h = *input;
    let mut shared = 0;
    for &b in provider {
        let count = &mut h[symbol(b)];
        if *count > 0 {
            *count -= 1;
            shared += 1;
        }
    }
    (input_len + provider.len() - 2 * shared) as u32
}

/// The symbols that occur at least twice in `s`: with [`char_set`], a two-level histogram
/// whose differences bound [`histogram_gap`] from below.
pub(super) const fn repeated_set(s: &[u8]) -> u64 {
    let (mut once, mut twice) = (0u64, 0u64);
    let mut i = 0;
    while i < s.len() {
        let bit = 1 << symbol(s[i]);
        twice |= once & bit;
        once |= bit;
        i += 1;
    }
    twice
}

/// The character set of every provider, computed at compile time (the reference scan's).
#[cfg(test)]
pub(super) const PROVIDER_SETS: [u64; PROVIDERS.len()] = {
    let mut sets = [0u64; PROVIDERS.len()];
    let mut i = 0;
    while i < PROVIDERS.len() {
        sets[i] = char_set(PROVIDERS[i].as_bytes());
        i += 1;
    }
    sets
};

/// The most an input may differ from `provider` (in half-edits) and still be called a typo of it.
pub(super) fn budget(provider: &str) -> u32 {
    if provider.len() >= 8 {
        3
    } else {
        2
    }
}

/// Byte order of two names, usable at compile time.
pub(super) const fn less(a: &[u8], b: &[u8]) -> bool {
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

/// Indices of [`PROVIDERS`] in byte order, so an exact match is a binary search while the list
/// itself stays in order of reach.
const fn by_name() -> [u16; PROVIDERS.len()] {
    let mut idx = [0u16; PROVIDERS.len()];
    let mut i = 0;
    while i < PROVIDERS.len() {
        idx[i] = i as u16;
        i += 1;
    }
    let mut i = 1;
    while i < idx.len() {
        let mut j = i;
        while j > 0
            && less(
                PROVIDERS[idx[j] as usize].as_bytes(),
                PROVIDERS[idx[j - 1] as usize].as_bytes(),
            )
        {
            let t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    idx
}

/// Whether `domain` (lowercase A-labels) is a listed provider.
pub(super) fn is_provider(domain: &str) -> bool {
    index()
        .by_name
        .binary_search_by(|&i| {
            PROVIDERS
                .get(usize::from(i))
                .map_or(std::cmp::Ordering::Less, |p| {
                    super::super::lines::compare(p.as_bytes(), domain.as_bytes())
                })
        })
        .is_ok()
}

pub(super) fn first_label(domain: &str) -> &str {
    domain.split('.').next().unwrap_or(domain)
}

/// What the scan needs of one provider, computed once so that the loop over the
/// candidates of a length touches neither the names' text nor a string search.
#[derive(Clone, Copy)]
pub(super) struct Facts {
    /// Index in [`PROVIDERS`] (the tie-break: the earlier, more common provider wins).
    pub(super) index: u16,
    /// Length of the first label.
    pub(super) first_label: u8,
    /// Number of dots.
    pub(super) dots: u8,
    /// [`repeated_set`] of the name.
    pub(super) twice: u64,
}

/// Counts the dots of a provider's name and the length of the part before the first `.`.
pub(super) const fn facts(index: usize) -> Facts {
    let s = PROVIDERS[index].as_bytes();
    let (mut dots, mut first_label, mut i) = (0u8, s.len() as u8, 0);
    while i < s.len() {
        if s[i] == b'.' {
            if dots == 0 {
                first_label = i as u8;
            }
            dots += 1;
        }
        i += 1;
    }
    Facts {
        index: index as u16,
        first_label,
        dots,
        twice: repeated_set(s),
    }
}

/// Longest provider name, and the size of the per-length index below.
pub(super) const LONGEST: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < PROVIDERS.len() {
        if PROVIDERS[i].len() > max {
            max = PROVIDERS[i].len();
        }
        i += 1;
    }
    max
};

/// Every provider's [`Facts`], ordered by name length (then by reach), so that the candidates
/// of an input are the contiguous run of lengths within the largest budget.
const fn by_length() -> [Facts; PROVIDERS.len()] {
    let mut out = [Facts {
        index: 0,
        first_label: 0,
        dots: 0,
        twice: 0,
    }; PROVIDERS.len()];
    let mut n = 0;
    let mut len = 0;
    while len <= LONGEST {
        let mut i = 0;
        while i < PROVIDERS.len() {
            if PROVIDERS[i].len() == len {
                out[n] = facts(i);
                n += 1;
            }
            i += 1;
        }
        len += 1;
    }
    out
}

/// `length_start[len]`: the first position in `by_length` of a provider at least `len` long.
const fn length_start(by_length: &[Facts; PROVIDERS.len()]) -> [u16; LONGEST + 2] {
    let mut start = [PROVIDERS.len() as u16; LONGEST + 2];
    let mut i = PROVIDERS.len();
    while i > 0 {
        i -= 1;
        let len = PROVIDERS[by_length[i].index as usize].len();
        let mut l = 0;
        while l <= len {
            start[l] = i as u16;
            l += 1;
        }
    }
    start
}

/// The scan's index of [`PROVIDERS`], built on first use (a few microseconds) rather than
/// stored: 8 KB of tables the browser module would otherwise carry.
pub(super) struct Index {
    /// Indices of [`PROVIDERS`] in byte order.
    pub(super) by_name: [u16; PROVIDERS.len()],
    /// Every provider's [`Facts`], by name length, then by reach.
    pub(super) by_length: [Facts; PROVIDERS.len()],
    /// `length_start[len]`: the first position in `by_length` of a provider at least `len` long.
    pub(super) length_start: [u16; LONGEST + 2],
    /// The character sets of `by_length`, in its order, kept apart so the first filter reads
    /// one dense array.
    pub(super) sets_by_length: [u64; PROVIDERS.len()],
}

/// The index, built once.
pub(super) fn index() -> &'static Index {
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let by_length = by_length();
        let sets_by_length =
            by_length.map(|f| char_set(PROVIDERS[usize::from(f.index)].as_bytes()));
        Index {
            by_name: by_name(),
            length_start: length_start(&by_length),
            by_length,
            sets_by_length,
        }
    })
}

/// The largest [`budget`] of any provider.
pub(super) const MAX_BUDGET: usize = 3;

/// The provider lengths a candidate may have, relative to the input's, nearest first (every
/// gap costs at least one half-edit, so a length differing by more than [`MAX_BUDGET`] is out).
pub(super) const LENGTH_OFFSETS: [isize; 2 * MAX_BUDGET + 1] = [0, -1, 1, -2, 2, -3, 3];

/// The multiset difference as first written: the reference for [`histogram_gap`].
#[cfg(test)]
pub(super) fn histogram_gap_reference(input: &[i16; 38], provider: &[u8]) -> u32 {
    let mut h = *input;
    for &b in provider {
        h[symbol(b)] -= 1;
    }
    h.iter().map(|d| d.unsigned_abs() as u32).sum()
}
