//! JSON for the browser build, instead of `serde_json` and serde's derived readers, whose
//! generic code, number tables (floats the wire shapes never hold) and error machinery cost
//! every page about 25 KB brotli.
//!
//! - `de.rs`: the tokens, `serde_json`'s syntax: RFC 8259, whitespace ` \t\n\r`, nesting up to
//!   128, integers as `u64`/`i64` (a fraction, an exponent, `-0` or more than 64 bits is a
//!   "floating point", which no shape accepts), escapes decoded with lone surrogates refused.
//! - `read.rs`: Submission and Policy from tokens, step for step as serde's derive reads them
//!   (unknown keys, repeated keys, types, missing fields), with error texts in the words the
//!   faces classify by (`unknown field`, `surrogate`), so a refusal has the same code everywhere.
//! - `ser.rs`: any `Serialize` value as compact JSON, byte for byte `serde_json`'s.
//!
//! Native tests (`tests.rs`) read and write the shared vectors, odd documents and generated
//! ones with both and compare.

mod de;
mod read;
mod ser;

pub(crate) use read::{policy as read_policy, submission as read_submission};
pub(crate) use ser::to_string;

use std::fmt;

/// Why a document was refused or a value could not be written; the text says what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

#[cfg(test)]
mod tests;
