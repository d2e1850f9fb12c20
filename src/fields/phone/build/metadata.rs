//! Build time only (included by `build.rs`): the vendored libphonenumber metadata,
//! `src/fields/phone/data/metadata.json`, written by `scripts/refresh-phone-metadata.sh`.
//!
//! The field names are libphonenumber's (`PhoneMetadata`, `PhoneNumberDesc`, `NumberFormat`);
//! group references are written `$1` as in its XML. Unknown fields are refused, so a refresh
//! that brings a new kind of data fails the build instead of being ignored. Some fields are
//! read only by people (the example numbers, carrier-code rules): they are kept so the vendored
//! file is the whole of what the release says.
#![allow(dead_code)]

use serde::Deserialize;

/// The whole file: which release, and every region (non-geographic entities have id `001`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Database {
    pub source: String,
    pub version: String,
    pub released: String,
    pub license: String,
    pub changes: String,
    pub generated_by: String,
    pub regions: Vec<Metadata>,
}

/// One region's `PhoneMetadata`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Metadata {
    pub id: String,
    pub country_code: u16,
    pub main_country_for_code: bool,
    pub leading_digits: Option<String>,
    pub international_prefix: Option<String>,
    pub preferred_international_prefix: Option<String>,
    pub national_prefix: Option<String>,
    pub national_prefix_for_parsing: Option<String>,
    pub national_prefix_transform_rule: Option<String>,
    pub preferred_extn_prefix: Option<String>,
    pub mobile_number_portable_region: bool,
    pub general_desc: Option<Descriptor>,
    pub fixed_line: Option<Descriptor>,
    pub mobile: Option<Descriptor>,
    pub toll_free: Option<Descriptor>,
    pub premium_rate: Option<Descriptor>,
    pub shared_cost: Option<Descriptor>,
    pub personal_number: Option<Descriptor>,
    pub voip: Option<Descriptor>,
    pub pager: Option<Descriptor>,
    pub uan: Option<Descriptor>,
    pub voicemail: Option<Descriptor>,
    pub no_international_dialling: Option<Descriptor>,
    pub number_format: Vec<Format>,
    pub intl_number_format: Vec<Format>,
}

/// A `PhoneNumberDesc`: a national-number pattern and the lengths it can have.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Descriptor {
    pub pattern: String,
    pub possible_length: Vec<u16>,
    pub possible_length_local_only: Vec<u16>,
    pub example_number: Option<String>,
}

/// A `NumberFormat`: how numbers whose leading digits match are grouped for display.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Format {
    pub pattern: String,
    pub format: String,
    pub leading_digits_pattern: Vec<String>,
    pub national_prefix_formatting_rule: Option<String>,
    pub national_prefix_optional_when_formatting: bool,
    pub domestic_carrier_code_formatting_rule: Option<String>,
}

/// Reads and checks the file at `path`; panics (failing the build) with the reason.
pub(crate) fn load(path: &std::path::Path) -> Database {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let db: Database =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
    let numeric = |s: &str, parts: usize, sep: char| {
        s.split(sep).count() == parts
            && s.split(sep)
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    assert!(
        numeric(&db.version, 3, '.'),
        "metadata version {:?} is not a release number",
        db.version
    );
    assert!(
        numeric(&db.released, 3, '-') && db.released.len() == 10,
        "metadata date {:?} is not YYYY-MM-DD",
        db.released
    );
    db
}
