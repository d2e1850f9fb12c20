//! Punycode decoding (RFC 3492 §6.2) for the browser build: what an A-label (`xn--…`) spells.
//!
//! Browsers offer IDNA ToASCII through the URL parser but no way back, and the `idna` crate's
//! decoder (generic over code units, with a sorted insertion list) cost the module 0.9 KB
//! brotli for a few dozen lines of arithmetic (this one costs 0.3 of it back). Native builds keep `idna`; a native test holds this
//! decoder to `idna::punycode::decode_to_string` on every A-label of the root zone, on labels
//! encoded from random text, and on random digit strings, valid or not.

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 0x80;

/// The bias after a delta (RFC 3492 §6.1).
fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = delta / if first { DAMP } else { 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > (BASE - T_MIN) * T_MAX / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

/// The value of one Punycode digit (`a`–`z` or `A`–`Z` 0–25, `0`–`9` 26–35).
fn digit(b: u8) -> Option<u32> {
    match b {
        b'a'..=b'z' => Some(u32::from(b - b'a')),
        b'A'..=b'Z' => Some(u32::from(b - b'A')),
        b'0'..=b'9' => Some(u32::from(b - b'0') + 26),
        _ => None,
    }
}

/// The text a Punycode string (an A-label without `xn--`) encodes, or `None` if it encodes
/// none: a non-ASCII basic part, a character that is no digit, a delta cut short, an overflow,
/// or a code point that is no character.
pub(crate) fn decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    // The basic code points end at the last delimiter; one at the very start delimits nothing.
    let (basic, deltas) = match bytes.iter().rposition(|&b| b == b'-') {
        Some(at) if at > 0 => (bytes.get(..at)?, bytes.get(at + 1..)?),
        _ => (&bytes[..0], bytes),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut out: Vec<char> = basic.iter().map(|&b| char::from(b)).collect();
    let (mut n, mut bias, mut i) = (INITIAL_N, INITIAL_BIAS, 0u32);
    let mut rest = deltas.iter();
    while !rest.as_slice().is_empty() {
        let before = i;
        let mut weight = 1u32;
        let mut k = BASE;
        loop {
            let d = digit(*rest.next()?)?;
            i = i.checked_add(d.checked_mul(weight)?)?;
            let t = k.saturating_sub(bias).clamp(T_MIN, T_MAX);
            if d < t {
                break;
            }
            weight = weight.checked_mul(BASE - t)?;
            k += BASE;
        }
        let points = out.len() as u32 + 1;
        bias = adapt(i - before, points, before == 0);
        n = n.checked_add(i / points)?;
        i %= points;
        out.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(out.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::decode;

    fn agrees(label: &str) {
        assert_eq!(
            decode(label),
            idna::punycode::decode_to_string(label),
            "{label:?}"
        );
    }

    #[test]
    fn decodes_the_root_zone_and_the_rfc_examples() {
        let root_zone = crate::fields::email::lists::root_zone().expect("compiled in natively");
        let labels: Vec<&str> = root_zone
            .lines()
            .filter_map(|l| l.strip_prefix("xn--"))
            .collect();
        assert!(labels.len() > 100, "{}", labels.len());
        for label in labels {
            agrees(label);
            assert!(decode(label).is_some_and(|u| !u.is_ascii()), "{label}");
        }
        // RFC 3492 §7.1 (B) and (L), and a basic part with a delimiter inside.
        assert_eq!(
            decode("ihqwcrb4cv8a8dqg056pqjye").as_deref(),
            Some("他们为什么不说中文")
        );
        assert_eq!(
            decode("3B-ww4c5e180e575a65lsy2b").as_deref(),
            Some("3年B組金八先生")
        );
        assert_eq!(decode("bcher-kva").as_deref(), Some("bücher"));
        assert_eq!(decode("abc-").as_deref(), Some("abc"));
        assert_eq!(decode("-abc"), None);
    }

    #[test]
    fn agrees_with_idna_on_encoded_text_and_on_noise() {
        // A small deterministic generator: the same cases on every run.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let pools = [
            ('a', 26),
            ('0', 10),
            ('\u{00E0}', 96),
            ('\u{0430}', 64),
            ('\u{0627}', 40),
            ('\u{4E00}', 2000),
            ('\u{1F600}', 80),
        ];
        for _ in 0..20_000 {
            let text: String = (0..1 + next(12))
                .map(|_| {
                    let (start, len) = pools[next(pools.len() as u64) as usize];
                    char::from_u32(start as u32 + next(len) as u32).unwrap_or('a')
                })
                .collect();
            if let Some(label) = idna::punycode::encode_str(&text) {
                agrees(&label);
                assert_eq!(decode(&label).as_deref(), Some(text.as_str()));
            }
        }
        let alphabet = b"abcxyzABZ0189-";
        for _ in 0..100_000 {
            let noise: String = (0..next(14))
                .map(|_| char::from(alphabet[next(alphabet.len() as u64) as usize]))
                .collect();
            agrees(&noise);
        }
        for odd in [
            "",
            "-",
            "--",
            "a-",
            "é-abc",
            "a-é",
            "99999999999",
            "zzzzzzzzzzzzzz",
        ] {
            agrees(odd);
        }
    }
}
