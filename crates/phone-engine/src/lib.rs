//! The phone engine as a WebAssembly module of its own (browser builds): the tables, parse,
//! validity, type, display formats and as-you-type, with no JS glue and no imports. The page's
//! main module does everything before and after the engine (reading the text, issues, messages)
//! and calls these exports through `src/fields/phone/remote.rs` when the first phone number
//! needs them, so a page pays for the engine only once a number is typed.
//!
//! Calls pass bytes through this module's memory: `sg_alloc` a buffer, write, call; an answer
//! is text at the returned address, `sg_answer_len()` bytes long, valid until the next call.
//! Answers are lines (`\n`):
//!
//! - `sg_judge`: `valid`, cc, nsn, region id, type, international form; or `missing` and
//!   the calling code whose data is not loaded; `needs_cc`; `invalid_cc` and the code typed;
//!   `too_short`; `too_long`; `invalid` and the region to name;
//! - `sg_shape`: `text`, the text, the calling code (or empty), its main region (or empty); or
//!   `missing` and the calling code.
//!
//! A region travels as a number: its two ASCII letters `a << 8 | b`, 0 for none.

// The shared sources hold items only the crate at the root uses.
#![allow(dead_code)]

#[path = "../../../src/fields/phone/as_you_type/mod.rs"]
mod as_you_type;
#[path = "../../../src/fields/phone/engine.rs"]
mod engine;
#[path = "../../../src/fields/phone/format.rs"]
mod format;
#[path = "../../../src/fields/phone/judge.rs"]
mod judge;
#[path = "../../../src/fields/phone/kind.rs"]
mod kind;
#[path = "../../../src/fields/phone/tables.rs"]
mod tables;

use judge::{judge, shape, Outcome, Shaped};
use kind::PhoneType;
use std::cell::RefCell;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: this module has one thread (no `atomics`): nothing allocates concurrently.
static ALLOC: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

thread_local! {
    static ANSWER: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A buffer of `len` bytes for the caller to fill; the call it is passed to takes it back.
#[no_mangle]
pub extern "C" fn sg_alloc(len: usize) -> *mut u8 {
    let mut buf = Vec::<u8>::with_capacity(len.max(1));
    let ptr = buf.as_mut_ptr();
    std::mem::forget(buf);
    ptr
}

/// The length in bytes of the last answer.
#[no_mangle]
pub extern "C" fn sg_answer_len() -> usize {
    ANSWER.with(|a| a.borrow().len())
}

/// Takes back a buffer from [`sg_alloc`] that holds `len` bytes.
fn take(ptr: *mut u8, len: usize) -> Vec<u8> {
    // SAFETY: `ptr` comes from `sg_alloc(n)` with `n >= len.max(1)`, filled with `len` bytes by
    // the caller, and is given back exactly once (every export that takes one frees it).
    unsafe { Vec::from_raw_parts(ptr, len, len.max(1)) }
}

fn region(code: u32) -> Option<String> {
    let (a, b) = ((code >> 8) as u8, code as u8);
    (code != 0 && a.is_ascii_uppercase() && b.is_ascii_uppercase())
        .then(|| [char::from(a), char::from(b)].iter().collect())
}

/// One line of an answer.
enum Line<'a> {
    Text(&'a str),
    Number(u32),
}

/// Writes the lines of an answer (`\n` between them) where the caller reads it: its address.
fn answer(lines: &[Line<'_>]) -> *const u8 {
    ANSWER.with(|a| {
        let mut out = a.borrow_mut();
        out.clear();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            match line {
                Line::Text(t) => out.push_str(t),
                Line::Number(n) => format::push_decimal(&mut out, *n),
            }
        }
        out.as_ptr()
    })
}

/// The engine's verdict on the ASCII digits in the buffer (after `+` when `plus` is 1), national
/// numbers read in region `home`.
#[no_mangle]
pub extern "C" fn sg_judge(ptr: *mut u8, len: usize, plus: u32, home: u32) -> *const u8 {
    let digits = String::from_utf8(take(ptr, len)).unwrap_or_default();
    let home = region(home);
    let lines: Vec<Line<'_>> = match judge(&digits, plus == 1, home.as_deref()) {
        Outcome::Valid {
            cc,
            nsn,
            region,
            kind,
            ..
        } => {
            // Only the international form: nothing in the browser shows the national one, and
            // leaving it out leaves its formatting code out of the module.
            let international = format::international(cc, &nsn);
            return answer(&[
                Line::Text("valid"),
                Line::Number(cc.into()),
                Line::Text(&nsn),
                Line::Text(&region),
                Line::Text(kind.as_str()),
                Line::Text(&international),
            ]);
        }
        Outcome::Missing(cc) => vec![Line::Text("missing"), Line::Number(cc.into())],
        Outcome::NoEngine => vec![Line::Text("missing"), Line::Number(0)],
        Outcome::NeedsCountryCode => vec![Line::Text("needs_cc")],
        Outcome::InvalidCountryCode(code) => {
            return answer(&[Line::Text("invalid_cc"), Line::Number(code.into())])
        }
        Outcome::TooShort => vec![Line::Text("too_short")],
        Outcome::TooLong => vec![Line::Text("too_long")],
        Outcome::Invalid(name) => return answer(&[Line::Text("invalid"), Line::Text(&name)]),
    };
    answer(&lines)
}

/// The as-you-type text for the ASCII digits (after an optional `+`) in the buffer, typed in
/// region `home`.
#[no_mangle]
pub extern "C" fn sg_shape(ptr: *mut u8, len: usize, home: u32) -> *const u8 {
    let typed = String::from_utf8(take(ptr, len)).unwrap_or_default();
    let home = region(home);
    match shape(&typed, home.as_deref()) {
        Shaped::Text(text, cc, region) => answer(&[
            Line::Text("text"),
            Line::Text(&text),
            cc.map_or(Line::Text(""), |cc| Line::Number(cc.into())),
            Line::Text(region.as_deref().unwrap_or_default()),
        ]),
        Shaped::Missing(cc) => answer(&[Line::Text("missing"), Line::Number(cc.into())]),
        Shaped::NoEngine => answer(&[Line::Text("missing"), Line::Number(0)]),
    }
}

/// Decodes the phone data chunk at position `index` (the main module checked its hash) from the
/// buffer: 0 when it is loaded, 1 for an index this build lacks, 2 for bytes that do not decode.
#[no_mangle]
pub extern "C" fn sg_install(index: u32, ptr: *mut u8, len: usize) -> u32 {
    match tables::install(index as usize, take(ptr, len)) {
        Ok(()) => 0,
        Err(tables::LoadError::Unknown) => 1,
        Err(tables::LoadError::Malformed) => 2,
    }
}
