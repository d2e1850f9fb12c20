//! The Unicode services backed by what every browser (and Node) already ships, for the wasm build.
//!
//! Normalization is `String.prototype.normalize`; UTS #46 ToASCII is the WHATWG URL parser's host
//! processing (non-transitional, CheckBidi and CheckJoiners on, like the native side), and the
//! rules the URL parser leaves out (STD3 ASCII rules, CheckHyphens) are applied here to its
//! output, so the answer is the native one (lengths are the email rules' own business). ToUnicode is
//! Punycode decoding of each A-label (`punycode.rs`). The identifier, script and script-mix properties stay with
//! `unicode-security` and `unicode-script` (JavaScript has no `Identifier_Status`). This keeps the normalization and
//! IDNA tables out of the bundle; the shared vectors run in Node and Chromium and prove the two
//! sides agree.

use super::{IdnaError, UnicodeServices};
use js_sys::JsString;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The WHATWG `URL` class (a global in browsers and Node).
    #[wasm_bindgen(js_name = URL)]
    type Url;
    #[wasm_bindgen(constructor, catch, js_class = "URL")]
    fn new(input: &str) -> Result<Url, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn hostname(this: &Url) -> String;
}

/// A label the URL parser never treats as an IPv4 part, appended so that a numeric last label
/// (`a.123`) is judged as a label, as UTS #46 does, not parsed as an address.
const GUARD: &str = ".sg";

/// The browser-backed implementation.
pub struct Web;

fn normalize(s: &str, form: &str) -> String {
    JsString::from(s).normalize(form).into()
}

/// UTS #46 CheckHyphens on one Unicode label.
fn hyphens_ok(label: &str) -> bool {
    let third_fourth = label.chars().skip(2).take(2).eq("--".chars());
    !label.starts_with('-') && !label.ends_with('-') && !third_fourth
}

impl UnicodeServices for Web {
    fn nfc(&self, s: &str) -> String {
        if s.is_ascii() {
            return s.to_owned();
        }
        normalize(s, "NFC")
    }
    fn nfkc(&self, s: &str) -> String {
        if s.is_ascii() {
            return s.to_owned();
        }
        normalize(s, "NFKC")
    }
    fn is_nfc(&self, s: &str) -> bool {
        s.is_ascii() || normalize(s, "NFC") == s
    }
    fn domain_to_ascii(&self, domain: &str) -> Result<String, IdnaError> {
        // STD3: the only ASCII allowed is letters, digits, hyphen and the dot. This also keeps
        // the URL parser from reading '/', '?', '#', '@', '%' or ':' as URL syntax.
        if domain.is_empty() {
            return Ok(String::new());
        }
        if domain
            .bytes()
            .any(|b| b.is_ascii() && !(b.is_ascii_alphanumeric() || b == b'-' || b == b'.'))
        {
            return Err(IdnaError);
        }
        let host = Url::new(&["http://", domain, GUARD].concat())
            .map_err(|_| IdnaError)?
            .hostname();
        let ascii = host.strip_suffix(GUARD).ok_or(IdnaError)?;
        for label in ascii.split('.') {
            let ldh = label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ldh {
                return Err(IdnaError);
            }
            // An A-label must decode to a valid U-label: one that converts back to itself (the
            // URL parser may pass `xn--` labels through unchecked, Chromium does).
            let ok = match label.strip_prefix("xn--") {
                Some(puny) => super::punycode::decode(puny).is_some_and(|u| {
                    !u.is_ascii()
                        && hyphens_ok(&u)
                        && Url::new(&["http://", u.as_str(), GUARD].concat())
                            .is_ok_and(|url| url.hostname().strip_suffix(GUARD) == Some(label))
                }),
                None => hyphens_ok(label),
            };
            if !ok {
                return Err(IdnaError);
            }
        }
        Ok(ascii.to_owned())
    }
    fn domain_to_unicode(&self, ascii: &str) -> String {
        let mut out = String::with_capacity(ascii.len());
        for (i, label) in ascii.split('.').enumerate() {
            if i > 0 {
                out.push('.');
            }
            match label.strip_prefix("xn--").and_then(super::punycode::decode) {
                Some(decoded) => out.push_str(&decoded),
                None => out.push_str(label),
            }
        }
        out
    }
}
