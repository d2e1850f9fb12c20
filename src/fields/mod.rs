//! The field parsers: one module per field, each opening with its normalization rules. They know
//! nothing of policies (the policy's limits are applied by [`crate::check`]), so the layering is
//! one way: `fields` ← `policy` ← `check` and `consent` ← `validate`.

/// Where `needle` first occurs in `hay`, searched byte by byte (UTF-8 matches only at character
/// boundaries, so this is `str::find`'s answer). The rules search for a few bytes at most, and
/// `str::find`/`contains` with a `&str` or a non-ASCII `char` bring `core`'s Two-Way searcher into
/// the browser's module (0.6 KB brotli with the searches this replaced).
pub(crate) fn find_text(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

pub mod country;
pub mod email;
pub mod name;
pub mod phone;
