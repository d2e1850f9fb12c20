//! The keyboard-aware distance in half-edits: neighbouring keys (QWERTY, with the QWERTZ/AZERTY
//! swaps) and doubled letters cost 1, any other edit 2; computed in a band of diagonals.

/// The keyboard rows used for neighbour costs, with each row's stagger given by its index.
pub(super) const ROWS: [&[u8]; 4] = [b"1234567890-", b"qwertyuiop", b"asdfghjkl;", b"zxcvbnm,./"];

/// `row * 16 + column` of every ASCII key on [`ROWS`], `0xFF` for the others.
pub(super) const KEY_POSITIONS: [u8; 128] = {
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

pub(super) const fn key_position(b: u8) -> Option<(usize, usize)> {
    if b >= 128 {
        return None;
    }
    match KEY_POSITIONS[b as usize] {
        0xFF => None,
        p => Some(((p / 16) as usize, (p % 16) as usize)),
    }
}

/// Whether two keys touch on a QWERTY keyboard (or swap places on QWERTZ/AZERTY).
pub(super) const fn adjacent(a: u8, b: u8) -> bool {
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
pub(super) const ADJACENT: [u128; 128] = {
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
pub(super) fn substitution(x: u8, y: u8) -> u32 {
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

/// Longest provider name the distance's stack buffers hold.
pub(super) const MAX_PROVIDER_LEN: usize = 31;

/// Cost of a gap (insertion or deletion) at `s[i]`, in half-edits: cheap when it only doubles
/// or undoubles a letter.
pub(super) fn gap(s: &[u8], i: usize) -> u32 {
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
pub(super) fn distance(a: &[u8], b: &[u8], max: u32) -> Option<u32> {
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
pub(super) fn distance_reference(a: &[u8], b: &[u8], max: u32) -> Option<u32> {
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
