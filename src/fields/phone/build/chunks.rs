//! Writes what `src/fields/phone/tables.rs` includes: `$OUT_DIR/phone_tables.rs` (the index,
//! always compiled in; the chunks' hashes apart from their codes, so a module that never checks
//! a file carries none of them), one file per calling code in `$OUT_DIR/phone/phone-<code>.<hash>.bin`
//! (the hash: the first 16 hex digits of its SHA-256) and `$OUT_DIR/phone_embedded.bin`, the
//! chunks `embed` chooses. Both build scripts call it (the crate's and the browser's phone
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
    let mut hashes = Vec::new();
    let mut embedded = Vec::new();
    let mut blob = Vec::new();
    for (cc, bytes) in &generated.chunks {
        let hash: [u8; 8] = Sha256::digest(bytes)[..8].try_into().expect("8 bytes");
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        std::fs::write(chunk_dir.join(format!("phone-{cc}.{hex}.bin")), bytes)
            .expect("write chunk");
        codes.push(*cc);
        hashes.push(hash);
        if embed(*cc) {
            embedded.push((*cc, blob.len() as u32, (blob.len() + bytes.len()) as u32));
            blob.extend_from_slice(bytes);
        }
    }
    std::fs::write(out.join("phone_embedded.bin"), &blob).expect("write phone_embedded.bin");
    let _ = writeln!(
        index,
        "pub(super) static CODES: [u16; {}] = {codes:?};\n\
         pub(super) static CODE_HASHES: [[u8; 8]; {}] = {hashes:?};\n\
         pub(super) const CODE_COUNT: usize = {};\n\
         pub(super) static EMBEDDED: [(u16, u32, u32); {}] = {embedded:?};\n\
         pub(super) static EMBEDDED_BYTES: &[u8] = \
         include_bytes!(concat!(env!(\"OUT_DIR\"), \"/phone_embedded.bin\"));",
        codes.len(),
        codes.len(),
        codes.len(),
        embedded.len(),
    );
    std::fs::write(out.join("phone_tables.rs"), index).expect("write phone_tables.rs");
}
