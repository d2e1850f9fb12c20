//! Writes what `src/fields/phone/tables.rs` includes: `$OUT_DIR/phone_tables.rs` (the index,
//! always compiled in), one file per calling code in `$OUT_DIR/phone/phone-<code>.<set>.bin` and
//! `$OUT_DIR/phone_embedded.bin`, the chunks `embed` chooses.
//!
//! `<set>` names the whole data set: the first 16 hex digits of the SHA-256 of every chunk in
//! order, so any change to the data renames every file and caches can keep them forever. Each
//! file starts with an 18-byte header, then the chunk: the set (8 bytes), a hash (the first 8
//! bytes of the SHA-256 of everything after it) and the calling code (u16, little-endian). A module checks a file against
//! its own set and the header's hash; it carries one set id instead of a hash per file (215 of
//! them, 1.7 KB that brotli cannot shrink). Both build scripts call it (the crate's and the browser's phone
//! engine module's, `crates/phone-engine`), so the two name and order the chunks alike.

use super::emit;
use super::metadata::Database;
use sha2::{Digest, Sha256};
use std::fmt::Write;
use std::path::Path;

/// Writes the index, the chunk files and the embedded chunks (those `embed(cc)` accepts).
pub(crate) fn write(out: &Path, db: &Database, embed: impl Fn(u16) -> bool) {
    let generated = emit::generate(db);
    let chunk_dir = out.join("phone");
    let _ = std::fs::remove_dir_all(&chunk_dir);
    std::fs::create_dir_all(&chunk_dir).expect("create $OUT_DIR/phone");
    let mut index = generated.index;
    let mut codes = Vec::new();
    let mut embedded = Vec::new();
    let mut blob = Vec::new();
    let mut whole = Sha256::new();
    for (cc, bytes) in &generated.chunks {
        whole.update(cc.to_le_bytes());
        whole.update((bytes.len() as u32).to_le_bytes());
        whole.update(bytes);
    }
    let set: [u8; 8] = whole.finalize()[..8].try_into().expect("8 bytes");
    let set_hex: String = set.iter().map(|b| format!("{b:02x}")).collect();
    for (cc, bytes) in &generated.chunks {
        let mut tail = cc.to_le_bytes().to_vec();
        tail.extend_from_slice(bytes);
        let mut file = set.to_vec();
        file.extend_from_slice(&Sha256::digest(&tail)[..8]);
        file.extend_from_slice(&tail);
        std::fs::write(chunk_dir.join(format!("phone-{cc}.{set_hex}.bin")), file)
            .expect("write chunk");
        codes.push(*cc);
        if embed(*cc) {
            embedded.push((*cc, blob.len() as u32, (blob.len() + bytes.len()) as u32));
            blob.extend_from_slice(bytes);
        }
    }
    std::fs::write(out.join("phone_embedded.bin"), &blob).expect("write phone_embedded.bin");
    let _ = writeln!(
        index,
        "pub(super) static CODES: [u16; {}] = {codes:?};\n\
         pub(super) static CHUNK_SET: [u8; 8] = {set:?};\n\
         pub(super) const CHUNK_SET_HEX: &str = {set_hex:?};\n\
         pub(super) const CODE_COUNT: usize = {};\n\
         pub(super) static EMBEDDED: [(u16, u32, u32); {}] = {embedded:?};\n\
         pub(super) static EMBEDDED_BYTES: &[u8] = \
         include_bytes!(concat!(env!(\"OUT_DIR\"), \"/phone_embedded.bin\"));",
        codes.len(),
        codes.len(),
        embedded.len(),
    );
    std::fs::write(out.join("phone_tables.rs"), index).expect("write phone_tables.rs");
}
