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

mod distance;
mod index;

#[cfg(test)]
use super::providers::PROVIDERS;
use distance::*;
use index::*;

/// The provider `domain` (lowercase ASCII) was most likely meant to be, if it is a near miss of
/// one; `None` for an exact provider, a domain far from all of them, or a non-ASCII domain.
///
/// The nearest provider within its [`budget`] wins, the earlier in the provider list on a tie; only
/// providers whose length and character set are close enough are measured.
pub(super) fn suggest(domain: &str) -> Option<&'static str> {
    if !domain.is_ascii() || domain.len() > 64 {
        return None;
    }
    let providers = super::lists::providers()?;
    let ix = index(providers);
    if is_provider(providers, ix, domain) {
        return None;
    }
    let input = domain.as_bytes();
    let n = input.len();
    let start_of = |len: usize| usize::from(ix.length_start[len.min(ix.length_start.len() - 1)]);
    // The window: every provider whose length is within the largest budget.
    let (lo, hi) = (
        start_of(n.saturating_sub(MAX_BUDGET)),
        start_of(n + MAX_BUDGET + 1),
    );
    let input_set = char_set(input);
    // Character-set differences over the whole window in one dense pass, which vectorizes;
    // most providers go no further.
    let mut differ = [u8::MAX; super::lists::MAX_PROVIDERS];
    for (d, &set) in differ
        .iter_mut()
        .zip(ix.sets_by_length.get(lo..hi).unwrap_or_default())
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
            let (Some(&differ), Some(facts)) = (differ.get(k - lo), ix.by_length.get(k)) else {
                continue;
            };
            let differ = u32::from(differ);
            if differ > 2 * MAX_BUDGET as u32 {
                continue;
            }
            let Some(&provider) = providers.get(usize::from(facts.index)) else {
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
    best.and_then(|(_, i)| providers.get(usize::from(i)).copied())
}

/// The scan as first written, over every provider in order of reach: the reference the
/// indexed [`suggest`] must agree with.
#[cfg(test)]
fn suggest_reference(domain: &str) -> Option<&'static str> {
    if !domain.is_ascii() || domain.len() > 64 || is_provider(PROVIDERS, index(PROVIDERS), domain) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_lookup_finds_every_provider() {
        let ix = index(PROVIDERS);
        assert!(ix
            .by_name
            .windows(2)
            .all(|w| PROVIDERS[w[0] as usize] < PROVIDERS[w[1] as usize]));
        let is_provider = |d| is_provider(PROVIDERS, ix, d);
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
