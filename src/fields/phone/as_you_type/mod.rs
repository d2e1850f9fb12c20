//! As-you-type formatting: the digits typed so far, grouped as the region writes them, with the
//! behaviour of libphonenumber's `AsYouTypeFormatter` (checked against PyPI `phonenumbers` by
//! `tests/phone_as_you_type.rs` on typing sequences from `scripts/phone-as-you-type.py`).
//!
//! How it works, in libphonenumber's terms: the first three characters decide the route. A `+`
//! or the region's international prefix (`00`, `011` …) means a calling code follows; it is
//! split off as soon as it is known and the code's main region's *international* formats
//! apply. Otherwise a national prefix (`0`, NANPA's `1`) is split off and the *national*
//! formats apply. From the third national digit on, the formats whose leading-digits pattern
//! (the n-th of the list for n + 3 digits) matches stay candidates; the first that can hold
//! the digits typed becomes a template (its pattern run on `999999999999999`, formatted, every
//! `9` a free slot) that the digits fill one by one. A format whose whole pattern matches the
//! digits already formats them directly. When nothing fits, the digits stay as typed.
//!
//! The formatter is replayed over the whole input on every call (a field's value is at most a
//! few dozen digits), so it keeps no state between calls.

mod formats;

use super::tables::{self, Format, Region, NONE};

/// The free slot of a template (never in a format usable as you type).
const SLOT: u8 = b'#';
/// National digits needed before a format is chosen.
const MIN_LEADING: usize = 3;

/// What the formatter knows after each character (libphonenumber's fields, shorter names).
struct Formatter {
    /// The region the person types in, as given.
    home: Option<&'static str>,
    /// The metadata in use: the main region of the calling code, `None` for an unknown region.
    meta: Option<&'static Region>,
    // Texts are bytes: ASCII digits and `+`, plus the format's punctuation in the template.
    accrued: Vec<u8>,
    national: Vec<u8>,
    prefix: Vec<u8>,
    extracted_np: Vec<u8>,
    template: Vec<u8>,
    last_match: usize,
    pattern: Option<u16>,
    space_after_np: bool,
    able: bool,
    complete: bool,
    expecting_cc: bool,
    formats: Vec<&'static Format>,
}

/// The calling code whose data is missing (browser builds load it on demand).
pub(super) type Missing = tables::Missing;

/// The main region of calling code `cc`, whose formats every region of the code uses.
fn main_region(cc: u16) -> Result<Option<&'static Region>, Missing> {
    Ok(tables::by_code(cc)?.first())
}

/// Formats `typed` (ASCII digits, optionally a leading `+`) as typed in `region` (an ISO code,
/// or `None`): the text to show and the calling code it was read with (when one is known).
pub(super) fn format(typed: &str, region: Option<&str>) -> Result<(String, Option<u16>), Missing> {
    let home = region.map(tables::by_id).transpose()?.flatten();
    let meta = match home {
        Some(r) => main_region(r.cc)?,
        None => None,
    };
    let mut f = Formatter {
        home: home.map(|r| r.id),
        meta,
        accrued: Vec::new(),
        national: Vec::new(),
        prefix: Vec::new(),
        extracted_np: Vec::new(),
        template: Vec::new(),
        last_match: 0,
        pattern: None,
        space_after_np: false,
        able: true,
        complete: false,
        expecting_cc: false,
        formats: Vec::new(),
    };
    let mut out = Vec::new();
    for &c in typed.as_bytes() {
        out = f.input(c)?;
    }
    Ok((
        String::from_utf8(out).unwrap_or_default(),
        f.meta.map(|m| m.cc),
    ))
}

impl Formatter {
    /// One more character (a digit, or `+` first): the text to show now.
    fn input(&mut self, c: u8) -> Result<Vec<u8>, Missing> {
        self.accrued.push(c);
        if c != b'+' {
            self.national.push(c);
        }
        if !self.able {
            // Long international or national prefixes may make formatting possible again.
            if self.extract_idd() {
                if self.extract_cc()? {
                    return Ok(self.choose_after_prefix());
                }
            } else if self.extract_longer_np() {
                self.prefix.push(b' ');
                return Ok(self.choose_after_prefix());
            }
            return Ok(self.accrued.clone());
        }
        match self.accrued.len() {
            0..=2 => return Ok(self.accrued.clone()),
            3 => {
                if self.extract_idd() {
                    self.expecting_cc = true;
                } else {
                    self.extracted_np = self.remove_np();
                    return Ok(self.choose());
                }
            }
            _ => {}
        }
        if self.expecting_cc {
            if self.extract_cc()? {
                self.expecting_cc = false;
            }
            return Ok([&self.prefix[..], &self.national].concat());
        }
        if self.formats.is_empty() {
            return Ok(self.choose());
        }
        let partial = self.fill(c);
        if let Some(done) = self.format_whole() {
            return Ok(done);
        }
        self.narrow();
        if self.new_template() {
            return Ok(self.refill());
        }
        Ok(if self.able {
            self.with_prefix(&partial)
        } else {
            self.accrued.clone()
        })
    }

    /// Starts over on the national number once a prefix has been split off.
    fn choose_after_prefix(&mut self) -> Vec<u8> {
        self.able = true;
        self.expecting_cc = false;
        self.formats.clear();
        self.last_match = 0;
        self.template.clear();
        self.pattern = None;
        self.choose()
    }

    /// Chooses the formats for the national number (from its third digit) and formats it.
    fn choose(&mut self) -> Vec<u8> {
        if self.national.len() < MIN_LEADING {
            return self.with_prefix(&self.national);
        }
        self.available();
        if let Some(done) = self.format_whole() {
            return done;
        }
        if self.new_template() {
            self.refill()
        } else {
            self.accrued.clone()
        }
    }

    /// The national part after what precedes it, a space between when the format wants one.
    fn with_prefix(&self, national: &[u8]) -> Vec<u8> {
        let mut out = self.prefix.clone();
        if self.space_after_np && out.last().is_some_and(|&c| c != b' ') {
            out.push(b' ');
        }
        out.extend_from_slice(national);
        out
    }

    /// NANPA: a national number `1` then `[2-9]` has `1` as its national prefix.
    fn nanpa_with_prefix(&self) -> bool {
        let b = &self.national;
        self.meta.is_some_and(|m| m.cc == 1)
            && b.first() == Some(&b'1')
            && !matches!(b.get(1), Some(b'0' | b'1'))
    }

    /// Splits the national prefix off the national number, if one is there; answers it.
    fn remove_np(&mut self) -> Vec<u8> {
        let mut start = 0;
        if self.nanpa_with_prefix() {
            start = 1;
            self.prefix.extend_from_slice(b"1 ");
            self.complete = true;
        } else if let Some(meta) = self.meta.filter(|m| m.npfp != NONE) {
            let end = meta
                .code
                .run(meta.npfp, &self.national, false)
                .and_then(|s| s[1]);
            if let Some(end) = end.filter(|&e| e > 0) {
                self.complete = true;
                start = end;
                self.prefix.extend_from_slice(&self.national[..end]);
            }
        }
        let rest = self.national.split_off(start);
        std::mem::replace(&mut self.national, rest)
    }

    /// A national prefix longer than the one split off (some contain others): true when
    /// splitting anew finds a different one.
    fn extract_longer_np(&mut self) -> bool {
        if !self.extracted_np.is_empty() {
            self.national
                .splice(0..0, self.extracted_np.iter().copied());
            let n = self.extracted_np.len();
            let cut = (0..=self.prefix.len().saturating_sub(n))
                .rev()
                .find(|&i| self.prefix[i..].starts_with(&self.extracted_np))
                .unwrap_or(self.prefix.len().saturating_sub(1));
            self.prefix.truncate(cut);
        }
        let found = self.remove_np();
        self.extracted_np != found
    }

    /// A leading `+` or the region's international prefix: split off, the rest is national.
    fn extract_idd(&mut self) -> bool {
        let plus = self.accrued.first() == Some(&b'+');
        let end = if plus {
            Some(1)
        } else {
            match self.meta {
                None => None,
                Some(m) if m.idd == NONE => Some(0),
                Some(m) => m.code.run(m.idd, &self.accrued, false).and_then(|s| s[1]),
            }
        };
        let Some(end) = end else { return false };
        self.complete = true;
        self.national = self.accrued[end..].to_vec();
        self.prefix = self.accrued[..end].to_vec();
        if !plus {
            self.prefix.push(b' ');
        }
        true
    }

    /// A calling code at the start of the national number: split off, its region's data used.
    fn extract_cc(&mut self) -> Result<bool, Missing> {
        if self.national.first() == Some(&b'0') {
            return Ok(false);
        }
        let mut cc = 0u16;
        let found = self
            .national
            .iter()
            .take(3)
            .enumerate()
            .find_map(|(i, &d)| {
                cc = cc * 10 + u16::from(d - b'0');
                tables::is_code(cc).then_some((i + 1, cc))
            });
        let Some((n, cc)) = found else {
            return Ok(false);
        };
        // Like libphonenumber: the code of the home region itself keeps the metadata in use.
        let main = main_region(cc)?;
        if main.map(|m| m.id) != self.home || self.home.is_none() {
            self.meta = main;
        }
        self.prefix.extend(self.national.drain(..n));
        self.prefix.push(b' ');
        self.extracted_np.clear();
        Ok(true)
    }
}
