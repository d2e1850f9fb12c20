//! As-you-type formatting: the digits typed so far, grouped as the region writes them, with the
//! behaviour of libphonenumber's `AsYouTypeFormatter` (checked against PyPI `phonenumbers` by
//! `tests/phone_differential.rs`).
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

use super::tables::{self, Format, Region, NONE};

/// The free slot of a template (never in a format that passes [`is_eligible`]).
const SLOT: u8 = b'#';
/// National digits needed before a format is chosen.
const MIN_LEADING: usize = 3;

/// libphonenumber's valid punctuation: what a format may put between its groups to be used
/// as you type (a star, for one, is not).
fn is_punctuation(c: char) -> bool {
    matches!(
        c,
        '-' | 'x' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF0D}'..='\u{FF0F}'
            | ' ' | '\u{00A0}' | '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{3000}' | '('
            | ')' | '\u{FF08}' | '\u{FF09}' | '\u{FF3B}' | '\u{FF3D}' | '.' | '[' | ']'
            | '/' | '~' | '\u{2053}' | '\u{223C}' | '\u{FF5E}'
    )
}

/// A format made of `$1`, then other `$n`, with only punctuation around them.
fn is_eligible(format: &str) -> bool {
    let mut chars = format.chars().peekable();
    let mut groups = 0;
    while let Some(c) = chars.next() {
        if c == '$' {
            match chars.next() {
                Some('1') if groups == 0 => {}
                Some(d) if d.is_ascii_digit() && groups > 0 => {}
                _ => return false,
            }
            groups += 1;
        } else if !is_punctuation(c) {
            return false;
        }
    }
    groups > 0
}

/// A national prefix rule that is only the first group (`$1`, `($1)`), or no rule at all.
fn first_group_only(rule: &str) -> bool {
    matches!(rule, "" | "$1" | "($1)" | "($1" | "$1)")
}

/// What the formatter knows after each character (libphonenumber's fields, same names).
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

    /// The candidate formats: international ones for a number with its calling code, national
    /// ones otherwise, minus those the presence or absence of a national prefix rules out.
    fn available(&mut self) {
        let Some(meta) = self.meta else { return };
        let intl = self.complete && self.extracted_np.is_empty();
        let list = if intl && meta.intl.1 > 0 {
            meta.code.formats(meta.intl)
        } else {
            meta.code.formats(meta.formats)
        };
        for f in list {
            let (optional, carrier) = (f.flags & 1 == 1, f.flags & 2 == 2);
            let plain = first_group_only(f.np_rule);
            if !self.extracted_np.is_empty() && plain && !optional && !carrier {
                continue;
            }
            if self.extracted_np.is_empty() && !self.complete && !plain && !optional {
                continue;
            }
            if is_eligible(f.format) {
                self.formats.push(f);
            }
        }
        self.narrow();
    }

    /// Keeps the formats whose leading-digits pattern for this many digits matches.
    fn narrow(&mut self) {
        let Some(meta) = self.meta else { return };
        let leading = &self.national;
        let at = leading.len() as isize - MIN_LEADING as isize;
        self.formats.retain(|f| {
            if f.leading == NONE {
                return true;
            }
            let count = f.earlier.len() as isize + 1;
            // As libphonenumber's Python port indexes: past the end the last, below zero from it.
            let i = if at < 0 {
                count + at
            } else {
                at.min(count - 1)
            };
            let dfa = match usize::try_from(i) {
                Ok(i) => f.earlier.get(i).copied().unwrap_or(f.leading),
                Err(_) => return true,
            };
            meta.code.dfa_match(dfa, leading, true)
        });
    }

    /// The first candidate that yields a template becomes the current one (true when it is a
    /// new one); candidates that cannot hold the digits are dropped.
    fn new_template(&mut self) -> bool {
        while let Some(&f) = self.formats.first() {
            if self.pattern == Some(f.pattern) {
                return false;
            }
            if let Some(template) = self.template_for(f) {
                self.template = template;
                self.pattern = Some(f.pattern);
                self.space_after_np = f.np_rule.contains([' ', '-']);
                self.last_match = 0;
                return true;
            }
            self.formats.remove(0);
        }
        self.able = false;
        false
    }

    /// The format's pattern run on fifteen nines, formatted, nines turned into free slots;
    /// `None` when it cannot hold the national digits typed so far.
    fn template_for(&self, f: &Format) -> Option<Vec<u8>> {
        let meta = self.meta?;
        let nines = "999999999999999";
        let slots = meta.code.run(f.pattern, nines.as_bytes(), false)?;
        let end = slots[1]?;
        if end < self.national.len() {
            return None;
        }
        let mut out = String::new();
        tables::expand(f.format, &nines[..end], &slots, &mut out);
        let mut out = out.into_bytes();
        out.iter_mut()
            .filter(|b| **b == b'9')
            .for_each(|b| *b = SLOT);
        Some(out)
    }

    /// Puts one digit in the template's next free slot: the template up to it.
    fn fill(&mut self, digit: u8) -> Vec<u8> {
        let next = self
            .template
            .iter()
            .skip(self.last_match)
            .position(|&c| c == SLOT);
        if next.is_some() {
            if let Some(at) = self.template.iter().position(|&c| c == SLOT) {
                self.template[at] = digit;
                self.last_match = at;
                return self.template[..=at].to_vec();
            }
        }
        if self.formats.len() == 1 {
            self.able = false;
        }
        self.pattern = None;
        self.accrued.clone()
    }

    /// Refills the current template with every national digit typed.
    fn refill(&mut self) -> Vec<u8> {
        if self.national.is_empty() {
            return self.prefix.clone();
        }
        let mut partial = Vec::new();
        for c in self.national.clone() {
            partial = self.fill(c);
        }
        if self.able {
            self.with_prefix(&partial)
        } else {
            self.accrued.clone()
        }
    }

    /// A candidate whose whole pattern matches the digits formats them, if it keeps every digit.
    fn format_whole(&mut self) -> Option<Vec<u8>> {
        let meta = self.meta?;
        for &f in &self.formats {
            if meta.code.run(f.pattern, &self.national, true).is_none() {
                continue;
            }
            self.space_after_np = f.np_rule.contains([' ', '-']);
            let formatted = replace_all(meta, f, &self.national);
            let whole = self.with_prefix(&formatted);
            let kept: Vec<u8> = whole
                .iter()
                .copied()
                .filter(|c| c.is_ascii_digit() || *c == b'+')
                .collect();
            if kept == self.accrued {
                return Some(whole);
            }
        }
        None
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

/// Every match of the format's pattern in `digits` replaced by the format (`re.sub`).
fn replace_all(meta: &Region, f: &Format, digits: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(digits).unwrap_or_default();
    let mut out = String::new();
    let (mut from, mut at) = (0, 0);
    while at < text.len() {
        let rest = &text[at..];
        match meta.code.run(f.pattern, rest.as_bytes(), false) {
            Some(slots) if slots[1].is_some_and(|e| e > 0) => {
                out.push_str(&text[from..at]);
                tables::expand(f.format, rest, &slots, &mut out);
                at += slots[1].unwrap_or(0);
                from = at;
            }
            _ => at += 1,
        }
    }
    out.push_str(&text[from..]);
    out.into_bytes()
}
