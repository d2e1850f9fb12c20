//! The `pattern` of a custom text field: a small regular-expression subset, matched against the
//! whole value. The browser runs this same Rust code compiled to WebAssembly, so a pattern means
//! the same thing on every face (no `regex` crate in the page, no JS `RegExp` dialect to match).
//!
//! Syntax: literal characters; `.` (any character); classes `[a-z0-9_-]` with ranges and `[^…]`
//! negation; `\d` (ASCII digit), `\w` (ASCII letter, digit or `_`), `\s` (white space) and `\`
//! before any other punctuation for itself; each atom optionally followed by `?`, `*`, `+`,
//! `{n}` or `{n,m}` (`m` at most 100). No groups, no alternation, no anchors (the whole value
//! must match). Matching simulates the automaton, so time is linear in the value's length.
//!
//! ```
//! use signup_guard::custom::Pattern;
//! let p = Pattern::parse(r"[A-Z]{2}-\d{3,4}").unwrap();
//! assert!(p.is_match("ID-1234"));
//! assert!(!p.is_match("ID-12"));
//! assert!(Pattern::parse("(a|b)").is_err());
//! ```

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(Vec<(Atom, Rep)>);

/// One character test.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Any,
    Char(char),
    /// A range of characters (inclusive), inside a class.
    Range(char, char),
    /// Its members (ranges, `\d`, `\w`, `\s`) and whether the class is negated.
    Class(Vec<Atom>, bool),
    Digit,
    Word,
    Space,
}

/// How often an atom occurs after expansion of `{n,m}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rep {
    One,
    Optional,
    Star,
}

/// The largest count a `{n,m}` may name.
const MAX_COUNT: usize = 100;

impl Atom {
    fn matches(&self, c: char) -> bool {
        match self {
            Atom::Any => true,
            Atom::Char(x) => *x == c,
            Atom::Range(lo, hi) => (*lo..=*hi).contains(&c),
            Atom::Class(members, negated) => members.iter().any(|m| m.matches(c)) != *negated,
            Atom::Digit => c.is_ascii_digit(),
            Atom::Word => c.is_ascii_alphanumeric() || c == '_',
            Atom::Space => c.is_whitespace(),
        }
    }
}

fn escape(c: char) -> Result<Atom, &'static str> {
    match c {
        'd' => Ok(Atom::Digit),
        'w' => Ok(Atom::Word),
        's' => Ok(Atom::Space),
        c if c.is_ascii_punctuation() => Ok(Atom::Char(c)),
        _ => Err("only \\d, \\w, \\s and \\ before punctuation are escapes"),
    }
}

impl Pattern {
    /// Compiles `source`, or says what is not supported.
    pub fn parse(source: &str) -> Result<Pattern, &'static str> {
        let chars: Vec<char> = source.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let atom = match chars[i] {
                '.' => Atom::Any,
                '\\' => {
                    i += 1;
                    escape(*chars.get(i).ok_or("a pattern cannot end with \\")?)?
                }
                '[' => {
                    let (atom, next) = class(&chars, i + 1)?;
                    i = next - 1;
                    atom
                }
                '(' | ')' | '|' | '^' | '$' | '*' | '+' | '?' | '{' | '}' | ']' => {
                    return Err(
                        "groups, alternation and anchors are not supported (escape the \
                                character with \\ to match it)",
                    )
                }
                c => Atom::Char(c),
            };
            i += 1;
            let (min, max, next) = quantifier(&chars, i)?;
            i = next;
            if out.len() + min + max.map_or(1, |m| m - min) > 10 * MAX_COUNT {
                return Err("the pattern is too long");
            }
            out.extend(std::iter::repeat_n((atom.clone(), Rep::One), min));
            match max {
                None => out.push((atom, Rep::Star)),
                Some(max) => out.extend(std::iter::repeat_n((atom, Rep::Optional), max - min)),
            }
        }
        Ok(Pattern(out))
    }

    /// Whether `value` as a whole matches.
    pub fn is_match(&self, value: &str) -> bool {
        let n = self.0.len();
        let mut states = vec![false; n + 1];
        states[0] = true;
        self.close(&mut states);
        for c in value.chars() {
            let mut next = vec![false; n + 1];
            for (i, (atom, rep)) in self.0.iter().enumerate() {
                if states[i] && atom.matches(c) {
                    next[if *rep == Rep::Star { i } else { i + 1 }] = true;
                }
            }
            self.close(&mut next);
            if !next.contains(&true) {
                return false;
            }
            states = next;
        }
        states[n]
    }

    /// Adds the states reachable by skipping optional atoms.
    fn close(&self, states: &mut [bool]) {
        for (i, (_, rep)) in self.0.iter().enumerate() {
            if states[i] && *rep != Rep::One {
                states[i + 1] = true;
            }
        }
    }
}

/// A class body from `i` (after `[`): the atom and the index after `]`.
fn class(chars: &[char], mut i: usize) -> Result<(Atom, usize), &'static str> {
    let negated = chars.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(i).ok_or("a class needs its closing ]")?;
        if c == ']' && !first {
            return Ok((Atom::Class(ranges, negated), i + 1));
        }
        first = false;
        let lo = if c == '\\' {
            i += 1;
            match escape(*chars.get(i).ok_or("a class needs its closing ]")?)? {
                Atom::Char(c) => c,
                shorthand => {
                    ranges.push(shorthand);
                    i += 1;
                    continue;
                }
            }
        } else {
            c
        };
        i += 1;
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&c| c != ']') {
            let hi = chars[i + 1];
            if hi < lo {
                return Err("a range in [ ] is backwards");
            }
            ranges.push(Atom::Range(lo, hi));
            i += 2;
        } else {
            ranges.push(Atom::Char(lo));
        }
    }
}

/// The quantifier at `i`, if any: (least, most or `None` for no limit, index after it).
fn quantifier(chars: &[char], i: usize) -> Result<(usize, Option<usize>, usize), &'static str> {
    match chars.get(i) {
        Some('?') => Ok((0, Some(1), i + 1)),
        Some('*') => Ok((0, None, i + 1)),
        Some('+') => Ok((1, None, i + 1)),
        Some('{') => {
            let end = chars[i..]
                .iter()
                .position(|&c| c == '}')
                .ok_or("a { needs its closing }")?;
            let body: String = chars[i + 1..i + end].iter().collect();
            let number = |s: &str| {
                s.parse::<usize>()
                    .ok()
                    .filter(|&n| n <= MAX_COUNT && s.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or("{n,m} takes counts from 0 to 100")
            };
            let (min, max) = match body.split_once(',') {
                Some((lo, hi)) => (number(lo)?, number(hi)?),
                None => (number(&body)?, number(&body)?),
            };
            if max < min || max == 0 {
                return Err("{n,m} needs n <= m and m > 0");
            }
            Ok((min, Some(max), i + end + 1))
        }
        _ => Ok((1, Some(1), i)),
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    #[test]
    fn whole_value_matches_only() {
        let p = Pattern::parse(r"\d{3}").unwrap();
        assert!(p.is_match("123"));
        assert!(!p.is_match("1234"));
        assert!(!p.is_match("a123"));
        let q = Pattern::parse(r"[^@\s]+\.example").unwrap();
        assert!(q.is_match("shop.example"));
        assert!(!q.is_match("a b.example"));
        assert!(!q.is_match("x@y.example"));
        assert!(Pattern::parse("a*b?c+").unwrap().is_match("cc"));
        assert!(Pattern::parse("[-a]+").unwrap().is_match("-a-"));
    }

    #[test]
    fn unsupported_syntax_is_refused_not_misread() {
        for bad in [
            "(a)", "a|b", "^a", "a$", "*", "a{2,1}", "a{101}", "[a", r"\q", "[z-a]",
        ] {
            assert!(Pattern::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn nested_repetition_stays_linear() {
        let p = Pattern::parse("a*a*a*a*a*a*a*a*b").unwrap();
        assert!(!p.is_match(&"a".repeat(1000)));
    }
}
