//! Canonical JSON (RFC 8785 style, for the chain's fields: strings, integers, booleans and
//! nulls) written without the formatting machinery, into a string or straight into a hash.

use sha2::{Digest, Sha256};

/// Where canonical JSON goes: a string, or straight into a hash.
pub(crate) trait Sink {
    fn put(&mut self, s: &str);
}

impl Sink for String {
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

impl Sink for Sha256 {
    fn put(&mut self, s: &str) {
        self.update(s.as_bytes());
    }
}

/// Appends `n` in decimal to `out`, without the formatting machinery.
pub(crate) fn push_int(out: &mut String, n: i64) {
    put_int(out, n);
}

/// Writes `n` in decimal (JSON's integer form).
pub(crate) fn put_int(out: &mut impl Sink, n: i64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        // `rest % 10` is below 10, so the cast keeps it exactly.
        buf[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        out.put("-");
    }
    // Only ASCII digits were written.
    out.put(std::str::from_utf8(&buf[at..]).unwrap_or_default());
}

/// Writes `s` as a JSON string with RFC 8785 escaping (`"`, `\`, and control characters only;
/// `\b \t \n \f \r` short forms, otherwise `\u00xx` in lowercase hex). Runs that need no
/// escaping are copied whole; every byte escaped is ASCII, so each run ends on a char boundary.
pub(crate) fn put_json_str(out: &mut impl Sink, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.put("\"");
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            b'\t' => "\\t",
            b'\n' => "\\n",
            0x0c => "\\f",
            b'\r' => "\\r",
            0..=0x1f => "",
            _ => continue,
        };
        out.put(s.get(start..i).unwrap_or_default());
        if short.is_empty() {
            let code = [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ];
            out.put(std::str::from_utf8(&code).unwrap_or_default());
        } else {
            out.put(short);
        }
        start = i + 1;
    }
    out.put(s.get(start..).unwrap_or_default());
    out.put("\"");
}
