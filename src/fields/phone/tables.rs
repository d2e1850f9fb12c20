//! The metadata tables `build.rs` generates: the regions, formats, programs and DFAs of each
//! calling code, and how they are found, loaded and decoded. The two walks over them (DFAs and
//! programs) are [`walk`]'s.
//!
//! The tables come in one chunk per calling code (every index local to its chunk), decoded on
//! first use. Native builds embed them all; the browser build embeds a chosen few and takes the
//! others through [`load`], so a lookup can answer [`Missing`]: "not loaded yet", never "no
//! such number".
//!
//! Encodings (see `src/fields/phone/build/encode.rs`): a DFA state is a row of ten bytes, one
//! per digit (0 = no match, t + 1 = state t of the same DFA), plus one accept bit; a program
//! word is `op << 28 | a << 14 | b`.

use std::sync::OnceLock;

/// "No table": the region has no such pattern.
pub(super) const NONE: u16 = u16::MAX;

/// One region's metadata, as libphonenumber's `PhoneMetadata` has it.
pub(super) struct Region {
    /// The tables of the region's chunk, which its indexes point into.
    pub code: &'static Code,
    pub id: &'static str,
    pub cc: u16,
    pub idd: u16,
    pub npfp: u16,
    pub transform: &'static str,
    pub leading: u16,
    pub general: u16,
    pub lengths: u32,
    pub local: u32,
    pub types: [u16; 10],
    pub type_lengths: [u32; 10],
    pub same_mobile_fixed: bool,
    pub formats: (usize, usize),
    pub intl: (usize, usize),
}

/// One display format.
pub(super) struct Format {
    pub pattern: u16,
    /// The last (longest) leading-digits pattern, `NONE` when there is none.
    pub leading: u16,
    pub format: &'static str,
    pub np_rule: &'static str,
    /// What as-you-type reads, worked out at build time: bit 0, the national prefix is
    /// optional when formatting; 1, the format has a domestic carrier code rule; 2, the format
    /// can be used as you type (`$1`, then `$n`, only punctuation around); 3, the national
    /// prefix rule is only the first group (or none); 4, that rule has a space or hyphen.
    pub flags: u8,
    /// The leading-digits patterns before `leading`, shortest prefix first (as-you-type).
    pub earlier: Vec<u16>,
}

/// The programs, DFAs and formats of one chunk.
pub(super) struct Code {
    prog: Vec<u32>,
    prog_starts: Vec<u32>,
    dfa_bases: Vec<u32>,
    rows: &'static [u8],
    accept: &'static [u8],
    formats: Vec<Format>,
}

include!(concat!(env!("OUT_DIR"), "/phone_tables.rs"));

// The path said aloud: the phone engine crate includes this file by path, where a child module
// would otherwise be looked for beside it.
#[path = "tables/walk.rs"]
mod walk;

pub(super) use walk::{expand, Slots};

/// The tables of a calling code that exists but is not loaded (browser builds only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Missing(pub u16);

/// The decoded chunks, by position in `CODES`.
static CHUNKS: [OnceLock<Vec<Region>>; CODE_COUNT] = [const { OnceLock::new() }; CODE_COUNT];

/// The chunk at `i` in `CODES`, decoding the embedded one on first use.
fn chunk(i: usize) -> Option<&'static [Region]> {
    let slot = CHUNKS.get(i)?;
    if let Some(regions) = slot.get() {
        return Some(regions);
    }
    let cc = *CODES.get(i)?;
    let at = EMBEDDED.binary_search_by_key(&cc, |e| e.0).ok()?;
    let (_, start, end) = EMBEDDED[at];
    let regions = decode(EMBEDDED_BYTES.get(start as usize..end as usize)?)?;
    Some(slot.get_or_init(|| regions))
}

/// The regions of calling code `cc`, main region first (none for a code that does not exist).
pub(super) fn by_code(cc: u16) -> Result<&'static [Region], Missing> {
    match CODES.binary_search(&cc) {
        Ok(i) => chunk(i).ok_or(Missing(cc)),
        Err(_) => Ok(&[]),
    }
}

/// Whether calling code `cc` exists (answered by the index, loaded or not).
pub(super) fn is_code(cc: u16) -> bool {
    CODES.binary_search(&cc).is_ok()
}

/// The calling code of region `id` (`"ID"` → 62), from the index.
pub(super) fn code_of(id: &str) -> Option<u16> {
    let i = REGION_CODES
        .binary_search_by(|(k, _)| k.as_slice().cmp(id.as_bytes()))
        .ok()?;
    Some(REGION_CODES[i].1)
}

/// Every region id and its calling code, by id.
pub(super) fn regions() -> impl Iterator<Item = (&'static str, u16)> {
    REGION_CODES
        .iter()
        .filter_map(|(id, cc)| Some((std::str::from_utf8(id).ok()?, *cc)))
}

/// The region with ISO code `id`.
pub(super) fn by_id(id: &str) -> Result<Option<&'static Region>, Missing> {
    let Some(cc) = code_of(id) else {
        return Ok(None);
    };
    Ok(by_code(cc)?.iter().find(|r| r.id == id))
}

/// The file name of calling code `cc`'s chunk, `phone-<code>.<set>.bin` (see `build/chunks.rs`).
pub(super) fn chunk_name(cc: u16) -> Option<String> {
    CODES.binary_search(&cc).ok()?;
    // Calling codes have one to three digits; written out without `format!` (see issue::decimal:
    // this file is also the phone engine's, which has no `issue` module).
    let digits: String = [cc / 100, cc / 10 % 10, cc % 10]
        .into_iter()
        .skip(if cc < 10 {
            2
        } else if cc < 100 {
            1
        } else {
            0
        })
        .map(|d| char::from(b'0' + d as u8))
        .collect();
    Some(["phone-", &digits, ".", CHUNK_SET_HEX, ".bin"].concat())
}

/// Why [`load`] refused bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadError {
    /// Not the content of any chunk this build knows (another build's, or damaged).
    Unknown,
    /// A known chunk that does not decode (cannot happen for the build's own files).
    Malformed,
}

/// Takes one chunk file's bytes (a `phone-<code>.<set>.bin` file of the same build) and makes its
/// calling code available; answers that code. Loading a loaded chunk again changes nothing.
#[cfg_attr(phone_bridge, allow(dead_code))]
pub(super) fn load(mut bytes: Vec<u8>) -> Result<u16, LoadError> {
    let i = identify(&bytes)?;
    bytes.drain(..HEADER);
    install(i, bytes)?;
    Ok(CODES[i])
}

/// The length of a chunk file's header: set (8 bytes), hash (8), calling code (2).
pub(super) const HEADER: usize = 18;

/// The position in `CODES` of the chunk a file holds, whether loaded or not: its header names
/// this build's data set, the SHA-256 of what follows the hash starts with it, and the calling
/// code exists. The chunk is `bytes[HEADER..]`.
pub(super) fn identify(bytes: &[u8]) -> Result<usize, LoadError> {
    use sha2::{Digest, Sha256};
    let (Some(set), Some(hash), Some(tail)) = (bytes.get(..8), bytes.get(8..16), bytes.get(16..))
    else {
        return Err(LoadError::Unknown);
    };
    if set != CHUNK_SET || tail.len() < 2 || Sha256::digest(tail).get(..8) != Some(hash) {
        return Err(LoadError::Unknown);
    }
    let cc = u16::from_le_bytes([tail[0], tail[1]]);
    CODES.binary_search(&cc).map_err(|_| LoadError::Unknown)
}

/// Decodes the chunk at position `i` of `CODES` from its bytes, unless it is already there.
#[cfg_attr(phone_bridge, allow(dead_code))]
pub(super) fn install(i: usize, bytes: Vec<u8>) -> Result<(), LoadError> {
    if i >= CODE_COUNT {
        return Err(LoadError::Unknown);
    }
    if chunk(i).is_none() {
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let regions = decode(bytes).ok_or(LoadError::Malformed)?;
        let _ = CHUNKS[i].set(regions);
    }
    Ok(())
}

/// The position of calling code `cc` in `CODES` (the chunk files' order).
#[cfg_attr(not(phone_bridge), allow(dead_code))]
pub(super) fn position(cc: u16) -> Option<usize> {
    CODES.binary_search(&cc).ok()
}

/// The calling code at position `i` of `CODES`.
#[cfg_attr(not(phone_bridge), allow(dead_code))]
pub(super) fn code_at(i: usize) -> Option<u16> {
    CODES.get(i).copied()
}

/// Reads the little-endian encoding `emit.rs` writes; `None` at the first thing out of place.
struct Reader {
    bytes: &'static [u8],
    at: usize,
}

impl Reader {
    fn take(&mut self, n: usize) -> Option<&'static [u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<&'static str> {
        let n = self.u16()?;
        std::str::from_utf8(self.take(usize::from(n))?).ok()
    }
    fn words(&mut self) -> Option<Vec<u32>> {
        let n = self.u32()? as usize;
        (0..n).map(|_| self.u32()).collect()
    }
    fn blob(&mut self) -> Option<&'static [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
}

/// What regions point at while their chunk is being decoded.
static DECODING: Code = Code {
    prog: Vec::new(),
    prog_starts: Vec::new(),
    dfa_bases: Vec::new(),
    rows: &[],
    accept: &[],
    formats: Vec::new(),
};

/// Decodes one chunk; every program range is checked so the walks cannot index out of bounds.
fn decode(bytes: &'static [u8]) -> Option<Vec<Region>> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(4)? != b"SGP2" {
        return None;
    }
    let cc = r.u16()?;
    let count = r.u8()?;
    let mut regions = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        let mut region = Region {
            code: &DECODING,
            id: r.str()?,
            cc,
            idd: r.u16()?,
            npfp: r.u16()?,
            transform: r.str()?,
            leading: r.u16()?,
            general: r.u16()?,
            lengths: r.u32()?,
            local: r.u32()?,
            types: [NONE; 10],
            type_lengths: [0; 10],
            same_mobile_fixed: false,
            formats: (0, 0),
            intl: (0, 0),
        };
        for t in &mut region.types {
            *t = r.u16()?;
        }
        for l in &mut region.type_lengths {
            *l = r.u32()?;
        }
        region.same_mobile_fixed = r.u8()? == 1;
        region.formats = (usize::from(r.u16()?), usize::from(r.u16()?));
        region.intl = (usize::from(r.u16()?), usize::from(r.u16()?));
        regions.push(region);
    }
    let formats = (0..r.u16()?)
        .map(|_| {
            Some(Format {
                pattern: r.u16()?,
                leading: r.u16()?,
                format: r.str()?,
                np_rule: r.str()?,
                flags: r.u8()?,
                earlier: {
                    let n = r.u8()?;
                    (0..n).map(|_| r.u16()).collect::<Option<_>>()?
                },
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let code = Code {
        prog: r.words()?,
        prog_starts: r.words()?,
        dfa_bases: r.words()?,
        rows: r.blob()?,
        accept: r.blob()?,
        formats,
    };
    let mut previous = 0;
    for head in &code.prog_starts {
        let start = (head & 0xFF_FFFF) as usize;
        if start < previous || start > code.prog.len() {
            return None;
        }
        previous = start;
    }
    let code: &'static Code = Box::leak(Box::new(code));
    for region in &mut regions {
        region.code = code;
    }
    Some(regions)
}

impl Code {
    /// The formats of a region's list.
    pub(super) fn formats(&self, list: (usize, usize)) -> &[Format] {
        self.formats.get(list.0..list.0 + list.1).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Natively every chunk is embedded and decodes: no lookup can ever be pending.
    #[test]
    fn every_code_and_region_is_there_natively() {
        for cc in CODES {
            let regions = by_code(cc).unwrap_or_else(|m| panic!("+{} missing", m.0));
            assert!(!regions.is_empty(), "+{cc} has no regions");
            assert!(regions.iter().all(|r| r.cc == cc));
        }
        assert_eq!(regions().count(), REGION_CODES.len());
        for (id, cc) in regions() {
            assert_eq!(by_id(id).ok().flatten().map(|r| r.cc), Some(cc), "{id}");
        }
    }

    /// A chunk's own file loads (again, harmlessly); other bytes are refused, never decoded:
    /// a damaged chunk, another calling code's header on it, another data set's file.
    #[test]
    fn load_takes_only_this_builds_chunks() {
        let (cc, start, end) = EMBEDDED[0];
        let name = chunk_name(cc).expect("a name");
        assert_eq!(name, format!("phone-{cc}.{CHUNK_SET_HEX}.bin"));
        let file = std::fs::read(Path::new(env!("OUT_DIR")).join("phone").join(&name))
            .expect("build.rs wrote the file");
        assert_eq!(file[HEADER..], EMBEDDED_BYTES[start as usize..end as usize]);
        assert_eq!(load(file.clone()), Ok(cc));
        assert_eq!(load(file.clone()), Ok(cc));
        let mut damaged = file.clone();
        damaged[HEADER + 2] ^= 1;
        assert_eq!(load(damaged), Err(LoadError::Unknown));
        let mut relabelled = file.clone();
        let other = CODES.iter().find(|&&c| c != cc).expect("two codes");
        relabelled[16..18].copy_from_slice(&other.to_le_bytes());
        assert_eq!(load(relabelled), Err(LoadError::Unknown));
        let mut other_set = file;
        other_set[0] ^= 1;
        assert_eq!(load(other_set), Err(LoadError::Unknown));
        assert_eq!(load(b"SGP2".to_vec()), Err(LoadError::Unknown));
        assert_eq!(chunk_name(9999), None);
    }
}
