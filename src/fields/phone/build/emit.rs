//! Build time only (included by `build.rs`): reads the vendored metadata
//! (`src/fields/phone/data/metadata.json`, see `metadata.rs`) and writes the run-time tables:
//! one binary chunk per calling code (read back by `src/fields/phone/tables.rs`, every index
//! local to the chunk so a browser can load it alone) and the Rust source of the index that is
//! always compiled in (`$OUT_DIR/phone_tables.rs`; `build.rs` adds the chunk hashes).
//!
//! How patterns and bytes are encoded is [`super::encode`]'s.
//!
//! The metadata is already processed by libphonenumber's own metadata build; what the tables
//! rely on is asserted here so that a refresh that breaks it fails the build instead of
//! changing answers: the general description's possible lengths are the union of the types'
//! (local-only lengths minus national ones), `nationalPrefixForParsing` is set wherever a
//! national prefix is, formatting rules carry no `$NP`/`$FG` left to substitute, and regions
//! sharing a calling code are ordered main region first, then alphabetically (the order
//! `getRegionCodeForNumber` tries them).

use super::encode::{measure, pack_bits, Bytes, Tables};
use super::metadata::{Database, Descriptor, Format as MetaFormat, Metadata};
use std::collections::BTreeSet;
use std::fmt::Write;

/// "No table" (the reader's `NONE`).
const NONE: u16 = u16::MAX;

/// The lengths as a bit set (bit `l` for length `l`).
fn mask(lengths: &[u16]) -> u32 {
    lengths
        .iter()
        .filter(|&&l| l > 0 && l < 32)
        .fold(0, |m, &l| m | 1 << l)
}

/// `s` as a Rust string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// The types in the order libphonenumber's `getNumberTypeHelper` tests them.
fn types(m: &Metadata) -> [Option<&Descriptor>; 10] {
    [
        m.premium_rate.as_ref(),
        m.toll_free.as_ref(),
        m.shared_cost.as_ref(),
        m.voip.as_ref(),
        m.personal_number.as_ref(),
        m.pager.as_ref(),
        m.uan.as_ref(),
        m.voicemail.as_ref(),
        m.fixed_line.as_ref(),
        m.mobile.as_ref(),
    ]
}

/// The string, or empty when absent.
pub(crate) fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

/// libphonenumber's valid punctuation: what a format may put between its groups to be used
/// as you type (a star, for one, is not).
fn is_punctuation(c: char) -> bool {
    matches!(
        c,
        '-' | 'x' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF0D}'..='\u{FF0F}'
            | ' ' | '\u{00A0}' | '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{3000}' | '('
            | ')' | '\u{FF08}' | '\u{FF09}' | '\u{FF3B}' | '\u{FF3D}' | '.' | '[' | ']'
            | '/' | '~' | '\u{2053}' | '\u{223C}' | '\u{FF5E}'
    )
}

/// A format usable as you type (libphonenumber's `ELIGIBLE_FORMAT_PATTERN`): `$1`, then other
/// `$n`, with only punctuation around them.
fn as_you_type_eligible(format: &str) -> bool {
    let mut chars = format.chars();
    let mut groups = 0;
    while let Some(c) = chars.next() {
        if c == '$' {
            match chars.next() {
                Some('1') if groups == 0 => {}
                Some(d) if d.is_ascii_digit() && groups > 0 => {}
                _ => return false,
            }
            groups += 1;
        } else if !is_punctuation(c) {
            return false;
        }
    }
    groups > 0
}

/// The magic of a chunk: format version 2 (formats carry their as-you-type fields).
pub(crate) const MAGIC: &[u8; 4] = b"SGP2";

/// One calling code's chunk: its regions (main region first), their formats, programs and DFAs,
/// every index local to the chunk, so a browser can load it on its own.
fn chunk(cc: u16, metas: &[&Metadata], t: &mut Tables) -> Vec<u8> {
    let mut regions = Bytes::default();
    let mut formats = Bytes::default();
    let mut format_count = 0u16;
    for m in metas {
        let mut lengths = BTreeSet::new();
        let mut local = BTreeSet::new();
        let mut type_dfas = [NONE; 10];
        let mut type_lengths = [0u32; 10];
        for (k, desc) in types(m).iter().enumerate() {
            if let Some(desc) = desc {
                assert!(
                    !desc.possible_length.is_empty(),
                    "{} type {k} has no lengths",
                    m.id
                );
                lengths.extend(desc.possible_length.iter().copied());
                local.extend(desc.possible_length_local_only.iter().copied());
                type_dfas[k] = t.dfa(&desc.pattern);
                type_lengths[k] = mask(&desc.possible_length);
            }
        }
        let local: Vec<u16> = local.difference(&lengths).copied().collect();
        let lengths: Vec<u16> = lengths.into_iter().collect();
        assert!(
            lengths.iter().all(|&l| l <= 17),
            "{}: length above 17",
            m.id
        );
        let g = m
            .general_desc
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no general description", m.id));
        assert_eq!(g.possible_length, lengths, "{}: general lengths", m.id);
        assert_eq!(
            g.possible_length_local_only, local,
            "{}: general local-only lengths",
            m.id
        );
        let general = t.dfa(&g.pattern);
        let same = match (&m.fixed_line, &m.mobile) {
            (Some(f), Some(mo)) => f.pattern == mo.pattern,
            _ => false,
        };
        let np = opt(&m.national_prefix);
        let npfp = match &m.national_prefix_for_parsing {
            Some(r) => t.program(r),
            None => {
                assert!(
                    np.is_empty(),
                    "{}: national prefix without parsing rule",
                    m.id
                );
                NONE
            }
        };
        let idd = m
            .international_prefix
            .as_deref()
            .map_or(NONE, |r| t.program(r));
        let leading = m.leading_digits.as_deref().map_or(NONE, |r| t.dfa(r));
        let transform = opt(&m.national_prefix_transform_rule);
        assert!(
            transform.is_empty() || npfp != NONE,
            "{}: transform without prefix",
            m.id
        );
        let mut list = |fs: &[MetaFormat], t: &mut Tables| -> (u16, u16) {
            let start = format_count;
            for f in fs {
                let pat = t.program(&f.pattern);
                let lead = f.leading_digits_pattern.last().map_or(NONE, |r| t.dfa(r));
                // The earlier leading-digits patterns (shorter prefixes), for as-you-type.
                let earlier: Vec<u16> = f
                    .leading_digits_pattern
                    .iter()
                    .rev()
                    .skip(1)
                    .rev()
                    .map(|r| t.dfa(r))
                    .collect();
                let rule = opt(&f.national_prefix_formatting_rule);
                assert!(
                    !rule.contains("$NP") && !rule.contains("$FG"),
                    "{}: formatting rule {rule:?} not substituted",
                    m.id
                );
                formats.u16(pat);
                formats.u16(lead);
                formats.str(&f.format);
                formats.str(rule);
                formats.u8(u8::from(f.national_prefix_optional_when_formatting)
                    | u8::from(f.domestic_carrier_code_formatting_rule.is_some()) << 1
                    | u8::from(as_you_type_eligible(&f.format)) << 2
                    | u8::from(matches!(rule, "" | "$1" | "($1)" | "($1" | "$1)")) << 3
                    | u8::from(rule.contains([' ', '-'])) << 4);
                formats.u8(u8::try_from(earlier.len()).expect("leading patterns"));
                earlier.iter().for_each(|&d| formats.u16(d));
                format_count += 1;
            }
            (start, format_count - start)
        };
        let (fs, fl) = list(&m.number_format, t);
        let (is, il) = list(&m.intl_number_format, t);
        regions.str(&m.id);
        regions.u16(idd);
        regions.u16(npfp);
        regions.str(transform);
        regions.u16(leading);
        regions.u16(general);
        regions.u32(mask(&lengths));
        regions.u32(mask(&local));
        type_dfas.iter().for_each(|&d| regions.u16(d));
        type_lengths.iter().for_each(|&l| regions.u32(l));
        regions.u8(u8::from(same));
        for x in [fs, fl, is, il] {
            regions.u16(x);
        }
    }
    let mut out = Bytes::default();
    out.0.extend_from_slice(MAGIC);
    out.u16(cc);
    out.u8(u8::try_from(metas.len()).expect("regions per code"));
    out.0.extend_from_slice(&regions.0);
    out.u16(format_count);
    out.0.extend_from_slice(&formats.0);
    out.words(&t.prog);
    out.words(&t.prog_starts);
    out.words(&t.dfa_bases);
    out.blob(&t.rows);
    out.blob(&pack_bits(&t.accept));
    out.0
}

/// What the build writes: the index (Rust source, always compiled in) and one chunk per calling
/// code, `(code, bytes)`, in code order.
pub(crate) struct Generated {
    pub index: String,
    pub chunks: Vec<(u16, Vec<u8>)>,
}

/// Writes the tables for every region of `db`: the index and the chunks.
pub(crate) fn generate(db: &Database) -> Generated {
    // Sorted by calling code: the non-geographic entities all have the id `001`.
    let mut metas: Vec<&Metadata> = db.regions.iter().collect();
    metas.sort_by_key(|m| (m.country_code, !m.main_country_for_code, m.id.clone()));
    for (i, m) in metas.iter().enumerate() {
        // Regions sharing a calling code: exactly one main region, sorted first.
        let first = i == 0 || metas[i - 1].country_code != m.country_code;
        let shared = metas
            .iter()
            .filter(|o| o.country_code == m.country_code)
            .count()
            > 1;
        if shared && m.id != "001" {
            assert_eq!(
                m.main_country_for_code, first,
                "main region of +{}",
                m.country_code
            );
        }
    }
    let mut chunks = Vec::new();
    let mut all = Vec::new();
    for group in metas.chunk_by(|a, b| a.country_code == b.country_code) {
        let cc = group[0].country_code;
        let mut t = Tables::default();
        chunks.push((cc, chunk(cc, group, &mut t)));
        all.push(t);
    }
    measure(&all, &metas);
    let mut by_id: Vec<(&str, u16)> = metas
        .iter()
        .filter(|m| m.id != "001")
        .map(|m| (m.id.as_str(), m.country_code))
        .collect();
    by_id.sort();
    let mut index = String::new();
    let _ = writeln!(
        index,
        "// Generated by build.rs from src/fields/phone/data/metadata.json; do not edit.\n\
         /// The libphonenumber release the tables are compiled from, e.g. `9.0.43`.\n\
         pub(crate) const METADATA_VERSION: &str = {};\n\
         /// That release's date, `YYYY-MM-DD`.\n\
         pub(crate) const METADATA_RELEASED: &str = {};",
        lit(&db.version),
        lit(&db.released)
    );
    // Two ASCII letters and a code, four bytes a region (a `&str` would be eight more: a pointer
    // and a length, data that compresses badly in the browser's module).
    let rows: Vec<String> = by_id
        .iter()
        .map(|(id, cc)| format!("(*b{id:?}, {cc})"))
        .collect();
    let _ = writeln!(
        index,
        "pub(super) static REGION_CODES: [([u8; 2], u16); {}] = [{}];",
        by_id.len(),
        rows.join(", ")
    );
    Generated { index, chunks }
}
