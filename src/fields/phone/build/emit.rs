//! Build time only (included by `build.rs`): reads the vendored metadata
//! (`src/fields/phone/data/metadata.json`, see `metadata.rs`) and writes the run-time tables:
//! one binary chunk per calling code (read back by `src/fields/phone/tables.rs`, every index
//! local to the chunk so a browser can load it alone) and the Rust source of the index that is
//! always compiled in (`$OUT_DIR/phone_tables.rs`; `build.rs` adds the chunk hashes).
//!
//! The metadata is already processed by libphonenumber's own metadata build; what the tables
//! rely on is asserted here so that a refresh that breaks it fails the build instead of
//! changing answers: the general description's possible lengths are the union of the types'
//! (local-only lengths minus national ones), `nationalPrefixForParsing` is set wherever a
//! national prefix is, formatting rules carry no `$NP`/`$FG` left to substitute, and regions
//! sharing a calling code are ordered main region first, then alphabetically (the order
//! `getRegionCodeForNumber` tries them).

use super::metadata::{Database, Descriptor, Format as MetaFormat, Metadata};
use super::{dfa, pattern};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

const NONE: u16 = u16::MAX;

#[derive(Default)]
struct Tables {
    prog: Vec<u32>,
    prog_starts: Vec<u32>,
    prog_ids: HashMap<String, u16>,
    rows: Vec<u8>,
    accept: Vec<bool>,
    dfa_bases: Vec<u32>,
    dfa_ids: HashMap<String, u16>,
}

impl Tables {
    fn program(&mut self, src: &str) -> u16 {
        let key: String = src.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(&id) = self.prog_ids.get(&key) {
            return id;
        }
        let p = pattern::compile(&key).unwrap_or_else(|e| panic!("pattern {key:?}: {e}"));
        let id = self.prog_starts.len() as u16;
        self.prog_starts
            .push(self.prog.len() as u32 | (u32::from(p.groups) << 24));
        self.prog.extend(p.insts.iter().map(encode));
        self.prog_ids.insert(key, id);
        id
    }

    fn dfa(&mut self, src: &str) -> u16 {
        let key: String = src.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(&id) = self.dfa_ids.get(&key) {
            return id;
        }
        let p = pattern::compile(&key).unwrap_or_else(|e| panic!("pattern {key:?}: {e}"));
        let d = dfa::build(&p);
        assert!(
            d.next.len() < 256,
            "DFA of {key:?} has {} states",
            d.next.len()
        );
        let id = self.dfa_bases.len() as u16;
        self.dfa_bases.push(self.accept.len() as u32);
        for (row, &acc) in d.next.iter().zip(&d.accept) {
            // One byte per digit: 0 is the dead state, t + 1 is state t of the same DFA.
            self.rows
                .extend(row.iter().map(|t| t.map_or(0, |t| t as u8 + 1)));
            self.accept.push(acc);
        }
        self.dfa_ids.insert(key, id);
        id
    }
}

/// Bit `i % 8` of byte `i / 8` is `bits[i]`.
fn pack_bits(bits: &[bool]) -> Vec<u8> {
    bits.chunks(8)
        .map(|c| {
            c.iter()
                .enumerate()
                .fold(0u8, |b, (i, &on)| b | u8::from(on) << i)
        })
        .collect()
}

/// One instruction as a program word: `op << 28 | a << 14 | b`.
fn encode(inst: &pattern::Inst) -> u32 {
    match *inst {
        pattern::Inst::Class(m) => u32::from(m),
        pattern::Inst::Split(a, b) => 1 << 28 | u32::from(a) << 14 | u32::from(b),
        pattern::Inst::Jmp(a) => 2 << 28 | u32::from(a),
        pattern::Inst::Save(n) => 3 << 28 | u32::from(n),
        pattern::Inst::End => 4 << 28,
        pattern::Inst::Match => 5 << 28,
    }
}

fn mask(lengths: &[u16]) -> u32 {
    lengths
        .iter()
        .filter(|&&l| l > 0 && l < 32)
        .fold(0, |m, &l| m | 1 << l)
}

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

fn opt(s: &Option<String>) -> &str {
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

/// Little-endian writer of one chunk (the reader is `Reader` in `src/fields/phone/tables.rs`).
#[derive(Default)]
struct Bytes(Vec<u8>);

impl Bytes {
    fn u8(&mut self, x: u8) {
        self.0.push(x);
    }
    fn u16(&mut self, x: u16) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn u32(&mut self, x: u32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u16(u16::try_from(s.len()).expect("short string"));
        self.0.extend_from_slice(s.as_bytes());
    }
    fn words(&mut self, xs: &[u32]) {
        self.u32(xs.len() as u32);
        xs.iter().for_each(|&x| self.u32(x));
    }
    fn blob(&mut self, b: &[u8]) {
        self.u32(b.len() as u32);
        self.0.extend_from_slice(b);
    }
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

/// Writes `$OUT_DIR/phone_tables.bin` (every chunk's tables as packed little-endian bytes,
/// strings included: what the data costs in a binary), `phone_tables_alt.bin` (the same with
/// every DFA replaced by its pattern's program, the linear-time-matcher alternative of DESIGN §3)
/// and `phone_rows.bin` (the DFA rows alone), for `scripts/phone-table-size.sh`.
fn measure(all: &[Tables], metas: &[&Metadata]) {
    let words = |v: &mut Vec<u8>, xs: &[u32]| {
        xs.iter()
            .for_each(|x| v.extend_from_slice(&x.to_le_bytes()))
    };
    let mut blob = Vec::new();
    for t in all {
        words(&mut blob, &t.prog);
        words(&mut blob, &t.prog_starts);
        words(&mut blob, &t.dfa_bases);
    }
    for m in metas {
        blob.extend_from_slice(m.id.as_bytes());
        blob.extend_from_slice(&m.country_code.to_le_bytes());
        // idd, npfp, leading, general, 10 types (u16 each); lengths, local, 10 type lengths (u32).
        blob.extend_from_slice(&[0u8; 2 * 14 + 4 * 12 + 8]);
        blob.extend_from_slice(opt(&m.national_prefix_transform_rule).as_bytes());
        for f in m.number_format.iter().chain(&m.intl_number_format) {
            blob.extend_from_slice(&[0u8; 4]);
            blob.extend_from_slice(f.format.as_bytes());
            blob.extend_from_slice(opt(&f.national_prefix_formatting_rule).as_bytes());
        }
    }
    let mut alt = blob.clone();
    let mut rows = Vec::new();
    for t in all {
        rows.extend_from_slice(&t.rows);
        blob.extend_from_slice(&t.rows);
        blob.extend_from_slice(&pack_bits(&t.accept));
        let mut keys: Vec<(&String, &u16)> = t.dfa_ids.iter().collect();
        keys.sort_by_key(|(_, id)| **id);
        for (key, _) in keys {
            let p = pattern::compile(key).expect("compiled before");
            words(&mut alt, &p.insts.iter().map(encode).collect::<Vec<_>>());
        }
    }
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let _ = std::fs::write(out.join("phone_tables.bin"), &blob);
    let _ = std::fs::write(out.join("phone_tables_alt.bin"), &alt);
    let _ = std::fs::write(out.join("phone_rows.bin"), &rows);
}
