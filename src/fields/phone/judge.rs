//! What the tables say of a number's digits, before any text or issue: [`judge`] for parsing,
//! [`shape`] for as-you-type. Natively `mod.rs` calls them; the browser's phone engine module
//! (`crates/phone-engine`, which compiles this file with the tables) answers them for the page's
//! main module (`remote.rs`).

use super::{as_you_type, engine, format, tables, PhoneType};
use std::borrow::Cow;

/// What the engine says of a number's digits: everything [`parse`] needs after the text is
/// read. The browser's phone engine module answers the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A valid number: its calling code, national significant number, region id (as the
    /// metadata names it: `AC`, `001`…), type, and the international display form when the
    /// engine module made it (the browser never shows the national one).
    Valid {
        cc: u16,
        nsn: String,
        region: Cow<'static, str>,
        kind: PhoneType,
        shown: Option<String>,
    },
    /// The data of this calling code is not loaded (browser builds): no verdict.
    Missing(u16),
    /// The engine itself is not loaded (browser builds whose engine is a module of its own).
    #[cfg_attr(not(phone_bridge), allow(dead_code))]
    NoEngine,
    NeedsCountryCode,
    InvalidCountryCode(u16),
    TooShort,
    TooLong,
    /// Not valid; the region to name in the message (an id or `+cc`).
    Invalid(String),
}

/// The engine's verdict on ASCII `digits` (after `+` when `plus`), national numbers read as
/// numbers of region `home`.
#[cfg_attr(phone_bridge, allow(dead_code))]
pub(super) fn judge(digits: &str, plus: bool, home: Option<&str>) -> Outcome {
    let home = match home.map(tables::by_id) {
        Some(Err(tables::Missing(cc))) => return Outcome::Missing(cc),
        Some(Ok(home)) => home,
        None => None,
    };
    let parsed = match engine::parse(digits, plus, home) {
        Ok(parsed) => parsed,
        Err(f) => {
            return match f {
                engine::Failure::Missing(cc) => Outcome::Missing(cc),
                engine::Failure::NeedsCountryCode => Outcome::NeedsCountryCode,
                engine::Failure::InvalidCountryCode(code) => Outcome::InvalidCountryCode(code),
                engine::Failure::TooShort => Outcome::TooShort,
                engine::Failure::TooLong => Outcome::TooLong,
            }
        }
    };
    match engine::classify(&parsed) {
        Ok((region, kind)) => Outcome::Valid {
            cc: parsed.cc,
            nsn: parsed.nsn,
            region: Cow::Borrowed(region.id),
            kind,
            shown: None,
        },
        Err(engine::Unclassified::Missing(cc)) => Outcome::Missing(cc),
        Err(engine::Unclassified::Invalid(region)) => {
            match region.map(|r| engine::test_length(&parsed.nsn, r)) {
                Some(engine::Length::TooShort) => Outcome::TooShort,
                Some(engine::Length::TooLong) => Outcome::TooLong,
                _ => Outcome::Invalid(
                    region
                        .map_or_else(|| format::plus_code(parsed.cc), |r| region_name(r.id, r.cc)),
                ),
            }
        }
    }
}

/// What the as-you-type engine makes of ASCII digits (after an optional `+`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shaped {
    /// The text to show, the calling code it was read with and that code's main region id.
    Text(String, Option<u16>, Option<String>),
    /// The data of this calling code is not loaded (browser builds).
    Missing(u16),
    /// The engine is a module of its own that is not loaded yet (browser builds).
    #[cfg_attr(not(phone_bridge), allow(dead_code))]
    NoEngine,
}

/// [`Shaped`] for `typed` in region `country`, from this build's own tables.
#[cfg_attr(phone_bridge, allow(dead_code))]
pub(super) fn shape(typed: &str, country: Option<&str>) -> Shaped {
    match as_you_type::format(typed, country) {
        Ok((text, cc)) => {
            let region = cc
                .and_then(|cc| tables::by_code(cc).ok()?.first())
                .map(|r| r.id.to_owned());
            Shaped::Text(text, cc, region)
        }
        Err(tables::Missing(cc)) => Shaped::Missing(cc),
    }
}

/// The region named in messages: its code, or `+cc` for non-geographic numbers.
pub(super) fn region_name(id: &str, cc: u16) -> String {
    if id == "001" {
        format::plus_code(cc)
    } else {
        id.to_owned()
    }
}
