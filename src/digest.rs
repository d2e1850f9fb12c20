//! SHA-256 as lowercase hex: the crate's one hash helper. Consent text hashes, the policy hash,
//! the consent chain and the server's idempotency fingerprints all come from here, so
//! every face (browser, server, CLI) hashes the same bytes the same way.
//!
//! ```
//! use signup_guard::digest::{sha256_hex, sha256_hex_bytes};
//! assert_eq!(
//!     sha256_hex("abc"),
//!     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
//! );
//! assert_eq!(sha256_hex_bytes(b"abc"), sha256_hex("abc"));
//! ```

use sha2::{Digest, Sha256};

/// `bytes` as lowercase hex, two digits a byte (no formatting machinery: the consent chain
/// hashes every stored event with it).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Lowercase hex SHA-256 of `text`'s UTF-8 bytes.
pub fn sha256_hex(text: &str) -> String {
    sha256_hex_bytes(text.as_bytes())
}

/// Lowercase hex SHA-256 of `bytes` (a request body, for its idempotency fingerprint).
pub fn sha256_hex_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}
