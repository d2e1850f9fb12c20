//! Choosing a format as you type and filling its template: the candidate formats for the
//! digits typed, narrowed by their leading-digits patterns, each turned into a template of free
//! slots; a format whose whole pattern matches formats the digits directly.

use super::super::tables::{self, Format, Region, NONE};
use super::{Formatter, MIN_LEADING, SLOT};

impl Formatter {
    /// The candidate formats: international ones for a number with its calling code, national
    /// ones otherwise, minus those the presence or absence of a national prefix rules out.
    pub(super) fn available(&mut self) {
        let Some(meta) = self.meta else { return };
        let intl = self.complete && self.extracted_np.is_empty();
        let list = if intl && meta.intl.1 > 0 {
            meta.code.formats(meta.intl)
        } else {
            meta.code.formats(meta.formats)
        };
        for f in list {
            // The format's facts, worked out by build.rs (see `tables::Format::flags`).
            let (optional, carrier, plain) = (f.flags & 1 != 0, f.flags & 2 != 0, f.flags & 8 != 0);
            if !self.extracted_np.is_empty() && plain && !optional && !carrier {
                continue;
            }
            if self.extracted_np.is_empty() && !self.complete && !plain && !optional {
                continue;
            }
            if f.flags & 4 != 0 {
                self.formats.push(f);
            }
        }
        self.narrow();
    }

    /// Keeps the formats whose leading-digits pattern for this many digits matches.
    pub(super) fn narrow(&mut self) {
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
    pub(super) fn new_template(&mut self) -> bool {
        while let Some(&f) = self.formats.first() {
            if self.pattern == Some(f.pattern) {
                return false;
            }
            if let Some(template) = self.template_for(f) {
                self.template = template;
                self.pattern = Some(f.pattern);
                self.space_after_np = f.flags & 16 != 0;
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
    pub(super) fn fill(&mut self, digit: u8) -> Vec<u8> {
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
    pub(super) fn refill(&mut self) -> Vec<u8> {
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
    pub(super) fn format_whole(&mut self) -> Option<Vec<u8>> {
        let meta = self.meta?;
        for &f in &self.formats {
            if meta.code.run(f.pattern, &self.national, true).is_none() {
                continue;
            }
            self.space_after_np = f.flags & 16 != 0;
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
