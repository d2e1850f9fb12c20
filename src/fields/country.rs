//! Country: ISO 3166-1 alpha-2, case-insensitive.
//!
//! Rules: trim, fold fullwidth Latin letters (`ＩＤ`, typed with a CJK input method) to ASCII,
//! uppercase, look up in the embedded list of the 249 assigned codes plus `XK` (Kosovo,
//! user-assigned but used by libphonenumber, banks and the EU); `UK` is accepted as `GB` (an
//! exceptional reservation people type every day). Everything else is `country.unknown`: alpha-3
//! (`IDN`) and numeric (`360`) codes, other reservations (`EU`, `UN`), names (`Indonesia`), and
//! look-alike letters from other scripts (`ІD` with a Cyrillic `І`, Turkish `ı`). Localized names come from the browser's
//! `Intl.DisplayNames`, not from a table here. The country drives the phone's default region.
//!
//! ```
//! use signup_guard::fields::country;
//! assert_eq!(country::parse(" id ").value.unwrap().as_str(), "ID");
//! assert_eq!(country::parse("UK").value.unwrap().as_str(), "GB");
//! assert!(country::parse("XX").value.is_none());
//! ```
//!
//! The list was taken from the ISO 3166-1 data in PyPI's `pycountry` 26.2.16; to refresh it, print
//! `sorted(c.alpha_2 for c in pycountry.countries)` and replace [`CODES`] (keep `XK`).

use crate::hygiene;
use crate::issue::{Checked, Code, Field, Issue};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Every accepted alpha-2 code, sorted (binary-searched).
pub const CODES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
];

/// [`CODES`] as pairs of letters: what lookups read, so the table of string slices stays out of
/// the browser's module (2 KB that brotli hardly shrinks). Built from the list at compile time.
const PAIRS: [[u8; 2]; CODES.len()] = {
    let mut pairs = [[0u8; 2]; CODES.len()];
    let mut i = 0;
    while i < CODES.len() {
        let code = CODES[i].as_bytes();
        pairs[i] = [code[0], code[1]];
        i += 1;
    }
    pairs
};

/// An ISO 3166-1 alpha-2 country code, uppercase; only [`parse`] makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country([u8; 2]);

impl Country {
    /// The code, e.g. `"ID"`.
    pub fn as_str(&self) -> &str {
        // Only built from entries of CODES, which are ASCII.
        std::str::from_utf8(&self.0).unwrap_or("ZZ")
    }

    /// The country for a code, if it is one (case-insensitive; `UK` → `GB`).
    pub fn from_code(code: &str) -> Option<Country> {
        let &[a, b] = code.as_bytes() else {
            return None;
        };
        let upper = match [a.to_ascii_uppercase(), b.to_ascii_uppercase()] {
            [b'U', b'K'] => [b'G', b'B'],
            pair => pair,
        };
        PAIRS.binary_search(&upper).ok().map(|_| Country(upper))
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Country::from_code(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("{s:?} is not an ISO 3166-1 alpha-2 code"))
        })
    }
}

/// Fullwidth Latin letters (U+FF21–U+FF3A, U+FF41–U+FF5A) to ASCII; anything else unchanged.
fn fold_fullwidth(c: char) -> char {
    match c {
        'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFF21 + 0x41).unwrap_or(c),
        _ => c,
    }
}

/// Checks a country field value.
pub fn parse(input: &str) -> Checked<Country> {
    let value = match hygiene::clean(input, Field::Country) {
        Ok(v) => v,
        Err(issue) => return Checked::error(issue),
    };
    let folded: String = value.chars().map(fold_fullwidth).collect();
    match Country::from_code(&folded) {
        Some(c) => Checked::new(c, Vec::new()),
        None => Checked::error(
            Issue::new(Field::Country, Code::CountryUnknown).with_param("value", value),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_unique_and_complete() {
        assert!(CODES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(CODES.len(), 250);
    }

    #[test]
    fn three_letter_and_numeric_codes_are_unknown() {
        for v in ["IDN", "360", "I", ""] {
            let c = parse(v);
            assert_eq!(c.issues[0].code, Code::CountryUnknown, "{v}");
        }
    }
}
