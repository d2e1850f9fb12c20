//! Build time only (included by `build.rs`): compiles one libphonenumber metadata pattern into
//! a small program over the ten digits.
//!
//! The metadata uses a restricted regex syntax, and this parser accepts exactly that and fails
//! the build on anything else (so a metadata update that widens the syntax cannot be misread):
//! digits, `\d`, classes `[0-35-9]`, groups `(…)` and `(?:…)`, `|`, `?`, `{n}`, `{n,m}` and a
//! final `$`. Whitespace is ignored (the XML wraps long patterns). Counted repeats are expanded,
//! so the program has no loops and every match is bounded by its length.

/// One instruction. Jump targets are absolute indices into the pattern's own program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Inst {
    /// Consume one digit whose bit is set in the mask (bit d = digit d).
    Class(u16),
    /// Try `.0` first, then `.1` (leftmost-first priority, as Java and Python regexes).
    Split(u16, u16),
    /// Continue at the target.
    Jmp(u16),
    /// Record the current position in capture slot `n` (group g uses slots 2g and 2g+1).
    Save(u16),
    /// Succeed only at the end of the input (`$`).
    End,
    /// The pattern matched.
    Match,
}

#[derive(Clone, Debug)]
enum Node {
    Class(u16),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Group(Option<u16>, Box<Node>),
    Repeat(Box<Node>, u32, u32),
    End,
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    groups: u16,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn alt(&mut self) -> Result<Node, String> {
        let mut arms = vec![self.concat()?];
        while self.eat(b'|') {
            arms.push(self.concat()?);
        }
        Ok(if arms.len() == 1 {
            arms.pop().unwrap()
        } else {
            Node::Alt(arms)
        })
    }
    fn concat(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == b'|' || c == b')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.repeat(atom)?);
        }
        Ok(Node::Concat(items))
    }
    fn number(&mut self) -> Result<u32, String> {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .unwrap()
            .parse()
            .map_err(|_| format!("bad count at {start}"))
    }
    fn repeat(&mut self, atom: Node) -> Result<Node, String> {
        if self.eat(b'?') {
            return Ok(Node::Repeat(Box::new(atom), 0, 1));
        }
        if self.eat(b'{') {
            let lo = self.number()?;
            let hi = if self.eat(b',') { self.number()? } else { lo };
            if !self.eat(b'}') || hi < lo {
                return Err(format!("bad repeat at {}", self.i));
            }
            return Ok(Node::Repeat(Box::new(atom), lo, hi));
        }
        match self.peek() {
            Some(b'*' | b'+') => Err("unbounded repeat".into()),
            _ => Ok(atom),
        }
    }
    fn atom(&mut self) -> Result<Node, String> {
        let c = self.peek().ok_or("unexpected end")?;
        self.i += 1;
        match c {
            b'0'..=b'9' => Ok(Node::Class(1 << (c - b'0'))),
            b'\\' if self.eat(b'd') => Ok(Node::Class(0x3FF)),
            b'$' => Ok(Node::End),
            b'[' => {
                let mut mask = 0u16;
                while !self.eat(b']') {
                    let lo = self.digit()?;
                    let hi = if self.eat(b'-') { self.digit()? } else { lo };
                    for d in lo..=hi {
                        mask |= 1 << d;
                    }
                }
                Ok(Node::Class(mask))
            }
            b'(' => {
                let group = if self.eat(b'?') {
                    if !self.eat(b':') {
                        return Err("unknown group kind".into());
                    }
                    None
                } else {
                    self.groups += 1;
                    Some(self.groups)
                };
                let inner = self.alt()?;
                if !self.eat(b')') {
                    return Err("unclosed group".into());
                }
                Ok(Node::Group(group, Box::new(inner)))
            }
            other => Err(format!("unsupported {:?} at {}", other as char, self.i - 1)),
        }
    }
    fn digit(&mut self) -> Result<u8, String> {
        match self.peek() {
            Some(c @ b'0'..=b'9') => {
                self.i += 1;
                Ok(c - b'0')
            }
            Some(b'\\') if self.s.get(self.i + 1) == Some(&b'd') => Err("\\d in class".into()),
            _ => Err(format!("bad class at {}", self.i)),
        }
    }
}

/// A compiled pattern: its program and how many capture groups it has.
#[derive(Clone, Debug)]
pub(crate) struct Program {
    /// The instructions; execution starts at 0.
    pub insts: Vec<Inst>,
    /// Number of capturing groups.
    pub groups: u16,
}

/// Compiles `pattern` (whitespace ignored) or says why it cannot.
pub(crate) fn compile(pattern: &str) -> Result<Program, String> {
    let clean: Vec<u8> = pattern
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let mut p = Parser {
        s: &clean,
        i: 0,
        groups: 0,
    };
    let node = p.alt()?;
    if p.i != clean.len() {
        return Err(format!("trailing input at {} in {pattern}", p.i));
    }
    let mut insts = Vec::new();
    emit(&node, &mut insts);
    insts.push(Inst::Match);
    if p.groups > 9 {
        return Err(format!("{} capture groups (the matcher keeps 9)", p.groups));
    }
    if insts.len() >= 1 << 14 {
        return Err(format!("program too long ({})", insts.len()));
    }
    Ok(Program {
        insts,
        groups: p.groups,
    })
}

fn here(insts: &[Inst]) -> u16 {
    insts.len() as u16
}

fn emit(node: &Node, out: &mut Vec<Inst>) {
    match node {
        Node::Class(m) => out.push(Inst::Class(*m)),
        Node::End => out.push(Inst::End),
        Node::Concat(items) => items.iter().for_each(|n| emit(n, out)),
        Node::Group(g, inner) => {
            if let Some(g) = g {
                out.push(Inst::Save(2 * g));
            }
            emit(inner, out);
            if let Some(g) = g {
                out.push(Inst::Save(2 * g + 1));
            }
        }
        Node::Alt(arms) => {
            let mut jumps = Vec::new();
            for (k, arm) in arms.iter().enumerate() {
                if k + 1 < arms.len() {
                    let split = out.len();
                    out.push(Inst::Split(0, 0));
                    emit(arm, out);
                    jumps.push(out.len());
                    out.push(Inst::Jmp(0));
                    out[split] = Inst::Split(split as u16 + 1, here(out));
                } else {
                    emit(arm, out);
                }
            }
            let end = here(out);
            for j in jumps {
                out[j] = Inst::Jmp(end);
            }
        }
        Node::Repeat(inner, lo, hi) => {
            for _ in 0..*lo {
                emit(inner, out);
            }
            // Each optional copy is greedy: try it first, else skip all the rest.
            let mut skips = Vec::new();
            for _ in *lo..*hi {
                skips.push(out.len());
                out.push(Inst::Split(0, 0));
                emit(inner, out);
            }
            let end = here(out);
            for s in skips {
                out[s] = Inst::Split(s as u16 + 1, end);
            }
        }
    }
}
