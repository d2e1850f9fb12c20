//! Facts about the providers that let the scan skip most of them cheaply: character sets and
//! histograms (lower bounds of the distance), names sorted for exact lookup, and the providers
//! grouped by length. They are built once, on first use ([`index`]): stored, they cost the
//! browser module 2 KB brotli, and the drop-in's build only gets the list with a data file.

#[cfg(test)]
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

/// Whether `domain` (lowercase A-labels) is one of `providers` (the list [`index`] was built
/// over).
pub(super) fn is_provider(providers: &[&str], ix: &Index, domain: &str) -> bool {
    ix.by_name
        .binary_search_by(|&i| {
            providers
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
    /// Index in the provider list (the tie-break: the earlier, more common provider wins).
    pub(super) index: u16,
    /// Length of the first label.
    pub(super) first_label: u8,
    /// Number of dots.
    pub(super) dots: u8,
    /// [`repeated_set`] of the name.
    pub(super) twice: u64,
}

/// Counts the dots of provider `index`'s name and the length of the part before the first `.`.
fn facts(name: &str, index: usize) -> Facts {
    let s = name.as_bytes();
    let first_label = s.iter().position(|&b| b == b'.').unwrap_or(s.len());
    Facts {
        index: index as u16,
        first_label: first_label as u8,
        dots: s.iter().filter(|&&b| b == b'.').count() as u8,
        twice: repeated_set(s),
    }
}

/// The scan's index of the providers, built on first use (a few microseconds) rather than
/// stored: tables the browser module would otherwise carry, over a list the drop-in's build
/// only gets with the email data file.
pub(super) struct Index {
    /// Indices of the providers in byte order, so an exact match is a binary search while the
    /// list itself stays in order of reach.
    pub(super) by_name: Vec<u16>,
    /// Every provider's [`Facts`], by name length, then by reach, so that the candidates of an
    /// input are the contiguous run of lengths within the largest budget.
    pub(super) by_length: Vec<Facts>,
    /// `length_start[len]`: the first position in `by_length` of a provider at least `len` long
    /// (one entry past the longest name).
    pub(super) length_start: Vec<u16>,
    /// The character sets of `by_length`, in its order, kept apart so the first filter reads
    /// one dense array.
    pub(super) sets_by_length: Vec<u64>,
}

/// The index of `providers`, built once: every call passes the same list (the compiled-in one,
/// or the email data file's).
pub(super) fn index(providers: &[&str]) -> &'static Index {
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        // Insertion sort, once over a few hundred names: no sort routine in the browser module.
        let name = |i: u16| providers.get(usize::from(i)).map(|p| p.as_bytes());
        let mut by_name: Vec<u16> = Vec::with_capacity(providers.len());
        for i in 0..providers.len() as u16 {
            let at = by_name.partition_point(|&j| name(j) < name(i));
            by_name.insert(at, i);
        }
        let longest = providers.iter().map(|p| p.len()).max().unwrap_or(0);
        let mut by_length = Vec::with_capacity(providers.len());
        let mut sets_by_length = Vec::with_capacity(providers.len());
        let mut length_start = Vec::with_capacity(longest + 2);
        for len in 0..=longest + 1 {
            length_start.push(by_length.len() as u16);
            for (i, p) in providers.iter().enumerate().filter(|(_, p)| p.len() == len) {
                by_length.push(facts(p, i));
                sets_by_length.push(char_set(p.as_bytes()));
            }
        }
        Index {
            by_name,
            by_length,
            length_start,
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
