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

fn key_position(b: u8) -> Option<(usize, usize)> {
    match KEY_POSITIONS.get(b as usize) {
        Some(&p) if p != 0xFF => Some((usize::from(p / 16), usize::from(p % 16))),
        _ => None,
    }
}

/// Whether two keys touch on a QWERTY keyboard (or swap places on QWERTZ/AZERTY).
fn adjacent(a: u8, b: u8) -> bool {
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

/// The multiset difference between `input` (as a histogram) and `provider`: a lower bound of
/// twice the distance, since every edit moves at most two characters.
fn histogram_gap(input: &[i16; 38], provider: &[u8]) -> u32 {
    let mut h = *input;
    for &b in provider {
        h[symbol(b)] -= 1;
    }
    h.iter().map(|d| d.unsigned_abs() as u32).sum()
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

/// Keyboard-aware distance between `a` and `b` in half-edits, or `None` when over `max`.
fn distance(a: &[u8], b: &[u8], max: u32) -> Option<u32> {
    if a.len().abs_diff(b.len()) as u32 > max {
        return None;
    }
    let gap = |s: &[u8], i: usize| -> u32 {
        // Cost of a gap at s[i]: cheap when it only doubles or undoubles a letter.
        if (i > 0 && s[i - 1] == s[i]) || s.get(i + 1) == Some(&s[i]) {
            1
        } else {
            2
        }
    };
    let width = b.len() + 1;
    if width > MAX_PROVIDER_LEN + 1 {
        return None;
    }
    let mut rows = [0u32; (MAX_PROVIDER_LEN + 1) * 3];
    let (mut prev2, mut prev, mut cur) = (0usize, width, 2 * width);
    for j in 0..width {
        rows[prev + j] = if j == 0 {
            0
        } else {
            rows[prev + j - 1] + gap(b, j - 1)
        };
    }
    for i in 1..=a.len() {
        rows[cur] = rows[prev] + gap(a, i - 1);
        let mut row_min = rows[cur];
        for j in 1..width {
            let (x, y) = (a[i - 1], b[j - 1]);
            let sub = if x == y {
                0
            } else if adjacent(x, y) {
                1
            } else {
                2
            };
            let mut best = (rows[prev + j - 1] + sub)
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

/// The provider `domain` (lowercase ASCII) was most likely meant to be, if it is a near miss of
/// one; `None` for an exact provider, a domain far from all of them, or a non-ASCII domain.
pub(super) fn suggest(domain: &str) -> Option<&'static str> {
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
            || histogram_gap(&input_histogram, provider.as_bytes()) > 2 * max
        {
            continue;
        }
        let short = first_label(provider).len() < 5;
        let deep =
            provider.matches('.').count() >= 2 && input_dots == provider.matches('.').count();
        if short && ((known_ending && !deep) || first_label(provider) != first_label(domain)) {
            continue;
        }
        if let Some(d) = distance(input, provider.as_bytes(), max) {
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, provider));
            }
        }
    }
    best.map(|(_, p)| p)
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
