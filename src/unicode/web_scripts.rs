//! Script, Script_Extensions and combining marks from the browser's own Unicode data (RegExp
//! `\p{…}`), so the wasm build carries no script tables. The rules are the ones `native` applies
//! through `unicode-script` and `unicode-security`; the shared vectors prove the two agree.
//!
//! One regular expression of lookaheads, `^(?=(\p{scx=Adlam})?)…(?=(\p{sc=Adlam})?)…`, answers
//! every property of one character in a single `exec`: a group is set when the character has that
//! property. Names the browser's Unicode does not know yet are left out (no character of theirs
//! can then be told apart from unassigned ones, in the browser or in its input). Answers are kept
//! per character, so a name is asked about once per new letter.
//!
//! The drop-in's module (`fields_only`) reads the names from the Unicode data file (`lazy.rs`):
//! until it is loaded, a character beyond ASCII gets no answer (the check is marked, and its
//! answer is *pending*); ASCII never waits (Latin is the list's first name).
use js_sys::Array;
use std::cell::{OnceCell, RefCell};
use std::sync::OnceLock;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The JavaScript `RegExp` class.
    #[wasm_bindgen(js_name = RegExp)]
    type Re;
    #[wasm_bindgen(constructor, catch, js_class = "RegExp")]
    fn new(pattern: &str, flags: &str) -> Result<Re, JsValue>;
    #[wasm_bindgen(method)]
    fn exec(this: &Re, text: &str) -> Option<Array>;
}

/// A set of scripts: every one (Common, Inherited) or some, by index in [`SCRIPT_NAMES`].
#[derive(Clone, Copy, PartialEq, Eq)]
struct Set {
    all: bool,
    bits: [u64; 3],
}

impl Set {
    const ALL: Set = Set {
        all: true,
        bits: [u64::MAX; 3],
    };
    const NONE: Set = Set {
        all: false,
        bits: [0; 3],
    };
    fn one(i: usize) -> Set {
        let mut s = Set::NONE;
        s.bits[i / 64] |= 1 << (i % 64);
        s
    }
    fn has(&self, i: usize) -> bool {
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }
    fn and(self, o: Set) -> Set {
        Set {
            all: self.all && o.all,
            bits: [0, 1, 2].map(|k| self.bits[k] & o.bits[k]),
        }
    }
    fn count(&self) -> u32 {
        self.bits.iter().map(|b| b.count_ones()).sum()
    }
}

/// What the rules need to know of one character.
#[derive(Clone, Copy)]
struct Props {
    /// Script_Extensions, Common and Inherited being every script.
    scx: Set,
    /// The Script, when it is a real one (not Common, Inherited or Unknown).
    sc: Option<u8>,
    mark: bool,
}

/// The compiled question and the indices (in [`SCRIPT_NAMES`]) of the names it asks about.
struct Oracle {
    re: Re,
    asked: Vec<usize>,
}

/// The script names as a list, and the indices the rules name.
struct Names {
    all: Vec<&'static str>,
    han: usize,
    bopomofo: usize,
    hiragana: usize,
    katakana: usize,
    hangul: usize,
}

/// Latin's index: first in the list, so ASCII letters need no list.
const LATIN: usize = 0;

/// The names, or `None` (and the check marked) while the drop-in's module has no data file yet.
fn names() -> Option<&'static Names> {
    #[cfg(fields_only)]
    let source: &'static str = &super::lazy::tables()?.script_names;
    #[cfg(not(fields_only))]
    let source: &'static str = super::SCRIPT_NAMES;
    static NAMES: OnceLock<Names> = OnceLock::new();
    Some(NAMES.get_or_init(|| {
        let all: Vec<&'static str> = source.split(' ').collect();
        let at = |name| all.iter().position(|n| *n == name).unwrap_or(usize::MAX);
        Names {
            han: at("Han"),
            bopomofo: at("Bopomofo"),
            hiragana: at("Hiragana"),
            katakana: at("Katakana"),
            hangul: at("Hangul"),
            all,
        }
    }))
}

use super::{ALPHABETIC, NUMERIC};

/// A slot of [`CLASSES`] that holds an answer.
const KNOWN: u8 = 4;

thread_local! {
    /// `\p{Alphabetic}` and `\p{N}` of one character, compiled on first use: they need no
    /// script names, so they never wait for the Unicode data file.
    static CLASS: OnceCell<Re> = const { OnceCell::new() };
    /// Recent [`class`] answers by code point (direct-mapped): a name asks about each of its
    /// letters several times.
    static CLASSES: RefCell<[(char, u8); 128]> = const { RefCell::new([('\0', 0); 128]) };
    /// Compiled on the first character beyond ASCII, once the names are in.
    static ORACLE: OnceCell<Oracle> = const { OnceCell::new() };
    /// [`ask`]'s answers, sorted by character (a sorted `Vec`: a `BTreeMap` keyed by `char`
    /// would bring its own node code into the module).
    static CACHE: RefCell<Vec<(char, Props)>> = const { RefCell::new(Vec::new()) };
}

fn pattern(names: &[&str]) -> String {
    let mut p = String::from("^(?=(\\p{M})?)(?=(\\p{scx=Zyyy}|\\p{scx=Zinh})?)");
    for kind in ["scx", "sc"] {
        for n in names {
            p.push_str("(?=(\\p{");
            p.push_str(kind);
            p.push('=');
            p.push_str(n);
            p.push_str("})?)");
        }
    }
    p
}

/// The question about every name in `all`.
fn oracle(all: &[&str]) -> Oracle {
    if let Ok(re) = Re::new(&pattern(all), "u") {
        return Oracle {
            re,
            asked: (0..all.len()).collect(),
        };
    }
    // An older browser: ask only about the names its RegExp knows.
    let asked: Vec<usize> = (0..all.len())
        .filter(|&i| Re::new(&pattern(&all[i..=i]), "u").is_ok())
        .collect();
    let known: Vec<&str> = asked.iter().map(|&i| all[i]).collect();
    let re = Re::new(&pattern(&known), "u").unwrap_or_else(|_| wasm_bindgen::throw_str("RegExp"));
    Oracle { re, asked }
}

fn ask(c: char) -> Props {
    if c.is_ascii() {
        let latin = c.is_ascii_alphabetic();
        return Props {
            scx: if latin { Set::one(LATIN) } else { Set::ALL },
            sc: latin.then_some(LATIN as u8),
            mark: false,
        };
    }
    let cached = CACHE.with(|m| {
        let m = m.borrow();
        m.binary_search_by_key(&c, |e| e.0).ok().map(|i| m[i].1)
    });
    if let Some(p) = cached {
        return p;
    }
    let Some(names) = names() else {
        // No answer without the names: the check is marked, its answer will be pending.
        return Props {
            scx: Set::ALL,
            sc: None,
            mark: false,
        };
    };
    let p = ORACLE.with(|o| {
        let o = o.get_or_init(|| oracle(&names.all));
        let mut buf = [0u8; 4];
        let groups = o.re.exec(c.encode_utf8(&mut buf)).unwrap_or_default();
        let set = |k: u32| !groups.get(k).is_undefined();
        let n = o.asked.len() as u32;
        let mut scx = if set(2) { Set::ALL } else { Set::NONE };
        let mut sc = None;
        for (k, &i) in o.asked.iter().enumerate() {
            if set(3 + k as u32) {
                scx.bits[i / 64] |= 1 << (i % 64);
            }
            if set(3 + n + k as u32) {
                sc = Some(i as u8);
            }
        }
        Props {
            scx,
            sc,
            mark: set(1),
        }
    });
    CACHE.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 1024 {
            m.clear();
        }
        if let Err(at) = m.binary_search_by_key(&c, |e| e.0) {
            m.insert(at, (c, p));
        }
    });
    p
}

/// Whether `c` is Alphabetic ([`ALPHABETIC`]) and whether it is a number ([`NUMERIC`]), as bits.
pub(super) fn class(c: char) -> u8 {
    let slot = c as usize % 128;
    let cached = CLASSES.with(|m| m.borrow().get(slot).copied());
    if let Some((_, bits)) = cached.filter(|&(k, bits)| k == c && bits & KNOWN != 0) {
        return bits;
    }
    let bits = CLASS.with(|re| {
        let re = re.get_or_init(|| {
            Re::new("^(?=(\\p{Alphabetic})?)(?=(\\p{N})?)", "u")
                .unwrap_or_else(|_| wasm_bindgen::throw_str("RegExp"))
        });
        let groups = re.exec(c.encode_utf8(&mut [0; 4])).unwrap_or_default();
        let set = |k: u32| u8::from(!groups.get(k).is_undefined());
        KNOWN | set(1) * ALPHABETIC | set(2) * NUMERIC
    });
    CLASSES.with(|m| {
        if let Some(slot) = m.borrow_mut().get_mut(slot) {
            *slot = (c, bits);
        }
    });
    bits
}

/// Whether `c` (not ASCII) is a combining mark.
pub(super) fn is_mark(c: char) -> bool {
    ask(c).mark
}

/// Whether `c` (not ASCII) is of the Latin script.
pub(super) fn is_latin(c: char) -> bool {
    ask(c).sc.map(usize::from) == Some(LATIN)
}

/// UTS #39 augmented script set: the Script_Extensions plus Han with Bopomofo, Japanese, Korean.
#[derive(Clone, Copy)]
struct Augmented {
    base: Set,
    hanb: bool,
    jpan: bool,
    kore: bool,
}

impl Augmented {
    const ALL: Augmented = Augmented {
        base: Set::ALL,
        hanb: true,
        jpan: true,
        kore: true,
    };
    fn of(base: Set) -> Augmented {
        let Some(n) = names() else {
            return Augmented::ALL;
        };
        let has = |i: usize| base.all || (i < 192 && base.has(i));
        let han = has(n.han);
        Augmented {
            base,
            hanb: han || has(n.bopomofo),
            jpan: han || has(n.hiragana) || has(n.katakana),
            kore: han || has(n.hangul),
        }
    }
    fn and(self, o: Augmented) -> Augmented {
        Augmented {
            base: self.base.and(o.base),
            hanb: self.hanb && o.hanb,
            jpan: self.jpan && o.jpan,
            kore: self.kore && o.kore,
        }
    }
    fn is_empty(&self) -> bool {
        !self.base.all && self.base.count() == 0 && !self.hanb && !self.jpan && !self.kore
    }
}

/// UAX #31's recommended scripts, as `unicode-script` lists them (Common and Inherited too).
const RECOMMENDED: &[&str] = &[
    "Arabic",
    "Armenian",
    "Bengali",
    "Bopomofo",
    "Cyrillic",
    "Devanagari",
    "Ethiopic",
    "Georgian",
    "Greek",
    "Gujarati",
    "Gurmukhi",
    "Han",
    "Hangul",
    "Hebrew",
    "Hiragana",
    "Kannada",
    "Katakana",
    "Khmer",
    "Lao",
    "Latin",
    "Malayalam",
    "Myanmar",
    "Oriya",
    "Sinhala",
    "Tamil",
    "Telugu",
    "Thaana",
    "Thai",
    "Tibetan",
];

/// [`super::is_restricted_script_mix`], the same steps as the native one.
pub(super) fn is_restricted_script_mix(s: &str) -> bool {
    let latin = LATIN;
    let mut all = Augmented::ALL;
    let mut beside_latin = Augmented::ALL;
    for c in s.chars() {
        let set = Augmented::of(ask(c).scx);
        all = all.and(set);
        if !(set.base.all || set.base.has(latin)) {
            beside_latin = beside_latin.and(set);
        }
    }
    if !all.is_empty() || beside_latin.hanb || beside_latin.jpan || beside_latin.kore {
        return true;
    }
    let base = beside_latin.base;
    if base.all {
        return true; // Common or Inherited alone: recommended
    }
    if base.count() != 1 {
        return false;
    }
    let Some(names) = names() else {
        return true;
    };
    let all = &names.all;
    (0..all.len())
        .find(|&i| base.has(i))
        .is_some_and(|i| RECOMMENDED.contains(&all[i]) && !matches!(all[i], "Cyrillic" | "Greek"))
}

/// [`super::scripts`]: the Script of each letter, by full name, in order of appearance.
pub(super) fn scripts(s: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for c in s.chars() {
        let Some(i) = ask(c).sc else { continue };
        if let Some(&name) = names().and_then(|n| n.all.get(usize::from(i))) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}
