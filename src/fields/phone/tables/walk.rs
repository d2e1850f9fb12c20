//! The two walks over a chunk's tables ([`Code`]):
//!
//! * DFAs answer "does the whole national number match this type" and "does this prefix match
//!   the leading digits": one table step per digit, no allocation, no cache.
//! * Programs (for the few patterns whose *captures* or *priority* matter: international and
//!   national prefixes, display formats) run on a bounded backtracker that remembers visited
//!   (instruction, position) pairs, so it is linear in program × input and never exponential.
//!
//! And [`expand`], which writes a format's `$n` groups from a program's captures.

use super::{Code, NONE};

impl Code {
    fn accepts(&self, state: usize) -> bool {
        self.accept
            .get(state / 8)
            .is_some_and(|b| b >> (state % 8) & 1 == 1)
    }

    /// Walks DFA `dfa` over `digits` (ASCII): true when it ends in an accepting state; with
    /// `prefix`, true as soon as any accepting state is reached (libphonenumber's `lookingAt`).
    pub(in super::super) fn dfa_match(&self, dfa: u16, digits: &[u8], prefix: bool) -> bool {
        let Some(&base) = self.dfa_bases.get(usize::from(dfa)) else {
            return false;
        };
        let base = base as usize;
        let mut state = base;
        for &d in digits {
            if prefix && self.accepts(state) {
                return true;
            }
            let d = usize::from(d.wrapping_sub(b'0'));
            match self.rows.get(state * 10 + d) {
                Some(&t) if d < 10 && t != 0 => state = base + usize::from(t - 1),
                _ => return false,
            }
        }
        self.accepts(state)
    }

    /// Whether `digits` (ASCII) fully match DFA `dfa` and have one of the lengths in `lengths`.
    pub(in super::super) fn matches_desc(&self, dfa: u16, lengths: u32, digits: &[u8]) -> bool {
        dfa != NONE
            && (lengths == 0 || lengths >> digits.len().min(31) & 1 == 1)
            && self.dfa_match(dfa, digits, false)
    }

    /// Number of capture groups of program `prog`.
    pub(in super::super) fn groups(&self, prog: u16) -> usize {
        self.prog_starts
            .get(usize::from(prog))
            .map_or(0, |h| (h >> 24) as usize)
    }

    /// Runs program `prog` anchored at the start of `digits`, leftmost-first like Java's and
    /// Python's regex engines; with `full`, the match must end at the end of the input.
    pub(in super::super) fn run(&self, prog: u16, digits: &[u8], full: bool) -> Option<Slots> {
        let head = *self.prog_starts.get(usize::from(prog))?;
        let start = (head & 0xFF_FFFF) as usize;
        let end = self
            .prog_starts
            .get(usize::from(prog) + 1)
            .map_or(self.prog.len(), |n| (n & 0xFF_FFFF) as usize);
        run(self.prog.get(start..end)?, digits, full)
    }
}

/// Capture slots of one run: `(start, end)` per group, group 0 being the whole match.
pub(in super::super) type Slots = [Option<usize>; 20];

/// The backtracker over one program's words.
fn run(code: &[u32], digits: &[u8], full: bool) -> Option<Slots> {
    let width = digits.len() + 1;
    let words = (code.len() * width).div_ceil(64);
    // Most programs are small: keep the visited set on the stack, spill only for long inputs.
    let mut local = [0u64; 64];
    let mut spilled = Vec::new();
    let seen: &mut [u64] = if words <= local.len() {
        &mut local[..words]
    } else {
        spilled.resize(words, 0);
        &mut spilled
    };
    let mut slots: Slots = [None; 20];
    #[derive(Clone, Copy)]
    enum Job {
        Go(usize, usize),
        Restore(usize, Option<usize>),
    }
    let mut stack = Stack {
        fixed: [Job::Go(0, 0); 32],
        len: 1,
        more: Vec::new(),
    };
    while let Some(job) = stack.pop() {
        let (mut pc, mut pos) = match job {
            Job::Go(pc, pos) => (pc, pos),
            Job::Restore(slot, old) => {
                slots[slot] = old;
                continue;
            }
        };
        loop {
            let bit = pc * width + pos;
            if seen[bit / 64] >> (bit % 64) & 1 == 1 {
                break;
            }
            seen[bit / 64] |= 1 << (bit % 64);
            let Some(&word) = code.get(pc) else {
                break;
            };
            let (a, b) = ((word >> 14 & 0x3FFF) as usize, (word & 0x3FFF) as usize);
            match word >> 28 {
                0 => match digits.get(pos) {
                    Some(&c)
                        if word >> (c.wrapping_sub(b'0') & 15) & 1 == 1 && c.is_ascii_digit() =>
                    {
                        pc += 1;
                        pos += 1;
                    }
                    _ => break,
                },
                1 => {
                    stack.push(Job::Go(b, pos));
                    pc = a;
                }
                2 => pc = b,
                3 => {
                    if b < slots.len() {
                        stack.push(Job::Restore(b, slots[b]));
                        slots[b] = Some(pos);
                    }
                    pc += 1;
                }
                4 if pos == digits.len() => pc += 1,
                5 if !full || pos == digits.len() => {
                    slots[0] = Some(0);
                    slots[1] = Some(pos);
                    return Some(slots);
                }
                _ => break,
            }
        }
    }
    None
}

/// A job stack that lives on the call stack until it outgrows 32 entries.
struct Stack<T: Copy> {
    fixed: [T; 32],
    len: usize,
    more: Vec<T>,
}

impl<T: Copy> Stack<T> {
    fn push(&mut self, job: T) {
        if self.len < self.fixed.len() {
            self.fixed[self.len] = job;
            self.len += 1;
        } else {
            self.more.push(job);
        }
    }
    fn pop(&mut self) -> Option<T> {
        if let Some(job) = self.more.pop() {
            return Some(job);
        }
        self.len = self.len.checked_sub(1)?;
        Some(self.fixed[self.len])
    }
}

/// Expands `$1`…`$9` in `template` with the captured text of `digits`.
pub(in super::super) fn expand(template: &str, digits: &str, slots: &Slots, out: &mut String) {
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            if let Some(g) = chars.peek().and_then(|d| d.to_digit(10)) {
                chars.next();
                let g = g as usize;
                if let (Some(Some(s)), Some(Some(e))) = (slots.get(2 * g), slots.get(2 * g + 1)) {
                    out.push_str(digits.get(*s..*e).unwrap_or(""));
                }
                continue;
            }
        }
        out.push(c);
    }
}
