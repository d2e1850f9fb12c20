//! Phone: libphonenumber's validity, type, region and formats, from tables compiled at build time.
//!
//! Rules (DESIGN §3): hygiene first; fold every Unicode decimal digit and fullwidth `＋` to ASCII;
//! drop the separators people type (spaces incl. NBSP, dots, dashes incl. en/em dash, parentheses,
//! slashes) and invisible marks (bidi marks, zero-width characters, soft hyphen); split off an
//! extension (`ext.`, `x`, `#`, `;ext=`); refuse letters. A leading `+`, `00` or the default
//! region's international prefix (`011` in the US) introduces the country code; only the
//! number's own national prefix rules apply; validity, type and region come from full matches
//! of the metadata patterns, leading zeros kept. The number is never changed into another one.
//!
//! ```
//! use signup_guard::fields::{country::Country, phone};
//! let p = phone::parse("020 7946 0018", Country::from_code("UK")).value.unwrap();
//! assert_eq!((p.e164(), p.international()), ("+442079460018", "+44 20 7946 0018"));
//! let p = phone::parse("+98 ۹۱۲ ۳۴۵ ۶۷۸۹", None).value.unwrap();
//! assert_eq!((p.e164(), p.kind()), ("+989123456789", phone::PhoneType::Mobile));
//! assert!(phone::parse("1-800-FLOWERS", Country::from_code("US")).value.is_none());
//! ```
//!
//! The engine: `build.rs` reads libphonenumber's metadata, vendored in `data/metadata.json`
//! (refreshed by `scripts/refresh-phone-metadata.sh VERSION`), and emits digit DFAs and small
//! programs (`tables`); run time is a table walk with no regex engine and no cache, the same
//! speed for any region order.

// The browser's main module (`phone_bridge`) reaches these through the engine module instead.
#[cfg_attr(phone_bridge, allow(dead_code))]
mod as_you_type;
#[cfg_attr(phone_bridge, allow(dead_code))]
mod engine;
#[cfg_attr(phone_bridge, allow(dead_code))]
mod format;
#[cfg_attr(phone_bridge, allow(dead_code))]
mod judge;
mod kind;
mod normalize;
#[cfg(phone_bridge)]
mod remote;
mod tables;

use judge::region_name;
// The engine's answers: computed here, or asked of the engine module in the browser.
#[cfg(not(phone_bridge))]
use judge::{judge, shape};
pub(crate) use judge::{Outcome, Shaped};
pub use kind::PhoneType;
#[cfg(phone_bridge)]
use remote::{judge, shape};

pub use tables::LoadError;
pub(crate) use tables::{METADATA_RELEASED, METADATA_VERSION};

use crate::fields::country::Country;
use crate::hygiene;
use crate::issue::{Checked, Code, Field, Issue};
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

/// The most digits any input may have before parsing (libphonenumber's input bound).
const MAX_DIGITS: usize = 250;

/// A valid phone number; only [`parse`] makes one.
///
/// The display forms are formatted on first use (most callers, like a list audit, store only
/// E.164), so equality and hashing look at the number itself, of which they are functions.
#[derive(Debug, Clone)]
pub struct Phone {
    e164: String,
    /// The calling code; the national significant number is `e164` after `+` and its digits.
    #[cfg_attr(phone_bridge, allow(dead_code))]
    cc: u16,
    international: OnceLock<String>,
    national: OnceLock<String>,
    region: Country,
    kind: PhoneType,
    extension: Option<String>,
}

impl PartialEq for Phone {
    fn eq(&self, other: &Self) -> bool {
        (&self.e164, self.region, self.kind, &self.extension)
            == (&other.e164, other.region, other.kind, &other.extension)
    }
}

impl Eq for Phone {}

impl Hash for Phone {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (&self.e164, self.region, self.kind, &self.extension).hash(state);
    }
}

impl Phone {
    /// E.164 for storage (`+6281234567890`).
    pub fn e164(&self) -> &str {
        &self.e164
    }
    /// International format for display (`+62 812-3456-7890`), formatted on first use.
    pub fn international(&self) -> &str {
        #[cfg(phone_bridge)]
        return self.international.get().map_or(&self.e164, String::as_str);
        #[cfg(not(phone_bridge))]
        self.international
            .get_or_init(|| format::international(self.cc, self.nsn()))
    }
    /// National format for display (`0812-3456-7890`), formatted on first use (E.164 in the
    /// browser's main module, whose phone engine module sends the international form only).
    pub fn national(&self) -> &str {
        #[cfg(phone_bridge)]
        return self.national.get().map_or(&self.e164, String::as_str);
        #[cfg(not(phone_bridge))]
        self.national
            .get_or_init(|| format::national(self.cc, self.nsn()))
    }
    /// The national significant number: E.164 without `+` and the calling code.
    #[cfg_attr(phone_bridge, allow(dead_code))]
    fn nsn(&self) -> &str {
        let cc_digits = match self.cc {
            0..=9 => 1,
            10..=99 => 2,
            _ => 3,
        };
        self.e164.get(1 + cc_digits..).unwrap_or_default()
    }
    /// The region the number belongs to.
    pub fn region(&self) -> Country {
        self.region
    }
    /// The line type.
    pub fn kind(&self) -> PhoneType {
        self.kind
    }
    /// The extension, kept apart from the number.
    pub fn extension(&self) -> Option<&str> {
        self.extension.as_deref()
    }
}

/// Checks a phone number, reading national numbers as numbers of `default_region`.
pub fn parse(input: &str, default_region: Option<Country>) -> Checked<Phone> {
    match parse_inner(input, default_region) {
        Ok(phone) => Checked::new(phone, Vec::new()),
        Err(issue) => Checked::error(issue),
    }
}

fn parse_inner(input: &str, default_region: Option<Country>) -> Result<Phone, Issue> {
    let value = hygiene::clean(input, Field::Phone)?;
    let typed = normalize::normalize(value)?;
    let issue = |code| Issue::new(Field::Phone, code);
    if typed.digits.len() > MAX_DIGITS {
        return Err(issue(Code::PhoneTooLong));
    }
    if typed.digits.len() < 2 {
        return Err(issue(Code::PhoneTooShort));
    }
    let home = default_region.as_ref().map(Country::as_str);
    conclude(judge(&typed.digits, typed.plus, home), typed.ext)
}

/// The number, or the issue, for what the engine said.
fn conclude(outcome: Outcome, extension: Option<String>) -> Result<Phone, Issue> {
    let issue = |code| Issue::new(Field::Phone, code);
    // Without its tables a number gets no verdict, only `phone.pending` naming what to load.
    let pending = |file: Option<String>| {
        issue(Code::PhonePending).with_param("data", file.unwrap_or_default())
    };
    let (cc, nsn, region, kind, shown) = match outcome {
        Outcome::Valid {
            cc,
            nsn,
            region,
            kind,
            shown,
        } => (cc, nsn, region, kind, shown),
        Outcome::Missing(cc) => return Err(pending(tables::chunk_name(cc))),
        Outcome::NoEngine => return Err(pending(engine_file())),
        Outcome::NeedsCountryCode => return Err(issue(Code::PhoneNeedsCountryCode)),
        Outcome::InvalidCountryCode(code) => {
            return Err(issue(Code::PhoneInvalidCountryCode)
                .with_param("code", crate::issue::decimal(usize::from(code))))
        }
        Outcome::TooShort => return Err(issue(Code::PhoneTooShort)),
        Outcome::TooLong => return Err(issue(Code::PhoneTooLong)),
        Outcome::Invalid(name) => return Err(issue(Code::PhoneInvalid).with_param("region", name)),
    };
    // Ascension (AC) and Tristan da Cunha (TA) are parts of ISO 3166-1 `SH`; the numbers of
    // non-geographic services (region `001`: +800, +870, +882 …) belong to no country.
    let country = match &*region {
        "AC" | "TA" => Country::from_code("SH"),
        id => Country::from_code(id),
    }
    .ok_or_else(|| issue(Code::PhoneInvalid).with_param("region", region_name(&region, cc)))?;
    let international = shown.map_or_else(OnceLock::new, OnceLock::from);
    Ok(Phone {
        e164: ["+", &crate::issue::decimal(usize::from(cc)), &nsn].concat(),
        cc,
        international,
        national: OnceLock::new(),
        region: country,
        kind,
        extension,
    })
}

/// The file of the phone engine module, when the engine is one (browser builds that load it
/// at the first phone number); `None` when it is compiled in.
fn engine_file() -> Option<String> {
    #[cfg(phone_bridge)]
    return Some(remote::FILE.to_owned());
    #[cfg(not(phone_bridge))]
    None
}

/// Takes the bytes of one `phone-<code>.<hash>.bin` file of this build (browser builds load
/// most calling codes on demand) and answers its calling code; other bytes are refused.
pub fn load_data(bytes: Vec<u8>) -> Result<u16, LoadError> {
    #[cfg(phone_bridge)]
    return remote::load(bytes);
    #[cfg(not(phone_bridge))]
    tables::load(bytes)
}

/// The data file a number in `country` needs first (`phone-62.<hash>.bin` for `ID`), or `None`
/// when it is loaded (always, natively) or the country has no phone numbers.
pub fn data_needed(country: Country) -> Option<String> {
    let cc = tables::code_of(country.as_str())?;
    #[cfg(phone_bridge)]
    let missing = !remote::has(cc);
    #[cfg(not(phone_bridge))]
    let missing = tables::by_code(cc).is_err();
    if missing {
        tables::chunk_name(cc)
    } else {
        None
    }
}

/// Takes the phone engine module's instance (browser builds whose engine is a module of its own;
/// see `remote.rs`).
#[cfg(phone_bridge)]
pub fn use_engine(instance: &wasm_bindgen::JsValue) -> Result<(), ()> {
    remote::use_engine(instance)
}

/// The engine module's file while the engine is a module of its own and not loaded yet, else
/// `None` (always, natively).
pub fn engine_needed() -> Option<String> {
    #[cfg(phone_bridge)]
    if !remote::ready() {
        return engine_file();
    }
    None
}

/// The most characters (digits and `+`) [`format_as_you_type`] formats; a longer value is no
/// phone number being typed and stays as it is.
const MAX_TYPED: usize = 24;

/// What [`format_as_you_type`] answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsYouType {
    /// The text to show in the field.
    Formatted {
        /// The value grouped as the region writes it, in the digits the person typed.
        text: String,
        /// The calling code the number is read with (typed after `+`, else the country's).
        calling_code: Option<u16>,
        /// That calling code's main region (`GB` for +44), `None` for non-geographic codes.
        region: Option<Country>,
    },
    /// The phone data this file holds is not loaded yet (browser builds): keep the text as
    /// typed, load the file, format again.
    Pending {
        /// The file to load, `phone-<code>.<hash>.bin`.
        data: String,
    },
}

/// Formats a phone number while it is typed, as libphonenumber's `AsYouTypeFormatter` does,
/// keeping the digits' script. Separators already in the value are read through; a value with
/// anything else (letters, a second `+`) comes back unchanged.
///
/// ```
/// use signup_guard::fields::{country::Country, phone};
/// let shown = |text, country| match phone::format_as_you_type(text, Country::from_code(country)) {
///     phone::AsYouType::Formatted { text, .. } => text,
///     phone::AsYouType::Pending { .. } => unreachable!("natively every region is loaded"),
/// };
/// assert_eq!(shown("0812345", "ID"), "0812-345");
/// assert_eq!(shown("+4420794", "ID"), "+44 20 794");
/// assert_eq!(shown("۰۹۱۲۳۴۵", "IR"), "۰۹۱۲ ۳۴۵");
/// ```
pub fn format_as_you_type(input: &str, country: Option<Country>) -> AsYouType {
    let unchanged = || AsYouType::Formatted {
        text: input.to_owned(),
        calling_code: None,
        region: None,
    };
    let mut typed = String::new();
    let mut zero = None;
    for c in input.chars() {
        if let Some(d) = normalize::fold_digit(c) {
            zero.get_or_insert(c as u32 - u32::from(d - b'0'));
            typed.push(char::from(d));
        } else if matches!(c, '+' | '\u{FF0B}') && typed.is_empty() {
            typed.push('+');
        } else if !(normalize::is_separator(c) || normalize::is_invisible(c)) {
            return unchanged();
        }
    }
    if zero.is_none() || typed.len() > MAX_TYPED {
        return unchanged();
    }
    match shape(&typed, country.as_ref().map(Country::as_str)) {
        Shaped::Text(text, cc, region) => {
            let zero = zero.unwrap_or(0x30);
            let text = text
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(zero + (c as u32 - 0x30)).unwrap_or(c),
                    _ => c,
                })
                .collect();
            AsYouType::Formatted {
                text,
                calling_code: cc,
                region: region.and_then(|r| Country::from_code(&r)),
            }
        }
        Shaped::Missing(cc) => AsYouType::Pending {
            data: tables::chunk_name(cc).unwrap_or_default(),
        },
        Shaped::NoEngine => AsYouType::Pending {
            data: engine_file().unwrap_or_default(),
        },
    }
}

/// Every region with phone numbers and its calling code (`("ID", 62)`), by region code: what a
/// country picker for the phone lists. Answered by the index, whether the data is loaded or not.
pub fn regions() -> impl Iterator<Item = (Country, u16)> {
    tables::regions().filter_map(|(id, cc)| Some((Country::from_code(id)?, cc)))
}

/// [`parse`], then [`check_type`] against the policy's accepted types (`allowed` empty accepts
/// every valid type): what every face asks of a phone field.
pub fn parse_with(
    input: &str,
    default_region: Option<Country>,
    allowed: &[PhoneType],
) -> Checked<Phone> {
    let mut checked = parse(input, default_region);
    if let Some(issue) = checked.value.as_ref().and_then(|p| check_type(p, allowed)) {
        checked.issues.push(issue);
        checked.value = None;
    }
    checked
}

/// The issue for a number whose type the policy does not accept (`allowed` empty accepts all).
pub fn check_type(phone: &Phone, allowed: &[PhoneType]) -> Option<Issue> {
    if allowed.is_empty() || allowed.contains(&phone.kind) {
        return None;
    }
    let only_mobile = allowed.iter().all(|t| t.can_receive_sms());
    if only_mobile && !phone.kind.can_receive_sms() {
        return Some(
            Issue::new(Field::Phone, Code::PhoneNotMobile).with_param("type", phone.kind.as_str()),
        );
    }
    if allowed.contains(&PhoneType::Mobile) && phone.kind == PhoneType::FixedLineOrMobile {
        return None;
    }
    let names: Vec<&str> = allowed.iter().map(|t| t.as_str()).collect();
    Some(
        Issue::new(Field::Phone, Code::PhoneTypeNotAllowed)
            .with_param("type", phone.kind.as_str())
            .with_list_param("allowed", &names),
    )
}
