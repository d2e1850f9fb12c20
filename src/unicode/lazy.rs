//! The Unicode tables only values beyond ASCII need, as a file the browser build loads when the
//! first such value needs it (`unicode.<hash>.bin`, written by `build.rs`): UTS #39
//! Identifier_Status=Allowed (a mailbox's characters, `identifier.rs`), the characters that look
//! like ASCII (a domain's look-alikes, `lookalikes.rs`) and, for the drop-in's module, the script
//! names its RegExp asks about (`script_names.rs`; the npm module compiles them in). 3.4 KB
//! brotli that a page whose visitors type ASCII never loads. Until it is loaded a check that
//! needed it is marked (`begin`/`waited_for`): the email rules answer `email.pending`, and the JS API
//! answers a name's check *pending* too, instead of a verdict.
//!
//! The file: the identifier table's length (u32, little-endian) and its bytes (LEB128 pairs,
//! see `identifier.rs`), the number of look-alike entries (u32) and the entries (u32 each), then
//! the script names (UTF-8, space-separated) to the end.

use crate::lazy_file::LazyFile;

// `UNICODE_FILE`: (file name, first 8 bytes of its SHA-256), written by build.rs.
include!(concat!(env!("OUT_DIR"), "/unicode_file.rs"));

/// The tables, decoded.
pub(crate) struct Tables {
    /// Identifier_Status=Allowed as inclusive code point ranges, sorted.
    pub(super) allowed: Vec<(u32, u32)>,
    /// `code point << 8 | ASCII byte`, sorted by code point (as `lookalikes::LOOKALIKES`).
    pub(super) lookalikes: Vec<u32>,
    /// The script names, as `script_names::SCRIPT_NAMES`.
    #[cfg_attr(not(fields_only), allow(dead_code))]
    pub(super) script_names: String,
}

/// The Unicode data file.
pub(crate) static FILE: LazyFile<Tables> = LazyFile::new(UNICODE_FILE, parse);

/// Reads the file's bytes, or `None` if they are not laid out as the module comment says.
pub(super) fn parse(bytes: &[u8]) -> Option<Tables> {
    let len = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let identifier = bytes.get(4..4 + len)?;
    let rest = bytes.get(4 + len..)?;
    let count = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    let entries = rest.get(4..4 + count.checked_mul(4)?)?;
    let lookalikes = entries
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let names = std::str::from_utf8(rest.get(4 + count * 4..)?).ok()?;
    Some(Tables {
        allowed: super::identifier::decode(identifier)?,
        lookalikes,
        script_names: names.to_owned(),
    })
}

/// The tables, or `None` (and the check marked) while they are not loaded.
#[cfg_attr(
    not(all(target_arch = "wasm32", target_os = "unknown")),
    allow(dead_code)
)]
pub(super) fn tables() -> Option<&'static Tables> {
    FILE.get()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file holds the crate's tables: Identifier_Status on every code point (natively the
    /// `unicode-security` crate answers), and the look-alikes the native build compiles in.
    #[test]
    fn the_file_holds_the_tables_the_native_build_uses() {
        use unicode_security::GeneralSecurityProfile;
        let tables = parse(&FILE.written()).expect("parses");
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                super::super::identifier::allowed_in(&tables.allowed, c),
                c.identifier_allowed(),
                "U+{:04X}",
                u32::from(c)
            );
        }
        assert_eq!(tables.lookalikes, super::super::lookalikes::LOOKALIKES);
        assert_eq!(tables.script_names, super::super::SCRIPT_NAMES);
    }

    /// Before the file: every lookup marks the check; the file loads once; other bytes never.
    #[test]
    fn a_check_before_the_file_is_marked_and_other_bytes_are_refused() {
        if FILE.needed().is_some() {
            FILE.begin();
            assert_eq!(FILE.waited_for(), None, "no check needed it yet");
            assert!(tables().is_none());
            assert_eq!(FILE.waited_for(), Some(UNICODE_FILE.0));
        }
        let mut damaged = FILE.written();
        damaged[5] ^= 1;
        assert_eq!(FILE.load(&damaged), Err(()));
        assert_eq!(FILE.load(&FILE.written()), Ok(()));
        FILE.begin();
        assert!(tables().is_some());
        assert_eq!(FILE.waited_for(), None);
        assert_eq!(FILE.needed(), None);
    }
}
