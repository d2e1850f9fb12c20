//! Typo suggestions: the provider a mistyped domain was most likely meant to be.
//!
//! The distance is a keyboard-aware optimal-string-alignment distance in half-edits: hitting a
//! neighbouring key (QWERTY, with the QWERTZ/AZERTY swaps) or doubling/dropping a doubled letter
//! costs 1, any other substitution, insertion, deletion or swap of two neighbours costs 2. A
//! suggestion needs at most one plain edit (2), or one edit plus a slip (3) for providers of eight
//! or more characters; providers whose first label is shorter than five characters (`qq.com`,
//! `gmx.de`, `uol.com.br`) are only suggested when the first label matches and the ending does
//! not exist (`qq.con`) or is a misspelled country variant (`uol.com.bt`), since a short name
//! one key away (`qa.com`, `web.dev`) is usually a different, real domain. An exact provider is
//! never corrected.
//!
//! ```text
//! gmail.con → gmail.com   yaho.co.id → yahoo.co.id   hotmial.com → hotmail.com   acme.co.id → —
//! ```

use super::providers::PROVIDERS;

/// The keyboard rows used for neighbour costs, with each row's stagger given by its index.
const ROWS: [&[u8]; 4] = [b"1234567890-", b"qwertyuiop", b"asdfghjkl;", b"zxcvbnm,./"];

/// `row * 16 + column` of every ASCII key on [`ROWS`], `0xFF` for the others.
const KEY_POSITIONS: [u8; 128] = {
    let mut table = [0xFFu8; 128];
    let mut r = 0;
    while r < ROWS.len() {
        let mut c = 0;
        while c < ROWS[r].len() {
            table[ROWS[r][c] as usize] = (r * 16 + c) as u8;
            c += 1;
        }
        r += 1;
    }
    table
};

const fn key_position(b: u8) -> Option<(usize, usize)> {
    if b >= 128 {
        return None;
    }
    match KEY_POSITIONS[b as usize] {
        0xFF => None,
        p => Some(((p / 16) as usize, (p % 16) as usize)),
    }
}

/// Whether two keys touch on a QWERTY keyboard (or swap places on QWERTZ/AZERTY).
const fn adjacent(a: u8, b: u8) -> bool {
    if matches!(
        (a, b),
        (b'y', b'z') | (b'z', b'y') | (b'a', b'q') | (b'q', b'a') | (b'z', b'w') | (b'w', b'z')
    ) {
        return true;
    }
    let (Some((ra, ca)), Some((rb, cb))) = (key_position(a), key_position(b)) else {
        return false;
    };
    match rb as isize - ra as isize {
        0 => ca.abs_diff(cb) == 1,
        -1 => cb == ca || cb == ca + 1,
        1 => cb + 1 == ca || cb == ca,
        _ => false,
    }
}

/// `ADJACENT[a] >> b & 1`: [`adjacent`] for every pair of ASCII bytes, as one lookup in the
/// distance's inner loop (2 KiB).
const ADJACENT: [u128; 128] = {
    let mut table = [0u128; 128];
    let mut a = 0;
    while a < 128 {
        let mut b = 0;
        while b < 128 {
            if adjacent(a as u8, b as u8) {
                table[a] |= 1 << b;
            }
            b += 1;
        }
        a += 1;
    }
    table
};

/// The substitution cost of `x` for `y`: nothing for the same key, 1 for a neighbour, else 2.
#[inline]
fn substitution(x: u8, y: u8) -> u32 {
    if x == y {
        0
    } else if ADJACENT
        .get(usize::from(x))
        .is_some_and(|m| y < 128 && (m >> y) & 1 == 1)
    {
        1
    } else {
        2
    }
}

/// A 38-bit set of the characters in `s` (letters, digits, dot, hyphen): a cheap lower bound,
/// since one edit changes at most two members.
const fn char_set(s: &[u8]) -> u64 {
    let mut set = 0u64;
    let mut i = 0;
    while i < s.len() {
        set |= 1 << symbol(s[i]);
        i += 1;
    }
    set
}

/// The index of a host-name byte in a 38-symbol alphabet (anything else shares the last slot).
const fn symbol(b: u8) -> usize {
    match b {
        b'a'..=b'z' => (b - b'a') as usize,
        b'0'..=b'9' => 26 + (b - b'0') as usize,
        b'.' => 36,
        _ => 37,
    }
}

/// How many characters `s` has of each symbol.
fn histogram(s: &[u8]) -> [i16; 38] {
    let mut h = [0i16; 38];
    for &b in s {
        h[symbol(b)] += 1;
    }
    h
}

/// The multiset difference between `input` (as a histogram, `input_len` characters) and
/// `provider`: a lower bound of twice the distance, since every edit moves at most two
/// characters. Counted as `|input| + |provider| - 2 × shared`, one pass over the provider.
fn histogram_gap(input: &[i16; 38], input_len: usize, provider: &[u8]) -> u32 {
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
const fn repeated_set(s: &[u8]) -> u64 {
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

/// The character set of every provider, computed at compile time.
const PROVIDER_SETS: [u64; PROVIDERS.len()] = {
    let mut sets = [0u64; PROVIDERS.len()];
    let mut i = 0;
    while i < PROVIDERS.len() {
        sets[i] = char_set(PROVIDERS[i].as_bytes());
        i += 1;
    }
    sets
};

/// Longest provider name the distance's stack buffers hold.
const MAX_PROVIDER_LEN: usize = 31;

/// The most an input may differ from `provider` (in half-edits) and still be called a typo of it.
fn budget(provider: &str) -> u32 {
    if provider.len() >= 8 {
        3
    } else {
        2
    }
}

/// Cost of a gap (insertion or deletion) at `s[i]`, in half-edits: cheap when it only doubles
/// or undoubles a letter.
fn gap(s: &[u8], i: usize) -> u32 {
    if (i > 0 && s[i - 1] == s[i]) || s.get(i + 1) == Some(&s[i]) {
        1
    } else {
        2
    }
}

/// Keyboard-aware distance between `a` and `b` in half-edits, or `None` when over `max`.
///
/// Every gap costs at least 1, so a cell `|i - j|` off the diagonal is worth more than `max`:
/// only the band of `2 × max + 1` diagonals is computed, the cells bordering it read as over.
fn distance(a: &[u8], b: &[u8], max: u32) -> Option<u32> {
    if a.len().abs_diff(b.len()) as u32 > max {
        return None;
    }
    let width = b.len() + 1;
    if width > MAX_PROVIDER_LEN + 1 {
        return None;
    }
    let over = max + 1;
    let band = max as usize;
    // The gap costs along `b`, once rather than in every row.
    let mut gap_b = [0u32; MAX_PROVIDER_LEN];
    for (j, g) in gap_b.iter_mut().enumerate().take(b.len()) {
        *g = gap(b, j);
    }
    let mut rows = [0u32; (MAX_PROVIDER_LEN + 1) * 3];
    let (mut prev2, mut prev, mut cur) = (0usize, width, 2 * width);
    for j in 1..width {
        rows[prev + j] = rows[prev + j - 1] + gap_b[j - 1];
    }
    for i in 1..=a.len() {
        let x = a[i - 1];
        let gap_a = gap(a, i - 1);
        let (lo, hi) = (i.saturating_sub(band).max(1), (i + band).min(b.len()));
        rows[cur] = rows[prev] + gap_a;
        let mut row_min = rows[cur];
        if lo > 1 {
            rows[cur + lo - 1] = over;
        }
        for j in lo..=hi {
            let y = b[j - 1];
            let mut best = (rows[prev + j - 1] + substitution(x, y))
                .min(rows[prev + j] + gap_a)
                .min(rows[cur + j - 1] + gap_b[j - 1]);
            if i > 1 && j > 1 && x == b[j - 2] && a[i - 2] == y && x != y {
                best = best.min(rows[prev2 + j - 2] + 2);
            }
            rows[cur + j] = best;
            row_min = row_min.min(best);
        }
        if hi < b.len() {
            rows[cur + hi + 1] = over;
        }
        if row_min > max {
            return None;
        }
        (prev2, prev, cur) = (prev, cur, prev2);
    }
    let d = rows[prev + b.len()];
    (d <= max).then_some(d)
}

/// [`distance`] over the whole table, as first written: the reference for the banded one.
#[cfg(test)]
fn distance_reference(a: &[u8], b: &[u8], max: u32) -> Option<u32> {
    if a.len().abs_diff(b.len()) as u32 > max {
        return None;
    }
    let width = b.len() + 1;
    if width > MAX_PROVIDER_LEN + 1 {
        return None;
    }
    let mut rows = [0u32; (MAX_PROVIDER_LEN + 1) * 3];
    let (mut prev2, mut prev, mut cur) = (0usize, width, 2 * width);
    for j in 1..width {
        rows[prev + j] = rows[prev + j - 1] + gap(b, j - 1);
    }
    for i in 1..=a.len() {
        let x = a[i - 1];
        rows[cur] = rows[prev] + gap(a, i - 1);
        let mut row_min = rows[cur];
        for j in 1..width {
            let y = b[j - 1];
            let mut best = (rows[prev + j - 1]
                + if x == y {
                    0
                } else if adjacent(x, y) {
                    1
                } else {
                    2
                })
            .min(rows[prev + j] + gap(a, i - 1))
            .min(rows[cur + j - 1] + gap(b, j - 1));
            if i > 1 && j > 1 && x == b[j - 2] && a[i - 2] == y && x != y {
                best = best.min(rows[prev2 + j - 2] + 2);
            }
            rows[cur + j] = best;
            row_min = row_min.min(best);
        }
        if row_min > max {
            return None;
        }
        (prev2, prev, cur) = (prev, cur, prev2);
    }
    let d = rows[prev + b.len()];
    (d <= max).then_some(d)
}

/// Byte order of two names, usable at compile time.
const fn less(a: &[u8], b: &[u8]) -> bool {
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

/// Indices of [`PROVIDERS`] in byte order, sorted at compile time, so an exact match is a
/// binary search while the list itself stays in order of reach.
const BY_NAME: [u16; PROVIDERS.len()] = {
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
};

/// Whether `domain` (lowercase A-labels) is a listed provider.
fn is_provider(domain: &str) -> bool {
    BY_NAME
        .binary_search_by(|&i| {
            PROVIDERS
                .get(usize::from(i))
                .map_or(std::cmp::Ordering::Less, |p| {
                    super::lines::compare(p.as_bytes(), domain.as_bytes())
                })
        })
        .is_ok()
}

fn first_label(domain: &str) -> &str {
    domain.split('.').next().unwrap_or(domain)
}

/// What the scan needs of one provider, computed at compile time so that the loop over the
/// candidates of a length touches neither the names' text nor a string search.
#[derive(Clone, Copy)]
struct Facts {
    /// Index in [`PROVIDERS`] (the tie-break: the earlier, more common provider wins).
    index: u16,
    /// Length of the first label.
    first_label: u8,
    /// Number of dots.
    dots: u8,
    /// [`repeated_set`] of the name.
    twice: u64,
}

/// Counts `b`s in `s` and the length of the part before the first `.`, at compile time.
const fn facts(index: usize) -> Facts {
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
const LONGEST: usize = {
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
const BY_LENGTH: [Facts; PROVIDERS.len()] = {
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
};

/// `LENGTH_START[len]`: the first position in [`BY_LENGTH`] of a provider at least `len` long.
const LENGTH_START: [u16; LONGEST + 2] = {
    let mut start = [PROVIDERS.len() as u16; LONGEST + 2];
    let mut i = PROVIDERS.len();
    while i > 0 {
        i -= 1;
        let len = PROVIDERS[BY_LENGTH[i].index as usize].len();
        let mut l = 0;
        while l <= len {
            start[l] = i as u16;
            l += 1;
        }
    }
    start
};

/// The character sets of [`BY_LENGTH`], in its order, kept apart so the first filter reads one
/// dense array.
const SETS_BY_LENGTH: [u64; PROVIDERS.len()] = {
    let mut sets = [0u64; PROVIDERS.len()];
    let mut i = 0;
    while i < PROVIDERS.len() {
        sets[i] = PROVIDER_SETS[BY_LENGTH[i].index as usize];
        i += 1;
    }
    sets
};

/// The largest [`budget`] of any provider.
const MAX_BUDGET: usize = 3;

/// The provider lengths a candidate may have, relative to the input's, nearest first (every
/// gap costs at least one half-edit, so a length differing by more than [`MAX_BUDGET`] is out).
const LENGTH_OFFSETS: [isize; 2 * MAX_BUDGET + 1] = [0, -1, 1, -2, 2, -3, 3];

/// The provider `domain` (lowercase ASCII) was most likely meant to be, if it is a near miss of
/// one; `None` for an exact provider, a domain far from all of them, or a non-ASCII domain.
///
/// The nearest provider within its [`budget`] wins, the earlier in [`PROVIDERS`] on a tie; only
/// providers whose length and character set are close enough are measured.
pub(super) fn suggest(domain: &str) -> Option<&'static str> {
    if !domain.is_ascii() || domain.len() > 64 || is_provider(domain) {
        return None;
    }
    let input = domain.as_bytes();
    let n = input.len();
    let start_of = |len: usize| usize::from(LENGTH_START[len.min(LENGTH_START.len() - 1)]);
    // The window: every provider whose length is within the largest budget.
    let (lo, hi) = (
        start_of(n.saturating_sub(MAX_BUDGET)),
        start_of(n + MAX_BUDGET + 1),
    );
    let input_set = char_set(input);
    // Character-set differences over the whole window in one dense pass, which vectorizes;
    // most providers go no further.
    let mut differ = [u8::MAX; PROVIDERS.len()];
    for (d, &set) in differ
        .iter_mut()
        .zip(SETS_BY_LENGTH.get(lo..hi).unwrap_or_default())
    {
        *d = (set ^ input_set).count_ones() as u8;
    }
    let input_twice = repeated_set(input);
    let mut input_histogram: Option<[i16; 38]> = None;
    // Whether the ending is delegated, and the number of dots: only asked for short providers.
    let mut input_shape: Option<(bool, usize)> = None;
    // (distance, index in PROVIDERS) of the best so far.
    let mut best: Option<(u32, u16)> = None;
    // Lengths nearest the input's first: the best candidate is usually found early, and its
    // distance then narrows every later filter.
    for &offset in &LENGTH_OFFSETS {
        let Some(len) = n.checked_add_signed(offset) else {
            continue;
        };
        for k in start_of(len).max(lo)..start_of(len + 1).min(hi) {
            let (Some(&differ), Some(facts)) = (differ.get(k - lo), BY_LENGTH.get(k)) else {
                continue;
            };
            let differ = u32::from(differ);
            if differ > 2 * MAX_BUDGET as u32 {
                continue;
            }
            let Some(&provider) = PROVIDERS.get(usize::from(facts.index)) else {
                continue;
            };
            // Ties go to the earlier provider, so a later one must be strictly nearer.
            let max = match best {
                Some((d, i)) if i < facts.index => budget(provider).min(d.saturating_sub(1)),
                Some((d, _)) => budget(provider).min(d),
                None => budget(provider),
            };
            if provider.len().abs_diff(n) as u32 > max
                || differ + (facts.twice ^ input_twice).count_ones() > 2 * max
                || histogram_gap(
                    input_histogram.get_or_insert_with(|| histogram(input)),
                    n,
                    provider.as_bytes(),
                ) > 2 * max
            {
                continue;
            }
            if facts.first_label < 5 {
                let (known_ending, input_dots) = *input_shape.get_or_insert_with(|| {
                    (
                        domain
                            .rsplit('.')
                            .next()
                            .is_some_and(super::tld::in_root_zone),
                        domain.matches('.').count(),
                    )
                });
                let deep = facts.dots >= 2 && input_dots == usize::from(facts.dots);
                if (known_ending && !deep) || first_label(provider) != first_label(domain) {
                    continue;
                }
            }
            if let Some(d) = distance(input, provider.as_bytes(), max) {
                if best.is_none_or(|(bd, bi)| d < bd || (d == bd && facts.index < bi)) {
                    best = Some((d, facts.index));
                }
            }
        }
    }
    best.and_then(|(_, i)| PROVIDERS.get(usize::from(i)).copied())
}

/// The scan as first written, over every provider in order of reach: the reference the
/// indexed [`suggest`] must agree with.
#[cfg(test)]
fn suggest_reference(domain: &str) -> Option<&'static str> {
    if !domain.is_ascii() || domain.len() > 64 || is_provider(domain) {
        return None;
    }
    let input = domain.as_bytes();
    let input_set = char_set(input);
    let input_histogram = histogram(input);
    let known_ending = domain
        .rsplit('.')
        .next()
        .is_some_and(super::tld::in_root_zone);
    let input_dots = domain.matches('.').count();
    let mut best: Option<(u32, &'static str)> = None;
    for (&provider, &set) in PROVIDERS.iter().zip(&PROVIDER_SETS) {
        let max = match best {
            Some((d, _)) => budget(provider).min(d.saturating_sub(1)),
            None => budget(provider),
        };
        if provider.len().abs_diff(input.len()) as u32 > max
            || (set ^ input_set).count_ones() > 2 * max
            || histogram_gap_reference(&input_histogram, provider.as_bytes()) > 2 * max
        {
            continue;
        }
        let short = first_label(provider).len() < 5;
        let deep =
            provider.matches('.').count() >= 2 && input_dots == provider.matches('.').count();
        if short && ((known_ending && !deep) || first_label(provider) != first_label(domain)) {
            continue;
        }
        if let Some(d) = distance_reference(input, provider.as_bytes(), max) {
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, provider));
            }
        }
    }
    best.map(|(_, p)| p)
}

/// The multiset difference as first written: the reference for [`histogram_gap`].
#[cfg(test)]
fn histogram_gap_reference(input: &[i16; 38], provider: &[u8]) -> u32 {
    let mut h = *input;
    for &b in provider {
        h[symbol(b)] -= 1;
    }
    h.iter().map(|d| d.unsigned_abs() as u32).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_lookup_finds_every_provider() {
        assert!(BY_NAME
            .windows(2)
            .all(|w| PROVIDERS[w[0] as usize] < PROVIDERS[w[1] as usize]));
        assert!(PROVIDERS.iter().all(|p| is_provider(p)));
        assert!(!is_provider("gmail.co") && !is_provider("") && !is_provider("zzz.zz"));
    }

    #[test]
    fn the_length_window_covers_every_budget() {
        assert!(PROVIDERS
            .iter()
            .all(|p| budget(p) as usize <= MAX_BUDGET && p.len() <= MAX_PROVIDER_LEN));
        let mut offsets = LENGTH_OFFSETS.to_vec();
        offsets.sort_unstable();
        assert_eq!(
            offsets,
            (-(MAX_BUDGET as isize)..=MAX_BUDGET as isize).collect::<Vec<_>>()
        );
        for (&a, b) in ADJACENT.iter().zip(0u8..) {
            for c in 0u8..128 {
                assert_eq!((a >> c) & 1 == 1, adjacent(b, c), "{b} {c}");
            }
        }
    }

    #[test]
    fn neighbouring_keys_cost_less_than_far_ones() {
        assert!(adjacent(b'n', b'm') && adjacent(b'm', b'n'));
        assert!(adjacent(b'o', b'i') && adjacent(b',', b'.'));
        assert!(adjacent(b'q', b'1') && adjacent(b'q', b'2') && adjacent(b'a', b'z'));
        assert!(!adjacent(b'g', b'c') && !adjacent(b'a', b'p'));
        assert_eq!(distance(b"gmail.con", b"gmail.com", 3), Some(1));
        assert_eq!(distance(b"gmail.cpm", b"gmail.com", 3), Some(1));
        assert_eq!(distance(b"gmail.cxm", b"gmail.com", 3), Some(2));
        assert_eq!(distance(b"hotmial.com", b"hotmail.com", 3), Some(2));
        assert_eq!(distance(b"yaho.co.id", b"yahoo.co.id", 3), Some(1));
        assert_eq!(distance(b"acme.co.id", b"yahoo.co.id", 3), None);
    }

    #[test]
    fn suggests_the_intended_provider() {
        for (typo, want) in [
            ("gmail.con", "gmail.com"),
            ("gmial.com", "gmail.com"),
            ("gmaill.com", "gmail.com"),
            ("gmail.co", "gmail.com"),
            ("hotmal.com", "hotmail.com"),
            ("yaho.co.id", "yahoo.co.id"),
            ("yahoo.co.od", "yahoo.co.id"),
            ("yahooo.co.id", "yahoo.co.id"),
            ("hotmail.co.ul", "hotmail.co.uk"),
            ("qq.con", "qq.com"),
            ("uol.com.bt", "uol.com.br"),
        ] {
            assert_eq!(suggest(typo), Some(want), "{typo}");
        }
    }

    /// Every deletion, swap, and substitution or insertion from a small alphabet (neighbouring
    /// keys, a dot, a hyphen, a digit) of every provider, and two-edit variants of some.
    fn near_misses() -> Vec<String> {
        const ALPHABET: &[u8] = b"aeiomnlc.-1z";
        let mut out = Vec::new();
        for (k, p) in PROVIDERS.iter().enumerate() {
            let p = p.as_bytes();
            let mut one = Vec::new();
            for i in 0..=p.len() {
                for &c in ALPHABET {
                    let mut v = p.to_vec();
                    v.insert(i, c);
                    one.push(v);
                    if i < p.len() && p[i] != c {
                        let mut v = p.to_vec();
                        v[i] = c;
                        one.push(v);
                    }
                }
                if i < p.len() {
                    let mut v = p.to_vec();
                    v.remove(i);
                    one.push(v);
                }
                if i + 1 < p.len() {
                    let mut v = p.to_vec();
                    v.swap(i, i + 1);
                    one.push(v);
                }
            }
            // Second edits: delete each position of every 7th variant of every 3rd provider.
            if k % 3 == 0 {
                let seconds: Vec<Vec<u8>> = one
                    .iter()
                    .step_by(7)
                    .flat_map(|v| {
                        (0..v.len()).map(move |i| {
                            let mut w = v.clone();
                            w.remove(i);
                            w
                        })
                    })
                    .collect();
                one.extend(seconds);
            }
            out.extend(one.into_iter().filter_map(|v| String::from_utf8(v).ok()));
        }
        out
    }

    #[test]
    fn indexed_scan_agrees_with_the_full_scan() {
        let cases = near_misses();
        assert!(cases.len() > 50_000, "{}", cases.len());
        let mut suggested = 0;
        for domain in cases.iter().map(String::as_str).chain([
            "yahoo.co.con",
            "acme-corp.com",
            "ritoto.de",
            "x.y",
            "",
            "a",
            "gmail.com.",
            "mail.example.org",
        ]) {
            let want = suggest_reference(domain);
            suggested += usize::from(want.is_some());
            assert_eq!(suggest(domain), want, "{domain}");
        }
        // The cases exercise suggestions, not only refusals.
        assert!(
            suggested > cases.len() / 2,
            "{suggested} of {}",
            cases.len()
        );
    }

    #[test]
    fn banded_distance_and_fast_gap_agree_with_the_full_ones() {
        let cases = near_misses();
        for (k, case) in cases.iter().enumerate().step_by(5) {
            let a = case.as_bytes();
            let h = histogram(a);
            // A few providers per case, varied from case to case, and the one it is nearest.
            let nearest = suggest_reference(case);
            for p in PROVIDERS.iter().skip(k % 37).step_by(37).chain(&nearest) {
                let b = p.as_bytes();
                assert_eq!(
                    histogram_gap(&h, a.len(), b),
                    histogram_gap_reference(&h, b),
                    "{case} {p}"
                );
                for max in 0..=3 {
                    assert_eq!(
                        distance(a, b, max),
                        distance_reference(a, b, max),
                        "{case} {p} {max}"
                    );
                }
            }
        }
        for (a, b) in [("gmial.com", "gmail.com"), ("yahoo.co.con", "yahoo.co.in")] {
            for max in 0..=3 {
                assert_eq!(
                    distance(a.as_bytes(), b.as_bytes(), max),
                    distance_reference(a.as_bytes(), b.as_bytes(), max)
                );
            }
        }
    }

    #[test]
    fn never_corrects_a_provider_or_an_unrelated_domain() {
        for domain in [
            "yahoo.co.id",
            "yahoo.co.jp",
            "gmx.de",
            "gmx.at",
            "live.se",
            "mail.ru",
            "qq.com",
            "acme.co.id",
            "company.com",
            "qa.com",
            "web.dev",
            "univ.ac.id",
            "mail.example.org",
        ] {
            assert_eq!(suggest(domain), None, "{domain}");
        }
    }
}
