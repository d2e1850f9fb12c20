//! One cell's verdict as the audit uses it ([`Cell`]; a country cell's with its name lookup,
//! [`CountryCell`]), and each worker's [`Memo`] of the verdicts that repeat a lot in real lists
//! (names, countries, consent words): a memo table turns itself off where cells hardly repeat,
//! so it never costs more than it saves.

use super::consent::Consent;
use super::country_names;
use crate::check;
use crate::issue::{Checked, Code, Field, Issue};
use crate::Country;
use std::collections::HashMap;
use std::rc::Rc;

/// What one cell's check comes to, as the audit uses it.
#[derive(Debug, Clone, Default)]
pub(super) struct Cell {
    /// The normalized value differs from the cell as typed.
    pub(super) changed: bool,
    /// Some issue is an error.
    pub(super) error: bool,
    /// Every issue, in the order found.
    pub(super) issues: Vec<(Field, Code)>,
    /// The first suggested replacement.
    pub(super) suggestion: Option<String>,
}

impl Cell {
    /// The verdict of `checked`, the core's check of `raw` (`normalized` reads its stored form).
    pub(super) fn of<T>(checked: &Checked<T>, raw: &str, normalized: impl Fn(&T) -> &str) -> Cell {
        Cell {
            changed: checked.value.as_ref().is_some_and(|v| normalized(v) != raw),
            error: checked.issues.iter().any(Issue::is_error) || checked.value.is_none(),
            issues: checked.issues.iter().map(|i| (i.field, i.code)).collect(),
            suggestion: checked.issues.iter().find_map(|i| i.suggestion.clone()),
        }
    }

    /// A cell whose bytes are not text (`input.invalid_text` on `field`).
    pub(super) fn undecodable(field: Field) -> Cell {
        Cell {
            error: true,
            issues: vec![(field, Code::InputInvalidText)],
            ..Cell::default()
        }
    }
}

/// How many distinct cells each memo table keeps before it starts over (about 2 MB at most).
const MEMO_CAP: usize = 1 << 14;

/// One worker's memo of cell verdicts that repeat a lot in real lists (names, countries).
///
/// The field rules are pure functions of the cell (and of the run's fixed policy), so a
/// remembered verdict is the verdict. Emails and phones are nearly unique per row: not memoized.
#[derive(Debug, Default)]
pub(super) struct Memo {
    pub(super) given: Table<Cell>,
    pub(super) family: Table<Cell>,
    pub(super) country: Table<CountryCell>,
    pub(super) consent: Table<Consent>,
}

/// A country cell's verdict: the code (typed as a code or as a name) and the core's issues.
#[derive(Debug, Default)]
pub(super) struct CountryCell {
    /// The country, typed as a code or as a name.
    pub(super) code: Option<Country>,
    /// Typed as a name (a fix).
    pub(super) named: bool,
    /// The core's verdict on the cell (none for a known name).
    pub(super) cell: Cell,
}

impl CountryCell {
    /// The core's country check, then, when it only says `country.unknown`, a name lookup: a
    /// known name is a fix (no issue); an unknown one keeps `country.unknown`.
    pub(super) fn of(raw: &str) -> CountryCell {
        let checked = check::country(raw);
        let only_unknown = checked.value.is_none()
            && checked
                .issues
                .iter()
                .all(|i| i.code == Code::CountryUnknown);
        if only_unknown {
            if let Some(code) = country_names::lookup(raw) {
                return CountryCell {
                    code: Some(code),
                    named: true,
                    cell: Cell::default(),
                };
            }
        }
        CountryCell {
            code: checked.value,
            named: false,
            cell: Cell::of(&checked, raw, Country::as_str),
        }
    }
}

/// One memo table; it turns itself off when a full table saw few repeats (a full-name column
/// of nearly unique values), so it never costs more than it saves.
#[derive(Debug)]
pub(super) struct Table<V> {
    map: HashMap<String, Rc<V>>,
    hits: usize,
    off: bool,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table {
            map: HashMap::new(),
            hits: 0,
            off: false,
        }
    }
}

impl<V> Table<V> {
    /// The verdict remembered for `raw`, else `compute`'s (remembered while the table is on).
    pub(super) fn get_or(&mut self, raw: &str, compute: impl FnOnce() -> V) -> Rc<V> {
        if self.off {
            return Rc::new(compute());
        }
        if let Some(v) = self.map.get(raw) {
            self.hits += 1;
            return Rc::clone(v);
        }
        if self.map.len() >= MEMO_CAP {
            // Fewer repeats than distinct values since the last reset: not worth keeping.
            self.off = self.hits < MEMO_CAP;
            self.map.clear();
            self.hits = 0;
        }
        let v = Rc::new(compute());
        if !self.off {
            self.map.insert(raw.to_owned(), Rc::clone(&v));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memo_returns_the_computed_value_and_switches_off_for_unique_cells() {
        let mut t: Table<usize> = Table::default();
        assert_eq!(*t.get_or("ani", || 1), 1);
        assert_eq!(*t.get_or("ani", || 2), 1, "remembered");
        for i in 0..=MEMO_CAP {
            let key = format!("name {i}");
            assert_eq!(*t.get_or(&key, || i), i);
        }
        assert!(t.off, "a table of unique values turns itself off");
        assert_eq!(*t.get_or("ani", || 3), 3, "computed again once off");
    }
}
