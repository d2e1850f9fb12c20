//! Build time only (included by `build.rs` and the phone engine's): the encodings the run-time
//! tables (`src/fields/phone/tables.rs`) read back. A chunk's [`Tables`] compile each pattern
//! once, as a program (words `op << 28 | a << 14 | b`) and, where only "does it match" is asked,
//! as a DFA (a row of ten bytes per state, one per digit: 0 = no match, t + 1 = state t of the
//! same DFA; the accept bits packed apart); [`Bytes`] writes a chunk little-endian; [`measure`]
//! writes what the tables cost, for `scripts/phone-table-size.sh`.

use super::emit::opt;
use super::metadata::Metadata;
use super::{dfa, pattern};
use std::collections::HashMap;

/// One chunk's programs and DFAs, each pattern compiled once (by its text without spaces).
#[derive(Default)]
pub(crate) struct Tables {
    pub(crate) prog: Vec<u32>,
    pub(crate) prog_starts: Vec<u32>,
    prog_ids: HashMap<String, u16>,
    pub(crate) rows: Vec<u8>,
    pub(crate) accept: Vec<bool>,
    pub(crate) dfa_bases: Vec<u32>,
    dfa_ids: HashMap<String, u16>,
}

impl Tables {
    /// The id of the program compiled from `src` (compiled once per chunk).
    pub(crate) fn program(&mut self, src: &str) -> u16 {
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

    /// The id of the DFA built from `src` (built once per chunk).
    pub(crate) fn dfa(&mut self, src: &str) -> u16 {
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
pub(crate) fn pack_bits(bits: &[bool]) -> Vec<u8> {
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

/// Little-endian writer of one chunk (the reader is `Reader` in `src/fields/phone/tables.rs`).
#[derive(Default)]
pub(crate) struct Bytes(pub(crate) Vec<u8>);

impl Bytes {
    pub(crate) fn u8(&mut self, x: u8) {
        self.0.push(x);
    }
    pub(crate) fn u16(&mut self, x: u16) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn u32(&mut self, x: u32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.u16(u16::try_from(s.len()).expect("short string"));
        self.0.extend_from_slice(s.as_bytes());
    }
    pub(crate) fn words(&mut self, xs: &[u32]) {
        self.u32(xs.len() as u32);
        xs.iter().for_each(|&x| self.u32(x));
    }
    pub(crate) fn blob(&mut self, b: &[u8]) {
        self.u32(b.len() as u32);
        self.0.extend_from_slice(b);
    }
}

/// Writes `$OUT_DIR/phone_tables.bin` (every chunk's tables as packed little-endian bytes,
/// strings included: what the data costs in a binary), `phone_tables_alt.bin` (the same with
/// every DFA replaced by its pattern's program, the linear-time-matcher alternative of DESIGN §3)
/// and `phone_rows.bin` (the DFA rows alone), for `scripts/phone-table-size.sh`.
pub(crate) fn measure(all: &[Tables], metas: &[&Metadata]) {
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
