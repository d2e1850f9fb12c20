//! libphonenumber's parse and validation steps over the generated tables: country code from
//! `+`, `00` or the region's international prefix; the number's *own* national prefix rules;
//! validity, type and region by full match, keeping leading zeros.

use super::tables::{self, Region, NONE};
use super::PhoneType;

/// Shortest and longest national significant numbers libphonenumber accepts.
const MIN_NSN: usize = 2;
const MAX_NSN: usize = 17;

/// Why a number could not be read (mapped to issue codes by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Failure {
    NeedsCountryCode,
    /// No calling code starts the digits after `+` or the international prefix (which start
    /// with these up to three digits).
    InvalidCountryCode(u16),
    TooShort,
    TooLong,
    /// The tables of this calling code are not loaded yet (browser builds): no verdict.
    Missing(u16),
}

impl From<tables::Missing> for Failure {
    fn from(m: tables::Missing) -> Self {
        Failure::Missing(m.0)
    }
}

/// A parsed number: calling code and national significant number (digits, zeros kept).
pub(super) struct Parsed {
    pub cc: u16,
    pub nsn: String,
}

/// What libphonenumber's `testNumberLength` says against the general description.
#[derive(PartialEq, Eq)]
pub(super) enum Length {
    Possible,
    LocalOnly,
    TooShort,
    TooLong,
    Invalid,
}

pub(super) fn test_length(digits: &str, r: &Region) -> Length {
    let n = digits.len();
    if r.lengths == 0 {
        return Length::Invalid;
    }
    if n < 32 && r.local >> n & 1 == 1 {
        return Length::LocalOnly;
    }
    let min = r.lengths.trailing_zeros() as usize;
    let max = 31 - r.lengths.leading_zeros() as usize;
    if n == min {
        Length::Possible
    } else if n < min {
        Length::TooShort
    } else if n > max {
        Length::TooLong
    } else if r.lengths >> n & 1 == 1 {
        Length::Possible
    } else {
        Length::Invalid
    }
}

fn general_match(digits: &str, r: &Region) -> bool {
    r.code.dfa_match(r.general, digits.as_bytes(), false)
}

/// libphonenumber's `maybeStripNationalPrefixAndCarrierCode`: the number with the region's
/// national prefix removed (or transformed), only when that leaves a number the region can have.
fn strip_national_prefix(number: &str, r: &Region) -> Option<String> {
    if number.is_empty() || r.npfp == NONE {
        return None;
    }
    let slots = r.code.run(r.npfp, number.as_bytes(), false)?;
    let end = slots[1]?;
    let viable = general_match(number, r);
    let groups = r.code.groups(r.npfp);
    let last_group_matched = groups > 0 && slots.get(2 * groups + 1).copied().flatten().is_some();
    if r.transform.is_empty() || !last_group_matched {
        let rest = number.get(end..)?;
        if viable && !general_match(rest, r) {
            return None;
        }
        Some(rest.to_owned())
    } else {
        let mut out = String::new();
        tables::expand(r.transform, number, &slots, &mut out);
        out.push_str(number.get(end..)?);
        if viable && !general_match(&out, r) {
            return None;
        }
        Some(out)
    }
}

/// The calling code at the start of `digits`, if one is assigned (1 to 3 digits, no leading 0).
fn extract_code(digits: &str) -> Option<(u16, &str)> {
    if digits.starts_with('0') {
        return None;
    }
    (1..=3.min(digits.len())).find_map(|len| {
        let cc: u16 = digits.get(..len)?.parse().ok()?;
        tables::is_code(cc).then(|| (cc, digits.get(len..).unwrap_or("")))
    })
}

/// The decimal digits of `cc` (1 to 3 of them), without allocating.
fn code_digits(cc: u16, buf: &mut [u8; 5]) -> &str {
    let mut i = buf.len();
    let mut n = cc;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("")
}

/// libphonenumber's `maybeExtractCountryCode`: `Ok(Some)` for a number that named its country
/// code (`+`, international prefix, or the default region's own code typed without `+`).
fn extract_country(
    digits: &str,
    plus: bool,
    home: Option<&Region>,
) -> Result<Option<(u16, String)>, Failure> {
    let mut rest = None;
    if plus {
        rest = Some(digits);
    } else if let Some(h) = home.filter(|h| h.idd != NONE) {
        if let Some(end) = h
            .code
            .run(h.idd, digits.as_bytes(), false)
            .and_then(|s| s[1])
        {
            if !digits[end..].starts_with('0') {
                rest = Some(&digits[end..]);
            }
        }
    }
    if let Some(rest) = rest {
        if rest.len() <= MIN_NSN {
            return Err(Failure::TooShort);
        }
        return match extract_code(rest) {
            Some((cc, nsn)) => Ok(Some((cc, nsn.to_owned()))),
            None => Err(Failure::InvalidCountryCode(
                rest.get(..3).unwrap_or(rest).parse().unwrap_or(0),
            )),
        };
    }
    if let Some(h) = home {
        let mut buf = [0u8; 5];
        let code = code_digits(h.cc, &mut buf);
        if let Some(potential) = digits.strip_prefix(code) {
            let potential =
                strip_national_prefix(potential, h).unwrap_or_else(|| potential.to_owned());
            if (!general_match(digits, h) && general_match(&potential, h))
                || test_length(digits, h) == Length::TooLong
            {
                return Ok(Some((h.cc, potential)));
            }
        }
    }
    Ok(None)
}

/// libphonenumber's `parse`: never invents digits, never applies another region's prefix.
pub(super) fn parse(digits: &str, plus: bool, home: Option<&Region>) -> Result<Parsed, Failure> {
    if !plus && home.is_none() {
        return Err(Failure::NeedsCountryCode);
    }
    let extracted = match extract_country(digits, plus, home) {
        Err(Failure::InvalidCountryCode(code)) if plus => {
            // libphonenumber retries without the plus (e.g. `+00 49 …` typed with the IDD).
            match extract_country(digits, false, home)? {
                Some(found) => Some(found),
                None => return Err(Failure::InvalidCountryCode(code)),
            }
        }
        other => other?,
    };
    let named_code = extracted.is_some();
    // Whose national prefix rules apply: for a number that named its calling code, the main
    // region of that code (or the default region when it is that main region); otherwise the
    // default region's.
    let (cc, mut nsn, own) = match extracted {
        Some((cc, nsn)) => (cc, nsn, tables::by_code(cc)?.first()),
        None => match home {
            Some(h) => (h.cc, digits.to_owned(), Some(h)),
            None => return Err(Failure::NeedsCountryCode),
        },
    };
    if nsn.len() < MIN_NSN {
        return Err(Failure::TooShort);
    }
    if let Some(region) = own {
        if let Some(stripped) = strip_national_prefix(&nsn, region) {
            let refused = matches!(
                test_length(&stripped, region),
                Length::TooShort | Length::LocalOnly | Length::Invalid
            );
            if !(refused || named_code && keeps_its_prefix(cc, &nsn, &stripped)) {
                nsn = stripped;
            }
        }
    }
    if nsn.len() < MIN_NSN {
        return Err(Failure::TooShort);
    }
    if nsn.len() > MAX_NSN {
        return Err(Failure::TooLong);
    }
    Ok(Parsed { cc, nsn })
}

/// A deliberate difference from libphonenumber: a number written with its calling code
/// (`+375 810 345 5679`) keeps digits that look like a national prefix when they are part of a
/// valid number and removing them leaves an invalid one. libphonenumber strips them, so the
/// E.164 form it prints for `808 1034 55679` in Belarus (`+3758103455679`) reads back as
/// invalid; an E.164 string has no national prefix, and a stored number must read back as itself.
fn keeps_its_prefix(cc: u16, whole: &str, stripped: &str) -> bool {
    let valid = |nsn: &str| {
        classify(&Parsed {
            cc,
            nsn: nsn.to_owned(),
        })
        .is_ok()
    };
    !valid(stripped) && valid(whole)
}

const TYPES: [PhoneType; 8] = [
    PhoneType::PremiumRate,
    PhoneType::TollFree,
    PhoneType::SharedCost,
    PhoneType::Voip,
    PhoneType::PersonalNumber,
    PhoneType::Pager,
    PhoneType::Uan,
    PhoneType::Voicemail,
];

/// libphonenumber's `getNumberTypeHelper`; `None` is `UNKNOWN` (not valid in this region).
fn number_type(nsn: &str, r: &Region) -> Option<PhoneType> {
    let d = nsn.as_bytes();
    if !r.code.matches_desc(r.general, r.lengths, d) {
        return None;
    }
    for (k, kind) in TYPES.iter().enumerate() {
        if r.code.matches_desc(r.types[k], r.type_lengths[k], d) {
            return Some(*kind);
        }
    }
    let mobile = || r.code.matches_desc(r.types[9], r.type_lengths[9], d);
    if r.code.matches_desc(r.types[8], r.type_lengths[8], d) {
        if r.same_mobile_fixed || mobile() {
            return Some(PhoneType::FixedLineOrMobile);
        }
        return Some(PhoneType::FixedLine);
    }
    (!r.same_mobile_fixed && mobile()).then_some(PhoneType::Mobile)
}

/// Why a parsed number has no region and type.
pub(super) enum Unclassified {
    /// Not valid; the region to name in the message, if the calling code has one.
    Invalid(Option<&'static Region>),
    /// The calling code's tables are not loaded (browser builds): no verdict.
    Missing(u16),
}

/// The region and type of a parsed number, when it is valid (`getRegionCodeForNumber`, then
/// `isValidNumberForRegion`).
pub(super) fn classify(p: &Parsed) -> Result<(&'static Region, PhoneType), Unclassified> {
    let regions = tables::by_code(p.cc).map_err(|m| Unclassified::Missing(m.0))?;
    let region = if regions.len() == 1 {
        &regions[0]
    } else {
        let found = regions.iter().find(|r| {
            if r.leading != NONE {
                r.code.dfa_match(r.leading, p.nsn.as_bytes(), true)
            } else {
                number_type(&p.nsn, r).is_some()
            }
        });
        match found {
            Some(r) => r,
            None => return Err(Unclassified::Invalid(regions.first())),
        }
    };
    number_type(&p.nsn, region)
        .map(|t| (region, t))
        .ok_or(Unclassified::Invalid(Some(region)))
}
